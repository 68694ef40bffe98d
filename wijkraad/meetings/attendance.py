"""The attendance register and quorum: who is seated, who is present, set in bulk or one by one."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from wijkraad import audit
from wijkraad.auth.actor import Actor
from wijkraad.councils.models import Council, Membership
from wijkraad.councils.rules import Seat
from wijkraad.db import lock_for_update
from wijkraad.errors import Conflict, Invalid, require
from wijkraad.meetings import permissions, rules
from wijkraad.meetings.models import Attendance, Meeting
from wijkraad.meetings.rules import MeetingStatus, Presence


def check_editable(meeting: Meeting) -> None:
    """A closed or cancelled meeting's register, agenda and recusals no longer change."""
    if meeting.status in (MeetingStatus.CLOSED, MeetingStatus.CANCELLED):
        raise Conflict("meeting-closed")


def seated(council: Council, on: date) -> list[Membership]:
    return council.current_memberships(on)


@dataclass(frozen=True)
class Presences:
    seated: list[Membership]
    present: set[int]
    absent_with_notice: set[int]

    @property
    def present_members(self) -> list[Membership]:
        return [m for m in self.seated if m.id in self.present]

    def count(self, seat: Seat) -> int:
        return sum(1 for m in self.present_members if m.seat is seat)


def presences(session: Session, meeting: Meeting, on: date) -> Presences:
    rows = session.scalars(sa.select(Attendance).where(Attendance.meeting_id == meeting.id)).all()
    return presences_of(seated(meeting.council, on), {r.membership_id: r.presence for r in rows})


def presences_of(members: list[Membership], register: Mapping[int, Presence]) -> Presences:
    """Who of the seated ``members`` is present or sent notice, by the register's lines (by
    membership id); lines of members no longer seated do not count."""
    seated_ids = {m.id for m in members}

    def marked(presence: Presence) -> set[int]:
        return {i for i, p in register.items() if p is presence} & seated_ids

    return Presences(members, marked(Presence.PRESENT), marked(Presence.ABSENT_WITH_NOTICE))


def quorum(meeting: Meeting, state: Presences) -> bool:
    return rules.has_quorum(
        len(state.seated), len(state.present), is_follow_up=meeting.is_follow_up
    )


def lock_register(session: Session, meeting: Meeting) -> None:
    """Takes the meeting for this transaction alone and reads its status afresh: the writes
    of its register (and its opening, which counts the register) happen one after the other,
    so two at once leave one line per member and an audit log that ends in the final state."""
    lock_for_update(session, Meeting, meeting.id)
    session.refresh(meeting, ["status"])


def set_attendance(
    session: Session,
    actor: Actor,
    meeting: Meeting,
    *,
    present: set[int],
    absent_with_notice: set[int],
    now: datetime,
    on: date,
) -> Presences:
    """Sets the whole register: the listed members present or absent with notice, the rest absent."""
    require(permissions.can_keep_attendance(actor, meeting.council_id))
    lock_register(session, meeting)
    check_editable(meeting)
    seated_ids = {m.id for m in seated(meeting.council, on)}
    unknown = (present | absent_with_notice) - seated_ids
    if unknown:
        raise Invalid("not-seated", field="present", ids=", ".join(map(str, sorted(unknown))))
    if present & absent_with_notice:
        raise Invalid("present-and-absent", field="absent_with_notice")

    def wanted(membership_id: int) -> Presence:
        if membership_id in present:
            return Presence.PRESENT
        if membership_id in absent_with_notice:
            return Presence.ABSENT_WITH_NOTICE
        return Presence.ABSENT

    _write_register(session, actor, meeting, lambda _: {m: wanted(m) for m in seated_ids}, now=now)
    return presences(session, meeting, on)


def everyone_present(
    session: Session, actor: Actor, meeting: Meeting, *, now: datetime, on: date
) -> Presences:
    """Every seated member present in one write, except who sent notice: they stay absent with
    notice until marked one by one (``rules.everyone_present``)."""
    require(permissions.can_keep_attendance(actor, meeting.council_id))
    lock_register(session, meeting)
    check_editable(meeting)
    seated_ids = [m.id for m in seated(meeting.council, on)]
    _write_register(
        session,
        actor,
        meeting,
        lambda register: rules.everyone_present(seated_ids, register),
        now=now,
    )
    return presences(session, meeting, on)


def _write_register(
    session: Session,
    actor: Actor,
    meeting: Meeting,
    decide: Callable[[Mapping[int, Presence]], Mapping[int, Presence]],
    *,
    now: datetime,
) -> None:
    """Writes the register that ``decide`` makes of the present one (presence by membership
    id; the members it names are all seated), with an audit event per changed line.

    In bulk, whatever the size of the council: one read of the register, one insert of the
    missing rows, one update per presence, one audit insert with an event per change."""
    existing = {
        row.membership_id: (row.id, row.presence)
        for row in session.execute(
            sa.select(Attendance.id, Attendance.membership_id, Attendance.presence).where(
                Attendance.meeting_id == meeting.id
            )
        )
    }
    wanted = decide({m: presence for m, (_, presence) in existing.items()})
    missing = sorted(wanted.keys() - existing.keys())
    changed: dict[Presence, list[int]] = {}
    for membership_id in sorted(wanted.keys() & existing.keys()):
        row_id, current = existing[membership_id]
        if current is not wanted[membership_id]:
            changed.setdefault(wanted[membership_id], []).append(row_id)
    if missing:
        session.execute(
            sa.insert(Attendance),
            [
                {
                    "meeting_id": meeting.id,
                    "membership_id": membership_id,
                    "presence": wanted[membership_id],
                    "changed_at": now,
                }
                for membership_id in missing
            ],
        )
        for row in session.execute(
            sa.select(Attendance.id, Attendance.membership_id).where(
                Attendance.meeting_id == meeting.id, Attendance.membership_id.in_(missing)
            )
        ):
            existing[row.membership_id] = (row.id, Presence.ABSENT)
    for presence, row_ids in changed.items():
        session.execute(
            sa.update(Attendance)
            .where(Attendance.id.in_(row_ids))
            .values(presence=presence, changed_at=now),
            execution_options={"synchronize_session": "evaluate"},
        )
    changed_ids = {row_id for row_ids in changed.values() for row_id in row_ids}
    audit.record_many(
        session,
        actor.user_id,
        "attendance.mark",
        Attendance.__tablename__,
        [
            (
                existing[membership_id][0],
                {
                    "meeting_id": meeting.id,
                    "membership_id": membership_id,
                    "presence": wanted[membership_id].value,
                    "at": now,
                },
            )
            for membership_id in sorted(wanted)
            if membership_id in missing or existing[membership_id][0] in changed_ids
        ],
        council_id=meeting.council_id,
    )


def mark(
    session: Session,
    actor: Actor,
    meeting: Meeting,
    membership_id: int,
    presence: Presence,
    now: datetime,
) -> None:
    """One member arrives or leaves; it counts from this moment."""
    require(permissions.can_keep_attendance(actor, meeting.council_id))
    lock_register(session, meeting)
    check_editable(meeting)
    row = session.scalar(
        sa.select(Attendance).where(
            Attendance.meeting_id == meeting.id, Attendance.membership_id == membership_id
        )
    )
    if row is None:
        row = Attendance(
            meeting=meeting, membership_id=membership_id, presence=Presence.ABSENT, changed_at=now
        )
        session.add(row)
    if row.presence is not presence or row.id is None:
        row.presence = presence
        row.changed_at = now
        session.flush()
        audit.record(
            session,
            actor.user_id,
            "attendance.mark",
            row,
            council_id=meeting.council_id,
            meeting_id=meeting.id,
            membership_id=membership_id,
            presence=presence.value,
            at=now,
        )
