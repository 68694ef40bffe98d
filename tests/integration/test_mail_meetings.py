"""The agenda by mail when a meeting is published, and a notice when a published meeting is
cancelled: to every seated member with an account, with the meeting as an iCalendar
attachment, read back from a real SMTP server. Each test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

import icalendar
import pytest
import sqlalchemy as sa

from tests.conftest import Web, csrf_from
from tests.mail_server import attachments, parts, send_mail
from wijkraad import clock
from wijkraad.auth.actor import Actor
from wijkraad.auth.services import find_user
from wijkraad.councils.rules import Role, Seat
from wijkraad.errors import Conflict
from wijkraad.extensions import db
from wijkraad.mail.models import OutboxMessage
from wijkraad.meetings import services as meetings
from wijkraad.meetings.models import Meeting
from wijkraad.meetings.rules import MeetingStatus

ADMIN = Actor(user_id=None, is_admin=True)
MEMBERS = 5


@pytest.fixture
def meeting_id(app, make) -> int:
    with app.app_context():
        council = make.council("oost", residents=5, councillors=2)
        make.member(council, role=Role.CHAIR, email="voorzitter@example.org")
        for i in range(MEMBERS - 1):
            seat = Seat.COUNCILLOR if i == 0 else Seat.RESIDENT
            make.member(council, seat=seat, email=f"lid{i}@example.org")
        meeting = meetings.create_meeting(
            db.session,
            ADMIN,
            council,
            title="Vergadering maart",
            starts_at=clock.now().replace(microsecond=0) + timedelta(days=7),
            location="Buurthuis De Boog",
        )
        meetings.add_item(db.session, ADMIN, meeting, title="Opening")
        meetings.add_item(db.session, ADMIN, meeting, title="Speeltuin", is_formality=True)
        meetings.add_item(db.session, ADMIN, meeting, title="Personeel", is_confidential=True)
        db.session.commit()
        return meeting.id


def chair(app) -> Web:
    web = Web(app.test_client())
    assert web.login("voorzitter@example.org").status_code == 302
    return web


def press(web: Web, meeting_id: int, action: str):
    page = web.get(f"/vergaderingen/{meeting_id}").get_data(as_text=True)
    return web.client.post(
        f"/vergaderingen/{meeting_id}/{action}",
        # A drastic button's confirmation (its page or dialog) sends "confirmed".
        data={"csrf_token": csrf_from(page), "confirmed": "yes"},
    )


def outbox_rows(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session.scalars(sa.select(OutboxMessage)))


def test_publishing_mails_the_agenda_to_every_member_with_the_meeting_for_the_calendar(
    app, meeting_id, mailbox
):
    assert press(chair(app), meeting_id, "publiceren").status_code in (302, 303)
    send_mail(app)
    assert len(mailbox.messages) == MEMBERS
    assert {m["To"] for m in mailbox.messages} == {
        "voorzitter@example.org",
        *(f"lid{i}@example.org" for i in range(MEMBERS - 1)),
    }
    message = mailbox.to("lid1@example.org")[0]
    assert "Vergadering maart" in message["Subject"]
    text, html = parts(message)
    for part in (text, html):
        assert "Opening" in part and "Speeltuin" in part and "Buurthuis De Boog" in part
        assert "Personeel" not in part  # confidential: not in mail
        assert f"/vergaderingen/{meeting_id}" in part
    [(name, data)] = attachments(message).items()
    assert name.endswith(".ics")
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["method"]) == "PUBLISH"
    [event] = calendar.walk("VEVENT")
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert event.decoded("dtstart") == meeting.starts_at
    assert str(event["location"]) == "Buurthuis De Boog"
    assert "Vergadering maart" in str(event["summary"])
    assert "Personeel" not in str(event["description"])
    assert str(event["uid"]).startswith(f"meeting-{meeting_id}@")


def test_cancelling_a_published_meeting_tells_the_members_and_their_calendars(
    app, meeting_id, mailbox
):
    web = chair(app)
    press(web, meeting_id, "publiceren")
    send_mail(app)
    agenda_uid = str(
        icalendar.Calendar.from_ical(attachments(mailbox.messages[0])["vergadering.ics"]).walk(
            "VEVENT"
        )[0]["uid"]
    )
    press(web, meeting_id, "annuleren")
    send_mail(app)
    notices = mailbox.messages[MEMBERS:]
    assert len(notices) == MEMBERS
    text, html = parts(notices[0])
    assert "Vergadering maart" in notices[0]["Subject"]
    assert "Vergadering maart" in text and "Vergadering maart" in html
    calendar = icalendar.Calendar.from_ical(attachments(notices[0])["vergadering.ics"])
    [event] = calendar.walk("VEVENT")
    assert str(calendar["method"]) == "CANCEL" and str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == agenda_uid and int(event["sequence"]) == 1


def test_cancelling_a_draft_mails_nobody(app, meeting_id, mailbox):
    press(chair(app), meeting_id, "annuleren")
    send_mail(app)
    assert mailbox.messages == [] and outbox_rows(app) == []


def test_the_agenda_goes_in_each_members_language(app, meeting_id, mailbox):
    with app.app_context():
        find_user(db.session, "lid2@example.org").language = "en"
        db.session.commit()
    press(chair(app), meeting_id, "publiceren")
    send_mail(app)
    assert '<html lang="en">' in parts(mailbox.to("lid2@example.org")[0])[1]
    assert '<html lang="nl">' in parts(mailbox.to("lid1@example.org")[0])[1]


def test_a_refused_change_queues_no_mail(app, meeting_id):
    """The mail is queued in the transaction of the publication: refused later in the same
    request, both are rolled back."""
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        meetings.publish(db.session, ADMIN, meeting, clock.now())
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == MEMBERS
        with pytest.raises(Conflict):
            meetings.publish(db.session, ADMIN, meeting, clock.now())  # a second publication
        db.session.rollback()
    assert outbox_rows(app) == []
    with app.app_context():
        assert db.session.get(Meeting, meeting_id).status is MeetingStatus.DRAFT


def test_two_publications_at_once_mail_the_agenda_once(app, meeting_id, mailbox):
    webs = [chair(app), chair(app)]
    pages = [w.get(f"/vergaderingen/{meeting_id}").get_data(as_text=True) for w in webs]
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def run(i: int) -> None:
        barrier.wait(timeout=30)
        results[i] = webs[i].client.post(
            f"/vergaderingen/{meeting_id}/publiceren", data={"csrf_token": csrf_from(pages[i])}
        )

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(r is not None and r.status_code in (302, 303) for r in results)
    send_mail(app)
    assert len(mailbox.messages) == MEMBERS
