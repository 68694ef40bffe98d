"""Correcting a meeting before it opens, through its pages: its title, start and place (the
members mailed when a published meeting moves, with a newer calendar event), its items' texts,
their order and their removal; every change audited, and refused once the meeting is open."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
import sqlalchemy as sa

from tests.integration.correction_world import (
    ADMIN,
    CHAIR,
    MEMBER,
    MEMBERS,
    SECRETARY,
    World,
    agenda,
    audits,
    build,
    login,
    open_it,
    page,
    press,
    publish,
)
from tests.mail_server import attachments, parts, send_mail
from wijkraad import clock
from wijkraad.extensions import db
from wijkraad.i18n import local
from wijkraad.mail.models import OutboxMessage
from wijkraad.meetings.models import AgendaItem, Meeting
from wijkraad.motions import services as motions
from wijkraad.motions.models import Motion


@pytest.fixture
def world(app, make) -> World:
    with app.app_context():
        return build(make)


def edit_url(world: World) -> str:
    return f"/vergaderingen/{world.meeting_id}/wijzigen"


def meeting_of(app, world: World) -> Meeting:
    with app.app_context():
        meeting = db.session.get(Meeting, world.meeting_id)
        db.session.expunge(meeting)
        return meeting


def new_start(app, world: World, *, days: int = 1, hour: int = 20):
    starts = local(meeting_of(app, world).starts_at) + timedelta(days=days)
    return starts.replace(hour=hour, minute=15)


def submit_edit(web, world: World, **changes: str):
    form = page(web, edit_url(world))
    assert "Vergadering wijzigen" in form
    meeting = meeting_of(web.client.application, world)
    starts = local(meeting.starts_at)
    data = {
        "title": meeting.title,
        "starts_on": starts.date().isoformat(),
        "starts_time": starts.strftime("%H:%M"),
        "location": meeting.location,
        **changes,
    }
    return press(web, edit_url(world), edit_url(world), data)


def outbox_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))


def test_the_secretary_corrects_a_draft_meeting_and_nobody_is_mailed(app, world):
    web = login(app, SECRETARY)
    form = page(web, edit_url(world))
    assert 'value="Vergadering maart"' in form and 'value="Buurthuis De Boog"' in form
    starts = new_start(app, world)
    response = submit_edit(
        web,
        world,
        title="Vergadering april",
        starts_on=starts.date().isoformat(),
        starts_time="20:15",
        location="Wijkcentrum",
    )
    assert response.status_code == 303
    assert "De vergadering is gewijzigd." in page(web, response.headers["Location"])
    meeting = meeting_of(app, world)
    assert (meeting.title, meeting.location) == ("Vergadering april", "Wijkcentrum")
    assert local(meeting.starts_at) == starts
    assert outbox_count(app) == 0
    with app.app_context():
        [row] = audits("meeting.edit")
        assert row.subject_id == world.meeting_id
        assert row.data["before"]["title"] == "Vergadering maart"
        assert row.data["after"] == {
            "location": "Wijkcentrum",
            "starts_at": str(starts.astimezone(meeting.starts_at.tzinfo)),
            "title": "Vergadering april",
        }
        assert row.data["moved"] is False


def test_a_published_meeting_that_moves_is_mailed_with_a_newer_calendar_event(app, world, mailbox):
    with app.app_context():
        publish(world)
    send_mail(app)
    agenda_mail = mailbox.to(MEMBER)[0]
    first = icalendar.Calendar.from_ical(attachments(agenda_mail)["vergadering.ics"])
    [published] = first.walk("VEVENT")
    assert int(published["sequence"]) == 0

    web = login(app, CHAIR)
    starts = new_start(app, world, days=2)
    response = submit_edit(
        web, world, starts_on=starts.date().isoformat(), starts_time="20:15", location="Wijkcentrum"
    )
    assert response.status_code == 303
    assert "De leden krijgen bericht van de verplaatsing." in page(
        web, response.headers["Location"]
    )
    send_mail(app)
    notices = mailbox.messages[MEMBERS:]
    assert len(notices) == MEMBERS
    [notice] = [m for m in notices if m["To"] == MEMBER]
    assert notice["Subject"] == "Vergadering verplaatst: Vergadering maart"
    text, html = parts(notice)
    for part in (text, html):
        assert "Wijkcentrum" in part and "Buurthuis De Boog" in part  # the new and the old
        assert "20:15" in part
        assert f"/vergaderingen/{world.meeting_id}" in part
    calendar = icalendar.Calendar.from_ical(attachments(notice)["vergadering.ics"])
    [event] = calendar.walk("VEVENT")
    assert str(calendar["method"]) == "PUBLISH"
    assert str(event["uid"]) == str(published["uid"])
    assert int(event["sequence"]) == 1
    assert str(event["location"]) == "Wijkcentrum"
    assert event.decoded("dtstart") == meeting_of(app, world).starts_at
    with app.app_context():
        [row] = audits("meeting.moved")
        assert row.data["before"]["location"] == "Buurthuis De Boog"
        assert row.data["after"]["location"] == "Wijkcentrum"

    # A second move goes out as news of its own, one revision up; the cancellation after it
    # one more, so that calendars take it.
    submit_edit(web, world, location="Bibliotheek")
    send_mail(app)
    second = [m for m in mailbox.messages[2 * MEMBERS :] if m["To"] == MEMBER]
    assert len(second) == 1
    [event] = icalendar.Calendar.from_ical(attachments(second[0])["vergadering.ics"]).walk("VEVENT")
    assert int(event["sequence"]) == 2
    press(
        web,
        f"/vergaderingen/{world.meeting_id}/annuleren",
        f"/vergaderingen/{world.meeting_id}",
        {"confirmed": "yes"},
    )
    send_mail(app)
    [cancelled] = [m for m in mailbox.messages[3 * MEMBERS :] if m["To"] == MEMBER]
    [event] = icalendar.Calendar.from_ical(attachments(cancelled)["vergadering.ics"]).walk("VEVENT")
    assert int(event["sequence"]) == 3 and str(event["status"]) == "CANCELLED"


def test_a_new_title_alone_mails_nobody(app, world):
    with app.app_context():
        publish(world)
    before = outbox_count(app)
    response = submit_edit(login(app, SECRETARY), world, title="Extra vergadering")
    assert response.status_code == 303
    assert meeting_of(app, world).title == "Extra vergadering"
    assert outbox_count(app) == before
    with app.app_context():
        assert len(audits("meeting.edit")) == 1 and audits("meeting.moved") == []


def test_a_meeting_form_with_errors_is_shown_again(app, world):
    response = submit_edit(login(app, SECRETARY), world, title=" ", location="")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Er is iets niet goed ingevuld" in html
    assert meeting_of(app, world).title == "Vergadering maart"


def test_only_those_who_prepare_meetings_may_correct_them(app, world, client):
    url = edit_url(world)
    assert client.get(url).status_code == 404  # a draft's existence is not public
    with app.app_context():
        publish(world)
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/aanmelden" in anonymous.headers["Location"]
    member = login(app, MEMBER)
    assert member.get(url).status_code == 403
    assert member.get(f"/agendapunten/{world.items['Opening']}/wijzigen").status_code == 403
    assert member.get(f"/agendapunten/{world.items['Opening']}/verwijderen").status_code == 403
    response = press(member, url, f"/vergaderingen/{world.meeting_id}", {"title": "Van mij"})
    assert response.status_code == 403
    assert meeting_of(app, world).title == "Vergadering maart"
    assert "Vergadering wijzigen" not in page(member, f"/vergaderingen/{world.meeting_id}")
    assert "Vergadering wijzigen" in page(login(app, CHAIR), f"/vergaderingen/{world.meeting_id}")


def test_an_open_meeting_and_its_agenda_can_no_longer_be_corrected(app, world):
    with app.app_context():
        open_it(world)
    web = login(app, SECRETARY)
    meeting_page = f"/vergaderingen/{world.meeting_id}"
    shown = page(web, meeting_page)
    assert "Vergadering wijzigen" not in shown and "Omhoog" not in shown
    response = web.get(edit_url(world))
    assert response.status_code == 303
    assert "De vergadering is geopend" in page(web, response.headers["Location"])
    item = world.items["Speeltuin"]
    response = press(web, f"/agendapunten/{item}/verplaatsen", meeting_page, {"direction": "up"})
    assert response.status_code == 303
    assert "De vergadering is geopend" in page(web, response.headers["Location"])
    with app.app_context():
        assert agenda(world.meeting_id) == [("Opening", 1), ("Verslag", 2), ("Speeltuin", 3)]
        assert audits("agenda.move") == []


def test_the_secretary_corrects_an_item(app, world):
    web = login(app, SECRETARY)
    item = world.items["Speeltuin"]
    url = f"/agendapunten/{item}/wijzigen"
    form = page(web, url)
    assert "Agendapunt 3 wijzigen" in form and 'value="Speeltuin"' in form
    response = press(
        web,
        url,
        url,
        {"title": "Speeltuin Oosterpark", "description": "Nieuwe schommels", "is_formality": "y"},
    )
    assert response.status_code == 303
    assert "Agendapunt &#39;Speeltuin Oosterpark&#39; is gewijzigd." in page(
        web, response.headers["Location"]
    )
    with app.app_context():
        changed = db.session.get(AgendaItem, item)
        assert (changed.title, changed.description) == ("Speeltuin Oosterpark", "Nieuwe schommels")
        assert changed.is_formality and not changed.is_confidential
        [row] = audits("agenda.edit")
        assert row.data["before"] == {
            "description": "Over Speeltuin",
            "is_formality": False,
            "title": "Speeltuin",
        }
        assert row.data["after"]["title"] == "Speeltuin Oosterpark"
    response = press(web, url, url, {"title": ""})
    assert response.status_code == 422


def test_moving_items_keeps_their_numbers_consistent(app, world):
    web = login(app, SECRETARY)
    meeting_page = f"/vergaderingen/{world.meeting_id}"
    move = f"/agendapunten/{world.items['Speeltuin']}/verplaatsen"
    assert press(web, move, meeting_page, {"direction": "up"}).status_code == 303
    assert press(web, move, meeting_page, {"direction": "up"}).status_code == 303
    assert press(web, move, meeting_page, {"direction": "up"}).status_code == 303  # first: stays
    with app.app_context():
        assert agenda(world.meeting_id) == [("Speeltuin", 1), ("Opening", 2), ("Verslag", 3)]
        assert len(audits("agenda.move")) == 2


def test_removing_an_item_asks_first_and_takes_its_drafts_along(app, world):
    web = login(app, SECRETARY)
    item = world.items["Opening"]
    with app.app_context():
        draft = motions.submit_motion(
            db.session,
            ADMIN,
            db.session.get(AgendaItem, item),
            title="Concept",
            text="Nog niet af",
            on=clock.today(),
            draft=True,
        )
        db.session.commit()
        draft_id = draft.id
    url = f"/agendapunten/{item}/verwijderen"
    confirm = page(web, url)
    assert "Agendapunt 1 verwijderen" in confirm
    assert "Deze concepten bij het punt worden ook verwijderd" in confirm and "Concept" in confirm
    response = press(web, url, url)
    assert response.status_code == 303
    assert "Agendapunt &#39;Opening&#39; is verwijderd, met de concepten erbij." in page(
        web, response.headers["Location"]
    )
    with app.app_context():
        assert db.session.get(AgendaItem, item) is None
        assert db.session.get(Motion, draft_id) is None
        assert agenda(world.meeting_id) == [("Verslag", 1), ("Speeltuin", 2)]
        [row] = audits("agenda.remove")
        assert row.subject_id == item and row.data["title"] == "Opening"
        assert row.data["number"] == "1" and row.data["drafts"] == [draft_id]


def test_an_item_with_a_submitted_motion_is_not_removed(app, world):
    item = world.items["Speeltuin"]
    with app.app_context():
        publish(world)
        motions.submit_motion(
            db.session,
            ADMIN,
            db.session.get(AgendaItem, item),
            title="Schommels",
            text="De wijkraad besluit.",
            on=clock.today(),
        )
        db.session.commit()
    web = login(app, SECRETARY)
    url = f"/agendapunten/{item}/verwijderen"
    confirm = page(web, url)
    assert "Dit agendapunt kan niet worden verwijderd:" in confirm
    assert "Agendapunt verwijderen</button>" not in confirm
    # A form posted anyway (from a page opened before the motion came) is refused too.
    response = press(web, url, f"/vergaderingen/{world.meeting_id}")
    assert response.status_code == 303
    assert "Er zijn voorstellen ingediend bij dit agendapunt" in page(
        web, response.headers["Location"]
    )
    with app.app_context():
        assert db.session.get(AgendaItem, item) is not None
        assert audits("agenda.remove") == []
