"""A member's vote: the hot path of a meeting.

Entitlement is fixed when a round opens; a vote also needs the member to be in the room when
it is cast, so an early departure counts from that moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wijkraad import audit
from wijkraad.auth.actor import Actor
from wijkraad.errors import Conflict, Forbidden, NotFound
from wijkraad.meetings.models import Attendance
from wijkraad.meetings.rules import Presence
from wijkraad.voting.locks import SHARED
from wijkraad.voting.models import Vote, VoteRound
from wijkraad.voting.rules import Choice, RoundMode, RoundStatus

# Built once; Core statements on the table, so a vote skips the ORM's bulk machinery.
_VOTES = Vote.__table__
_INSERT_VOTE_IF_PRESENT = (
    sa.insert(_VOTES)
    .from_select(
        ["round_id", "membership_id", "seat", "choice", "cast_at"],
        sa.select(
            sa.bindparam("round_id", type_=sa.Integer),
            sa.bindparam("membership_id", type_=sa.Integer),
            sa.bindparam("seat", type_=_VOTES.c.seat.type),
            sa.bindparam("choice", type_=_VOTES.c.choice.type),
            sa.bindparam("cast_at", type_=_VOTES.c.cast_at.type),
        ).where(
            sa.exists().where(
                Attendance.meeting_id == sa.bindparam("meeting_id"),
                Attendance.membership_id == sa.bindparam("membership_id"),
                Attendance.presence == Presence.PRESENT,
            ),
            # Checked again in the insert itself: on SQLite this runs under the database's
            # write lock, so a close that committed first is always seen.
            sa.exists().where(
                VoteRound.id == sa.bindparam("round_id"),
                VoteRound.status == RoundStatus.OPEN,
            ),
        ),
    )
    .returning(_VOTES.c.id)
)


@dataclass(frozen=True)
class RoundForVote:
    """What a vote needs to know of its round, read without building the ORM object."""

    id: int
    meeting_id: int
    council_id: int
    status: RoundStatus
    mode: RoundMode
    entitled: list[int]


_ROUND_COLUMNS = (
    VoteRound.id,
    VoteRound.meeting_id,
    VoteRound.council_id,
    VoteRound.status,
    VoteRound.mode,
    VoteRound.entitled,
)
# On PostgreSQL the read takes the round's lock shared (see voting.locks).
_ROUND_FOR_VOTE = {
    name: statement.where(VoteRound.id == sa.bindparam("round_id"))
    for name, statement in {
        "sqlite": sa.select(*_ROUND_COLUMNS),
        "postgresql": sa.select(*_ROUND_COLUMNS, SHARED),
    }.items()
}


def round_for_vote(session: Session, round_id: int) -> RoundForVote:
    """The round, with its lock shared until the vote commits (PostgreSQL). The status read
    here may be older than the lock; the insert checks it again."""
    statement = _ROUND_FOR_VOTE[session.get_bind().dialect.name]
    row = session.execute(statement, {"round_id": round_id}).one_or_none()
    if row is None:
        raise NotFound("round-not-found")
    return RoundForVote(*row[:6])


@dataclass(frozen=True)
class CastVote:
    id: int
    round_id: int
    membership_id: int
    choice: Choice


def cast_vote(
    session: Session,
    actor: Actor,
    round_id: int,
    choice: Choice,
    now: datetime,
) -> CastVote:
    """Records the vote of the member behind ``actor``. It reads only the round and the
    member's attendance, and lets the database refuse a second vote.

    A vote that is recorded here is counted when the round closes: the round is read under a
    shared lock (PostgreSQL) and the insert itself checks that the round is still open.
    """
    vote_round = round_for_vote(session, round_id)
    seat = actor.seats.get(vote_round.council_id)
    if seat is None:
        raise Forbidden("not-entitled")
    if vote_round.status is not RoundStatus.OPEN:
        raise Conflict("round-closed")
    if vote_round.mode is not RoundMode.NAMED:
        raise Conflict("round-is-analog")
    if seat.membership_id not in vote_round.entitled:
        raise Forbidden("not-entitled")
    try:
        # One statement: insert the vote only if the member is in the room right now.
        vote_id = session.execute(
            _INSERT_VOTE_IF_PRESENT,
            {
                "round_id": vote_round.id,
                "meeting_id": vote_round.meeting_id,
                "membership_id": seat.membership_id,
                "seat": seat.seat,
                "choice": choice,
                "cast_at": now,
            },
        ).scalar_one_or_none()
    except IntegrityError:
        # The unique (round, member) constraint: a second vote, perhaps from another worker.
        # Nothing else was written in this transaction; the caller rolls it back.
        raise Conflict("already-voted") from None
    if vote_id is None:
        status = session.scalar(sa.select(VoteRound.status).where(VoteRound.id == round_id))
        if status is not RoundStatus.OPEN:  # closed since it was read
            raise Conflict("round-closed")
        # Not present (any more): an early departure counts from that moment.
        raise Forbidden("not-entitled")
    audit.record_event(
        session,
        actor.user_id,
        "vote.cast",
        Vote.__tablename__,
        vote_id,
        council_id=vote_round.council_id,
        round_id=vote_round.id,
        membership_id=seat.membership_id,
        choice=choice.value,
    )
    return CastVote(vote_id, vote_round.id, seat.membership_id, choice)
