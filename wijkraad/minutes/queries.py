"""The minutes as every surface shows them (page, API, PDF): drafted from what the app already
knows — attendance, the agenda, motions, rounds, outcomes, decisions — with the secretary's notes
per agenda item. Draft minutes are for the council's members only; approved ones are public.
Confidential items show only to members, as everywhere. A fixed number of statements.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from wijkraad import clock
from wijkraad.auth.actor import Actor
from wijkraad.auth.models import User
from wijkraad.councils.rules import Role, Seat
from wijkraad.errors import NotFound
from wijkraad.meetings import queries as meeting_queries
from wijkraad.meetings.models import Meeting
from wijkraad.meetings.rules import Presence
from wijkraad.minutes.models import Minutes, MinutesNote, MinutesRevision
from wijkraad.minutes.rules import MinutesStatus
from wijkraad.voting import meeting_reads


@dataclass(frozen=True)
class AttendeeView:
    membership_id: int
    name: str | None  # None: a resident whose name the council does not publish ("bewoner")
    seat: Seat
    role: Role
    presence: Presence


@dataclass(frozen=True)
class MinutesItemView:
    item: meeting_reads.ItemRead
    notes: str


@dataclass(frozen=True)
class RevisionView:
    number: int
    author: str | None
    created_at: datetime


class _Roles:
    """The chair, the secretary and who was present or absent, from ``attendees``."""

    attendees: tuple[AttendeeView, ...]

    @property
    def chair(self) -> AttendeeView | None:
        return next((a for a in self.attendees if a.role is Role.CHAIR), None)

    @property
    def secretary(self) -> AttendeeView | None:
        return next((a for a in self.attendees if a.role is Role.SECRETARY), None)

    def with_presence(self, presence: Presence) -> tuple[AttendeeView, ...]:
        return tuple(a for a in self.attendees if a.presence is presence)


@dataclass(frozen=True)
class MinutesView(_Roles):
    meeting: meeting_reads.MeetingRead
    council_name: str
    meeting_date: date
    status: MinutesStatus | None  # None: nothing written yet (a draft from what is known)
    revision: int
    remarks: str
    approved_on: date | None
    approved_at_meeting_id: int | None
    attendees: tuple[AttendeeView, ...]
    items: tuple[MinutesItemView, ...]
    revisions: tuple[RevisionView, ...]  # newest first; empty for the public


@dataclass(frozen=True)
class MeetingRecordView(_Roles):
    """What the public record says of any meeting the actor may see, whether or not its minutes
    are approved: the agenda, the attendance register and how far the minutes are (the decision
    list and the agenda as PDF read it)."""

    meeting: meeting_reads.MeetingRead
    council_name: str
    council_slug: str
    council_code: str
    meeting_date: date
    minutes_status: MinutesStatus | None  # None: nothing written yet
    minutes_approved_on: date | None
    attendees: tuple[AttendeeView, ...]


def minutes_view(session: Session, actor: Actor, meeting_id: int) -> MinutesView:
    """The meeting's minutes for ``actor``: NotFound for a meeting they may not see, and for
    minutes that are not approved yet unless they are a member (or an administrator)."""
    meeting = meeting_reads.visible_meeting(session, actor, meeting_id)
    council = meeting.council
    inside = actor.is_admin or actor.is_member_of(council.id)
    minutes = session.scalar(sa.select(Minutes).where(Minutes.meeting_id == meeting_id))
    approved = minutes is not None and minutes.status is MinutesStatus.APPROVED
    if not approved and not inside:
        raise NotFound("minutes-not-found")
    read = meeting_reads.meeting_read(session, actor, meeting_id)
    notes: dict[int, str] = {}
    revisions: tuple[RevisionView, ...] = ()
    if minutes is not None:
        notes = {
            n.agenda_item_id: n.text
            for n in session.scalars(
                sa.select(MinutesNote).where(MinutesNote.minutes_id == minutes.id)
            )
        }
        if inside:
            revisions = tuple(
                RevisionView(row.number, row.name, row.created_at)
                for row in session.execute(
                    sa.select(MinutesRevision.number, User.name, MinutesRevision.created_at)
                    .outerjoin(User, User.id == MinutesRevision.author_id)
                    .where(MinutesRevision.minutes_id == minutes.id)
                    .order_by(MinutesRevision.number.desc())
                )
            )
    on = _meeting_date(meeting)
    attendees = _attendees(
        session, meeting, names_public=inside or council.publishes_resident_names
    )
    # Notes on an item the actor may not see are not theirs to read either.
    return MinutesView(
        meeting=read,
        council_name=council.name,
        meeting_date=on,
        status=minutes.status if minutes else None,
        revision=minutes.revision if minutes else 0,
        remarks=minutes.remarks if minutes else "",
        approved_on=minutes.approved_on if minutes else None,
        approved_at_meeting_id=minutes.approved_at_meeting_id if minutes else None,
        attendees=attendees,
        items=tuple(MinutesItemView(item, notes.get(item.id, "")) for item in read.agenda),
        revisions=revisions,
    )


def minutes_status(session: Session, meeting_id: int) -> MinutesStatus | None:
    """Whether the meeting has minutes, and how far they are: one statement."""
    return session.scalar(sa.select(Minutes.status).where(Minutes.meeting_id == meeting_id))


def _meeting_date(meeting: Meeting) -> date:
    return meeting.starts_at.astimezone(clock.AMSTERDAM).date()


def _attendees(
    session: Session, meeting: Meeting, *, names_public: bool
) -> tuple[AttendeeView, ...]:
    """The members seated on the meeting's day with their line on the register (two
    statements): the chair first, then residents, then councillors, by name."""
    presence = meeting_queries.presence_of(session, meeting)
    return tuple(
        AttendeeView(
            membership_id=m.id,
            name=m.person.name if names_public or m.seat is Seat.COUNCILLOR else None,
            seat=m.seat,
            role=m.role,
            presence=presence.get(m.id, Presence.ABSENT),
        )
        for m in sorted(
            meeting_queries.seated_with_persons(session, meeting.council, _meeting_date(meeting)),
            key=lambda m: (m.role is not Role.CHAIR, m.seat is not Seat.RESIDENT, m.person.name),
        )
    )


def meeting_record_view(session: Session, actor: Actor, meeting_id: int) -> MeetingRecordView:
    """The meeting's agenda and attendance as ``actor`` may see them, and whether its minutes
    are approved; NotFound for a meeting they may not see. Unlike ``minutes_view`` it tells
    the public no more of unapproved minutes than that they are not approved."""
    meeting = meeting_reads.visible_meeting(session, actor, meeting_id)
    council = meeting.council
    inside = actor.is_admin or actor.is_member_of(council.id)
    minutes = session.execute(
        sa.select(Minutes.status, Minutes.approved_on).where(Minutes.meeting_id == meeting_id)
    ).one_or_none()
    return MeetingRecordView(
        meeting=meeting_reads.meeting_read(session, actor, meeting_id),
        council_name=council.name,
        council_slug=council.slug,
        council_code=council.code,
        meeting_date=_meeting_date(meeting),
        minutes_status=minutes.status if minutes else None,
        minutes_approved_on=minutes.approved_on if minutes else None,
        attendees=_attendees(
            session, meeting, names_public=inside or council.publishes_resident_names
        ),
    )
