"""The member's home: the councils the caller sits on (seat and role), the next meeting of each,
and whether a vote round is open for them right now. Three statements whatever the number of
councils, meetings and rounds: the councils, the next meetings, the open rounds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from wijkraad.auth.actor import Actor
from wijkraad.councils.models import Council
from wijkraad.councils.rules import Role, Seat
from wijkraad.meetings.apologies import Apology
from wijkraad.meetings.models import Attendance, Meeting
from wijkraad.meetings.rules import MeetingStatus, Presence, may_send_apologies
from wijkraad.motions.models import Motion
from wijkraad.voting.models import Vote, VoteRound
from wijkraad.voting.rules import Choice, RoundStatus
from wijkraad.voting.screens import may_vote_now

# A published meeting stays "next" for a while after its announced start: the chair may open
# it late, and members look for it then most of all.
STILL_NEXT = timedelta(hours=12)


@dataclass(frozen=True)
class OpenVote:
    """The open round of a meeting, as the caller's home shows it."""

    round_id: int
    meeting_id: int
    meeting_title: str
    council_name: str
    motion_title: str
    may_vote: bool  # seated, present and not recused, and the round is named
    choice: Choice | None  # the caller's vote, once cast

    @property
    def waits_for_you(self) -> bool:
        return self.may_vote and self.choice is None


@dataclass(frozen=True)
class NextMeeting:
    id: int
    title: str
    starts_at: datetime
    location: str
    status: MeetingStatus
    open_vote: OpenVote | None
    apology: Apology | None  # the caller's own apologies, while they may send them


@dataclass(frozen=True)
class MyCouncil:
    id: int
    slug: str
    name: str
    seat: Seat
    role: Role
    next_meeting: NextMeeting | None


@dataclass(frozen=True)
class Home:
    councils: tuple[MyCouncil, ...]
    open_votes: tuple[OpenVote, ...]  # the open round of each open meeting, latest first

    @property
    def votes_now(self) -> tuple[OpenVote, ...]:
        """The rounds that wait for the caller's vote."""
        return tuple(v for v in self.open_votes if v.waits_for_you)


def _next_meetings(
    council_ids: list[int],
    membership: Callable[[sa.ColumnElement[int]], sa.Case[int]],
    now: datetime,
) -> sa.Select[tuple[object, ...]]:
    """Per council the open meeting, else the first published one still to come, with the
    caller's line on its register (``membership``: theirs, by the meeting's council)."""
    is_open = Meeting.status == MeetingStatus.OPEN
    rank = (
        sa.func.row_number()
        .over(
            partition_by=Meeting.council_id,
            order_by=(sa.case((is_open, 0), else_=1), Meeting.starts_at, Meeting.id),
        )
        .label("rank")
    )
    candidates = (
        sa.select(
            Meeting.id,
            Meeting.council_id,
            Meeting.title,
            Meeting.starts_at,
            Meeting.location,
            Meeting.status,
            rank,
        )
        .where(
            Meeting.council_id.in_(council_ids),
            sa.or_(
                is_open,
                sa.and_(
                    Meeting.status == MeetingStatus.PUBLISHED,
                    Meeting.starts_at >= now - STILL_NEXT,
                ),
            ),
        )
        .subquery()
    )
    return (
        sa.select(
            candidates,
            Attendance.presence.label("presence"),
            Attendance.apologised_at,
            Attendance.apology_reason,
        )
        .outerjoin(
            Attendance,
            sa.and_(
                Attendance.meeting_id == candidates.c.id,
                Attendance.membership_id == membership(candidates.c.council_id),
            ),
        )
        .where(candidates.c.rank == 1)
    )


def home(session: Session, actor: Actor, now: datetime) -> Home:
    """The caller's councils with their next meetings and open rounds: three statements."""
    seats = actor.seats
    if not seats:
        return Home(councils=(), open_votes=())
    council_ids = sorted(seats)
    councils = session.execute(
        sa.select(Council.id, Council.slug, Council.name)
        .where(Council.id.in_(council_ids))
        .order_by(Council.name, Council.id)
    ).all()
    # Which membership is the caller's depends on the meeting's council.

    def membership_in(council_id: sa.ColumnElement[int]) -> sa.Case[int]:
        return sa.case({cid: seat.membership_id for cid, seat in seats.items()}, value=council_id)

    meetings = {
        row.council_id: row
        for row in session.execute(_next_meetings(council_ids, membership_in, now))
    }
    names = {c.id: c.name for c in councils}
    # The latest open round of every open meeting (not only the next one: a council may run
    # two at once), with the caller's presence and vote in it.
    membership = membership_in(Meeting.council_id)
    rounds = session.execute(
        sa.select(
            VoteRound.id,
            VoteRound.meeting_id,
            VoteRound.mode,
            VoteRound.snapshot,
            Meeting.title.label("meeting_title"),
            Meeting.council_id,
            Motion.title,
            Attendance.presence,
            Vote.choice,
        )
        .join(Meeting, Meeting.id == VoteRound.meeting_id)
        .join(Motion, Motion.id == VoteRound.motion_id)
        .outerjoin(
            Attendance,
            sa.and_(
                Attendance.meeting_id == VoteRound.meeting_id,
                Attendance.membership_id == membership,
            ),
        )
        .outerjoin(Vote, sa.and_(Vote.round_id == VoteRound.id, Vote.membership_id == membership))
        .where(
            Meeting.council_id.in_(council_ids),
            Meeting.status == MeetingStatus.OPEN,
            VoteRound.status == RoundStatus.OPEN,
        )
        .order_by(VoteRound.opened_at.desc(), VoteRound.id.desc())
    )
    votes: dict[int, OpenVote] = {}
    for row in rounds:
        if row.meeting_id in votes:
            continue
        votes[row.meeting_id] = OpenVote(
            round_id=row.id,
            meeting_id=row.meeting_id,
            meeting_title=row.meeting_title,
            council_name=names.get(row.council_id, ""),
            motion_title=row.title,
            may_vote=may_vote_now(
                row.mode, row.snapshot, seats[row.council_id].membership_id, row.presence
            ),
            choice=Choice(row.choice) if row.choice else None,
        )

    def next_meeting(council_id: int) -> NextMeeting | None:
        row = meetings.get(council_id)
        if row is None:
            return None
        status = MeetingStatus(row.status)
        return NextMeeting(
            id=row.id,
            title=row.title,
            starts_at=row.starts_at,
            location=row.location,
            status=status,
            open_vote=votes.get(row.id),
            apology=Apology(
                seats[council_id].membership_id,
                row.apologised_at,
                row.apology_reason,
                Presence(row.presence) if row.presence else None,
            )
            if may_send_apologies(status)
            else None,
        )

    return Home(
        open_votes=tuple(votes.values()),
        councils=tuple(
            MyCouncil(
                id=c.id,
                slug=c.slug,
                name=c.name,
                seat=seats[c.id].seat,
                role=seats[c.id].role,
                next_meeting=next_meeting(c.id),
            )
            for c in councils
        ),
    )
