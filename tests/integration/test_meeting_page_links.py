"""The meeting page leads to the minutes: members to the draft, the secretary to the editors,
the public only once the minutes are approved (before that the link would only find a 404)."""

from __future__ import annotations

from tests.conftest import Web
from tests.integration.test_minutes import later_open_meeting, people
from tests.record_world import build_record
from wijkraad import clock
from wijkraad.extensions import db
from wijkraad.meetings.models import Meeting
from wijkraad.minutes import services


def test_minutes_links_by_audience(app):
    with app.app_context():
        record = build_record(db.session, public_names=False)
    page = f"/vergaderingen/{record.meeting_id}"
    minutes = f"/vergaderingen/{record.meeting_id}/verslag"
    anonymous = app.test_client().get(page).get_data(as_text=True)
    assert f'href="{minutes}"' not in anonymous
    member = Web(app.test_client())
    member.login(record.emails["member"])
    inside = member.get(page).get_data(as_text=True)
    assert f'href="{minutes}"' in inside and f'href="{minutes}/bewerken"' not in inside
    secretary = Web(app.test_client())
    secretary.login(record.emails["secretary"])
    editing = secretary.get(page).get_data(as_text=True)
    assert f'href="{minutes}/bewerken"' in editing
    assert f'href="/vergaderingen/{record.meeting_id}/besluiten/aanvullen"' in editing

    with app.app_context():
        who = people(record)
        meeting = db.session.get(Meeting, record.meeting_id)
        written = services.start(db.session, who["bram"], meeting, clock.now())
        services.save(
            db.session, who["bram"], written, based_on=0, remarks="Opening.", notes={},
            now=clock.now(),
        )  # fmt: skip
        db.session.commit()
        later = later_open_meeting(record)
        services.approve(db.session, who["anna"], written, at_meeting=later, on=clock.today())
        db.session.commit()
    approved = app.test_client().get(page).get_data(as_text=True)
    assert f'href="{minutes}"' in approved
    assert app.test_client().get(minutes).status_code == 200
