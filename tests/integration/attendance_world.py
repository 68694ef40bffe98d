"""A council and a published meeting for the attendance register's tests: council oost of 11
residents (Anna chairs, Bram is the secretary) and 6 councillors, the meeting two days from now."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask

from tests.conftest import Web
from wijkraad import clock
from wijkraad.councils.models import Council
from wijkraad.councils.rules import Role, Seat
from wijkraad.extensions import db
from wijkraad.meetings import services as meetings
from wijkraad.meetings.models import Attendance
from wijkraad.meetings.rules import Presence

HTMX = {"HX-Request": "true"}


def text(response: Any) -> str:
    return response.get_data(as_text=True)


def squash(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@dataclass
class Room:
    """Council oost: 11 residents (Anna chairs, Bram is the secretary) and 6 councillors, and
    a published meeting two days from now."""

    app: Flask
    council_id: int
    meeting_id: int = 0
    members: dict[str, int] = field(default_factory=dict)  # name -> membership id
    tokens: dict[str, str] = field(default_factory=dict)

    def browser(self, name: str) -> Web:
        web = Web(self.app.test_client())
        assert web.login(email(name)).status_code == 302
        return web

    def register(self) -> dict[int, Attendance]:
        with self.app.app_context():
            rows = db.session.scalars(
                sa.select(Attendance).where(Attendance.meeting_id == self.meeting_id)
            ).all()
            db.session.expunge_all()
            return {r.membership_id: r for r in rows}

    def presence(self, name: str) -> Presence | None:
        row = self.register().get(self.members[name])
        return row.presence if row else None


RESIDENTS = ["Anna Bakker", "Bram de Vries", "Chantal Smit", "Daan Visser", "Eva Mulder"]
RESIDENTS += [f"Bewoner {i}" for i in range(6, 12)]
COUNCILLORS = [f"Raadslid {i}" for i in range(1, 7)]
CHAIR, SECRETARY, MEMBER = "Anna Bakker", "Bram de Vries", "Chantal Smit"


def email(name: str) -> str:
    return name.lower().replace(" ", ".") + "@example.org"


def build_room(app: Flask, make: Any) -> Room:
    with app.app_context():
        council = make.council("oost", residents=11, councillors=6)
        out = Room(app, council.id)
        for i, name in enumerate(RESIDENTS + COUNCILLORS):
            membership = make.member(
                council,
                seat=Seat.RESIDENT if name in RESIDENTS else Seat.COUNCILLOR,
                role={0: Role.CHAIR, 1: Role.SECRETARY}.get(i, Role.MEMBER),
                name=name,
                email=email(name),
            )
            out.members[name] = membership.id
            if name in (CHAIR, SECRETARY, MEMBER, "Daan Visser"):
                out.tokens[name] = make.token(membership.person.user)
        meeting = meetings.create_meeting(
            db.session,
            make.admin_actor,
            db.session.get(Council, council.id),
            title="Wijkraadvergadering",
            starts_at=clock.now() + timedelta(days=2),
            location="Buurthuis",
        )
        meetings.publish(db.session, make.admin_actor, meeting, clock.now())
        db.session.commit()
        out.meeting_id = meeting.id
        return out
