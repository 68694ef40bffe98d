"""Apologies sent in advance: a member tells the council they will not come to a published
meeting (afmelden), with an optional short reason, and may withdraw it until the meeting opens.
Their line on the register then says absent with notice, with the time they sent it; the chair
may still mark them present when they come after all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from wijkraad import audit
from wijkraad.auth.actor import Actor
from wijkraad.errors import Conflict, Invalid, require
from wijkraad.meetings import permissions, rules
from wijkraad.meetings.attendance import lock_register
from wijkraad.meetings.models import Attendance, Meeting
from wijkraad.meetings.rules import Presence


@dataclass(frozen=True)
class Apology:
    """The caller's own apologies for a meeting, as they see them."""

    membership_id: int
    sent_at: datetime | None  # None: no apologies sent
    reason: str | None
    presence: Presence | None  # their line on the register (None: not on it yet)


def _own_line(session: Session, actor: Actor, meeting: Meeting) -> tuple[int, Attendance | None]:
    require(permissions.can_send_apologies(actor, meeting.council_id))
    membership_id = actor.seats[meeting.council_id].membership_id
    row = session.scalar(
        sa.select(Attendance).where(
            Attendance.meeting_id == meeting.id, Attendance.membership_id == membership_id
        )
    )
    return membership_id, row


def _check_open_for_apologies(meeting: Meeting) -> None:
    if not rules.may_send_apologies(meeting.status):
        raise Conflict("apologies-closed")


def _apology(membership_id: int, row: Attendance | None) -> Apology:
    if row is None:
        return Apology(membership_id, None, None, None)
    return Apology(membership_id, row.apologised_at, row.apology_reason, row.presence)


def own_apology(session: Session, actor: Actor, meeting: Meeting) -> Apology:
    """The caller's apologies for ``meeting``; 403 for who is no member of its council."""
    return _apology(*_own_line(session, actor, meeting))


def send(
    session: Session, actor: Actor, meeting: Meeting, *, reason: str | None, now: datetime
) -> Apology:
    """The caller sends apologies: absent with notice from now, with the reason (if any). Sent
    again, the reason and the time are those of the last sending."""
    require(permissions.can_send_apologies(actor, meeting.council_id))
    lock_register(session, meeting)
    _check_open_for_apologies(meeting)
    reason = (reason or "").strip() or None
    if reason is not None and len(reason) > rules.APOLOGY_REASON_MAX:
        raise Invalid("apology-reason-too-long", field="reason", max=rules.APOLOGY_REASON_MAX)
    membership_id, row = _own_line(session, actor, meeting)
    if row is None:
        row = Attendance(meeting=meeting, membership_id=membership_id)
        session.add(row)
    row.presence = Presence.ABSENT_WITH_NOTICE
    row.changed_at = now
    row.apologised_at = now
    row.apology_reason = reason
    session.flush()
    # The reason is for the chair and the secretary, on the register: not in the audit log,
    # which more people read.
    audit.record(
        session,
        actor.user_id,
        "attendance.apologies",
        row,
        council_id=meeting.council_id,
        meeting_id=meeting.id,
        membership_id=membership_id,
        presence=row.presence.value,
        at=now,
    )
    return _apology(membership_id, row)


def withdraw(session: Session, actor: Actor, meeting: Meeting, *, now: datetime) -> Apology:
    """The caller withdraws their apologies: absent (not yet in the room) again, until the
    chair marks them present. Without apologies sent, nothing changes."""
    require(permissions.can_send_apologies(actor, meeting.council_id))
    lock_register(session, meeting)
    _check_open_for_apologies(meeting)
    membership_id, row = _own_line(session, actor, meeting)
    if row is None or row.apologised_at is None:
        return _apology(membership_id, row)
    if row.presence is Presence.ABSENT_WITH_NOTICE:
        row.presence = Presence.ABSENT
        row.changed_at = now
    row.apologised_at = None
    row.apology_reason = None
    session.flush()
    audit.record(
        session,
        actor.user_id,
        "attendance.apologies_withdrawn",
        row,
        council_id=meeting.council_id,
        meeting_id=meeting.id,
        membership_id=membership_id,
        presence=row.presence.value,
        at=now,
    )
    return _apology(membership_id, row)
