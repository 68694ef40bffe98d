"""The public record in the API answers what the public pages answer, to the same caller."""

from __future__ import annotations

import pytest

from tests.conftest import bearer
from tests.integration.test_minutes import later_open_meeting, people
from tests.record_world import build_record
from wijkraad import clock
from wijkraad.auth import services as auth_services
from wijkraad.auth.models import User
from wijkraad.extensions import db
from wijkraad.meetings.models import Meeting
from wijkraad.minutes import services


@pytest.fixture
def record(app):
    with app.app_context():
        return build_record(db.session, public_names=False)


@pytest.mark.parametrize(
    ("api", "page", "media"),
    [
        ("popolo.json", "open-data/popolo.json", "application/json"),
        ("ods.json", "open-data/ods.json", "application/json"),
        ("decisions.csv", "open-data/besluiten.csv", "text/csv"),
    ],
)
def test_open_data_in_the_api_is_the_download_of_the_site(client, record, api, page, media):
    from_api = client.get(f"/api/v1/councils/oost/{api}")
    from_page = client.get(f"/wijkraden/oost/{page}")
    assert from_api.status_code == from_page.status_code == 200
    assert from_api.mimetype == from_page.mimetype == media
    if media == "text/csv":
        assert from_api.data == from_page.data
    else:
        assert "Bankjes in het park 1" in from_api.get_data(as_text=True)
        assert "Benoeming" not in from_api.get_data(as_text=True)  # confidential
    assert client.get(f"/api/v1/councils/nergens/{api}").status_code == 404
    assert client.get(f"/api/v1/councils/nergens/{api}").mimetype == "application/problem+json"


def test_minutes_are_for_members_until_approved(app, client, record):
    url = f"/api/v1/meetings/{record.meeting_id}/minutes"
    with app.app_context():
        who = people(record)
        meeting = db.session.get(Meeting, record.meeting_id)
        minutes = services.start(db.session, who["bram"], meeting, clock.now())
        services.save(
            db.session, who["bram"], minutes, based_on=0, remarks="Opening.", notes={},
            now=clock.now(),
        )  # fmt: skip
        carla = db.session.get(User, who["carla"].user_id)
        token = auth_services.issue_token(db.session, None, carla, "test")
        db.session.commit()
    assert client.get(url).status_code == 404
    assert client.get(url).mimetype == "application/problem+json"
    draft = client.get(url, headers=bearer(token))
    assert draft.status_code == 200
    assert draft.get_json()["status"] == "draft" and draft.get_json()["remarks"] == "Opening."
    titles = {item["title"] for item in draft.get_json()["items"]}
    assert "Benoeming" in titles  # a member sees the confidential item
    with app.app_context():
        later = later_open_meeting(record)
        later_id = later.id
        services.approve(
            db.session,
            people(record)["anna"],
            db.session.merge(minutes),
            at_meeting=later,
            on=clock.today(),
        )
        db.session.commit()
    public = client.get(url)
    assert public.status_code == 200
    body = public.get_json()
    assert body["status"] == "approved" and body["approved_at_meeting_id"] == later_id
    assert "Benoeming" not in {item["title"] for item in body["items"]}
    residents = [
        a for group in body["attendance"].values() for a in group if a["seat"] == "resident"
    ]
    assert residents and {a["name"] for a in residents} == {None}
