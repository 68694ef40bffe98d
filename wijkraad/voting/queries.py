"""Reads of vote rounds for the live views and the API: the counts so far, who has not voted,
the latest round of a meeting, a round's decision."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from wijkraad.councils.rules import Seat
from wijkraad.errors import NotFound
from wijkraad.voting.models import Decision, Vote, VoteRound
from wijkraad.voting.rules import Choice, GroupCounts, Outcome, RoundMode, RoundStatus, Tally


@dataclass(frozen=True)
class RoundState:
    """A round as the live views show it, read in one query."""

    id: int
    motion_id: int
    council_id: int
    is_confidential: bool
    status: RoundStatus
    mode: RoundMode
    outcome: Outcome | None
    reason: str | None
    tally: Tally


def _count(seat: Seat, choice: Choice) -> sa.ColumnElement[int]:
    hit = sa.and_(Vote.seat == seat, Vote.choice == choice)
    return sa.func.coalesce(sa.func.sum(sa.case((hit, 1), else_=0)), 0)


_STORED = (
    VoteRound.residents_yes,
    VoteRound.residents_no,
    VoteRound.residents_abstain,
    VoteRound.councillors_yes,
    VoteRound.councillors_no,
    VoteRound.councillors_abstain,
)
_LIVE = tuple(_count(seat, choice) for seat in Seat for choice in Choice)
# Built once: the live tally runs this on every poll.
_ROUND_STATE = (
    sa.select(
        VoteRound.id,
        VoteRound.motion_id,
        VoteRound.council_id,
        VoteRound.is_confidential,
        VoteRound.status,
        VoteRound.mode,
        VoteRound.outcome,
        VoteRound.reason,
        *_STORED,
        *_LIVE,
    )
    .outerjoin(Vote, Vote.round_id == VoteRound.id)
    .where(VoteRound.id == sa.bindparam("round_id"))
    .group_by(VoteRound.id)
)


def round_state(session: Session, round_id: int) -> RoundState:
    """The round with its counts so far, in one statement: the live tally's whole cost.

    Named open rounds count their votes; analog and closed rounds show the stored counts.
    """
    row = session.execute(_ROUND_STATE, {"round_id": round_id}).one_or_none()
    if row is None:
        raise NotFound("round-not-found")
    stored, counted = row[8:14], row[14:20]
    live = row.mode is RoundMode.NAMED and row.status is RoundStatus.OPEN
    counts = [int(n) for n in (counted if live else stored)]
    return RoundState(
        id=row.id,
        motion_id=row.motion_id,
        council_id=row.council_id,
        is_confidential=row.is_confidential,
        status=row.status,
        mode=row.mode,
        outcome=row.outcome,
        reason=row.reason,
        tally=Tally(residents=GroupCounts(*counts[:3]), councillors=GroupCounts(*counts[3:])),
    )


def live_tally(session: Session, vote_round: VoteRound) -> Tally:
    """The counts so far: from the votes (named) or as entered (analog, and closed rounds)."""
    return round_state(session, vote_round.id).tally


def not_voted(session: Session, vote_round: VoteRound) -> list[int]:
    voted = set(
        session.scalars(sa.select(Vote.membership_id).where(Vote.round_id == vote_round.id))
    )
    return [i for i in vote_round.entitled if i not in voted]


def latest_round(session: Session, meeting_id: int, *, open_only: bool = False) -> VoteRound | None:
    """The meeting's round opened last (or its open one)."""
    query = sa.select(VoteRound).where(VoteRound.meeting_id == meeting_id)
    if open_only:
        query = query.where(VoteRound.status == RoundStatus.OPEN)
    return session.scalar(query.order_by(VoteRound.opened_at.desc(), VoteRound.id.desc()).limit(1))


def decision_of(session: Session, vote_round: VoteRound) -> Decision | None:
    return session.scalar(sa.select(Decision).where(Decision.round_id == vote_round.id))
