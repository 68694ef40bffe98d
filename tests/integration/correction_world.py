"""A council with a meeting to correct, for the tests of corrections and the gavel: a chair, a
secretary and members who can log in, and a meeting a week ahead with three items."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from tests.conftest import Web, csrf_from
from wijkraad import clock
from wijkraad.audit import AuditEvent
from wijkraad.auth.actor import Actor
from wijkraad.councils.rules import Role, Seat
from wijkraad.extensions import db
from wijkraad.meetings import attendance
from wijkraad.meetings import services as meetings
from wijkraad.meetings.models import AgendaItem, Meeting

ADMIN = Actor(user_id=None, is_admin=True)
CHAIR = "voorzitter@example.org"
SECRETARY = "secretaris@example.org"
MEMBER = "lid0@example.org"
MEMBERS = 6  # with an account: the chair, the secretary and four members


@dataclass
class World:
    meeting_id: int
    items: dict[str, int]  # by title
    chair_token: str
    secretary_token: str
    member_token: str


def build(make) -> World:
    council = make.council("oost", residents=5, councillors=2)
    chair = make.member(council, role=Role.CHAIR, email=CHAIR)
    secretary = make.member(council, role=Role.SECRETARY, email=SECRETARY)
    member = make.member(council, email=MEMBER)
    for i in range(1, 4):
        make.member(
            council, seat=Seat.COUNCILLOR if i == 1 else Seat.RESIDENT, email=f"lid{i}@example.org"
        )
    meeting = meetings.create_meeting(
        db.session,
        ADMIN,
        council,
        title="Vergadering maart",
        starts_at=clock.now().replace(second=0, microsecond=0) + timedelta(days=7),
        location="Buurthuis De Boog",
    )
    items = {}
    for title, formality in (("Opening", False), ("Verslag", True), ("Speeltuin", False)):
        items[title] = meetings.add_item(
            db.session,
            ADMIN,
            meeting,
            title=title,
            description=f"Over {title}",
            is_formality=formality,
        ).id
    db.session.commit()
    return World(
        meeting.id,
        items,
        make.token(chair.person.user),
        make.token(secretary.person.user),
        make.token(member.person.user),
    )


def publish(world: World) -> None:
    meeting = db.session.get(Meeting, world.meeting_id)
    meetings.publish(db.session, ADMIN, meeting, clock.now())
    db.session.commit()


def open_it(world: World) -> None:
    """Publishes the meeting if need be, everyone present, and opens it."""
    meeting = db.session.get(Meeting, world.meeting_id)
    if meeting.published_at is None:
        publish(world)
    seated = attendance.seated(meeting.council, clock.today())
    attendance.set_attendance(
        db.session,
        ADMIN,
        meeting,
        present={m.id for m in seated},
        absent_with_notice=set(),
        now=clock.now(),
        on=clock.today(),
    )
    meetings.open_meeting(db.session, ADMIN, meeting, clock.now(), clock.today())
    db.session.commit()


def login(app, email: str) -> Web:
    web = Web(app.test_client())
    assert web.login(email).status_code == 302
    return web


def page(web: Web, url: str) -> str:
    return web.get(url).get_data(as_text=True)


def press(web: Web, url: str, page_url: str, data: dict[str, str] | None = None):
    """Posts a button of ``page_url`` (with its CSRF token) to ``url``."""
    return web.client.post(url, data={**(data or {}), "csrf_token": csrf_from(page(web, page_url))})


def agenda(meeting_id: int) -> list[tuple[str, int]]:
    """(title, position) of the top-level items, in order."""
    rows = db.session.execute(
        sa.select(AgendaItem.title, AgendaItem.position)
        .where(AgendaItem.meeting_id == meeting_id, AgendaItem.parent_id.is_(None))
        .order_by(AgendaItem.position, AgendaItem.id)
    )
    return [(t, p) for t, p in rows]


def audits(action: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
    )
