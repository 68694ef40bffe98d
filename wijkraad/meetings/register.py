"""The attendance register as the meeting page shows it: one line per seated member (name,
seat, role, presence, apologies sent) and the quorum they make. One statement beside the
meeting loaded with ``register_loads()``, whatever the size of the council; the page and the
register's own fragment (answering a toggle) read it alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.interfaces import LoaderOption

from wijkraad.auth.actor import Actor
from wijkraad.councils import services as councils
from wijkraad.councils.models import Council, Membership
from wijkraad.councils.rules import Role, Seat
from wijkraad.errors import NotFound
from wijkraad.meetings import attendance, rules, services
from wijkraad.meetings.attendance import Presences
from wijkraad.meetings.models import Attendance, Meeting
from wijkraad.meetings.rules import Presence


def register_loads() -> tuple[LoaderOption, ...]:
    """What the register needs loaded with the meeting: the council's members with their
    persons. (A function: the options configure every mapper, so not at import time.)"""
    return (
        joinedload(Meeting.council).selectinload(Council.memberships).joinedload(Membership.person),
    )


@dataclass(frozen=True)
class RegisterLine:
    """A seated member on the register."""

    id: int  # the membership
    name: str | None  # None: a resident whose name the council does not publish
    seat: Seat
    role: Role
    presence: Presence | None  # None: not on the register yet (absent)
    apologised_at: datetime | None  # when they sent apologies themselves, if they did
    reason: str | None  # their reason, for those who keep the register and themselves only

    @property
    def current(self) -> Presence:
        return self.presence or Presence.ABSENT


@dataclass(frozen=True)
class Register:
    lines: tuple[RegisterLine, ...]  # residents first, by name
    present_count: int
    seated_count: int
    quorum_needed: int
    has_quorum: bool
    is_follow_up: bool  # needs no quorum

    def line(self, membership_id: int) -> RegisterLine | None:
        return next((line for line in self.lines if line.id == membership_id), None)


def meeting_for_register(session: Session, actor: Actor, meeting_id: int) -> Meeting:
    """The meeting loaded for its register, or NotFound (also for a draft ``actor`` may not
    see)."""
    meeting = session.scalar(
        sa.select(Meeting).where(Meeting.id == meeting_id).options(*register_loads())
    )
    if meeting is None or not services.may_see(actor, meeting):
        raise NotFound("meeting-not-found")
    return meeting


def read_register(
    session: Session,
    meeting: Meeting,
    on: date,
    *,
    may_see_names: bool,
    sees_reasons: bool,
    own: int | None = None,
) -> tuple[Register, Presences]:
    """The register of ``meeting`` (loaded with ``register_loads()``) on day ``on``, and the
    presences it makes (for the rules that count them). The reasons of apologies are there for
    those who keep the register (``sees_reasons``) and on the viewer's own line (``own``)."""
    rows = {
        row.membership_id: row
        for row in session.execute(
            sa.select(
                Attendance.membership_id,
                Attendance.presence,
                Attendance.apologised_at,
                Attendance.apology_reason,
            ).where(Attendance.meeting_id == meeting.id)
        )
    }
    state = attendance.presences_of(
        attendance.seated(meeting.council, on), {m: row.presence for m, row in rows.items()}
    )
    seated = sorted(state.seated, key=lambda m: (m.seat is not Seat.RESIDENT, m.person.name))

    def line(m: Membership) -> RegisterLine:
        row = rows.get(m.id)
        return RegisterLine(
            id=m.id,
            name=councils.public_name(m, viewer_may_see=may_see_names),
            seat=m.seat,
            role=m.role,
            presence=row.presence if row else None,
            apologised_at=row.apologised_at if row else None,
            reason=row.apology_reason if row and (sees_reasons or m.id == own) else None,
        )

    register = Register(
        lines=tuple(line(m) for m in seated),
        present_count=len(state.present),
        seated_count=len(state.seated),
        quorum_needed=rules.quorum_needed(len(state.seated)),
        has_quorum=attendance.quorum(meeting, state),
        is_follow_up=meeting.is_follow_up,
    )
    return register, state
