"""Reads of vote rounds for the live views and the API: the counts so far, who has not voted,
the latest round of a meeting, a round's decision."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from wijkraad.councils.models import Council
from wijkraad.councils.rules import Seat
from wijkraad.errors import NotFound
from wijkraad.meetings.models import AgendaItem, Attendance, Meeting
from wijkraad.meetings.rules import MeetingStatus, Presence
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


STORED = (
    VoteRound.residents_yes,
    VoteRound.residents_no,
    VoteRound.residents_abstain,
    VoteRound.councillors_yes,
    VoteRound.councillors_no,
    VoteRound.councillors_abstain,
)
LIVE = tuple(_count(seat, choice) for seat in Seat for choice in Choice)
# The round with its counts: named open rounds count their votes, the others show the stored
# counts. Built once: the live tally runs it on every poll.
ROUNDS_WITH_COUNTS = (
    sa.select(
        VoteRound.id,
        VoteRound.motion_id,
        VoteRound.council_id,
        VoteRound.is_confidential,
        VoteRound.status,
        VoteRound.mode,
        VoteRound.outcome,
        VoteRound.reason,
        *STORED,
        *LIVE,
    )
    .outerjoin(Vote, Vote.round_id == VoteRound.id)
    .group_by(VoteRound.id)
)
_ROUND_STATE = ROUNDS_WITH_COUNTS.where(VoteRound.id == sa.bindparam("round_id"))


def state_of(row: sa.Row[tuple[object, ...]]) -> RoundState:
    """A row of ``ROUNDS_WITH_COUNTS`` as a typed value."""
    return RoundState(
        id=row.id,
        motion_id=row.motion_id,
        council_id=row.council_id,
        is_confidential=row.is_confidential,
        status=row.status,
        mode=row.mode,
        outcome=row.outcome,
        reason=row.reason,
        tally=tally_of(row, row[8:14], row[14:20]),
    )


def round_state(session: Session, round_id: int) -> RoundState:
    """The round with its counts so far, in one statement: the live tally's whole cost."""
    row = session.execute(_ROUND_STATE, {"round_id": round_id}).one_or_none()
    if row is None:
        raise NotFound("round-not-found")
    return state_of(row)


def tally_of(
    row: sa.Row[tuple[object, ...]], stored: Sequence[object], counted: Sequence[object]
) -> Tally:
    """Named open rounds count their votes; analog and closed rounds show the stored counts."""
    live = row.mode is RoundMode.NAMED and row.status is RoundStatus.OPEN
    counts = [int(n) for n in (counted if live else stored)]  # type: ignore[call-overload]
    return Tally(residents=GroupCounts(*counts[:3]), councillors=GroupCounts(*counts[3:]))


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


# ------------------------------------------------------------- the live marker


@dataclass(frozen=True)
class LiveMarker:
    """What a live screen needs to know before anything else, read in one statement: whether
    the meeting may be shown (its status and council), and a fingerprint of everything the
    projector, the phones and the chair's console show of it. Equal fingerprints, equal screens
    (for the same viewer), so a poll that finds its fingerprint unchanged needs nothing more."""

    meeting_id: int
    council_id: int
    status: MeetingStatus
    fingerprint: tuple[object, ...]


def _aggregate(*columns: sa.ColumnElement[object], where: sa.ColumnElement[bool]) -> sa.Subquery:
    return sa.select(*columns).where(where).subquery()


def _marker_statement(meeting_id: sa.ColumnElement[int]) -> sa.Select[tuple[object, ...]]:
    """One row whatever the size of the meeting: each part is an aggregate over indexed rows."""
    rounds = sa.select(VoteRound.id).where(VoteRound.meeting_id == meeting_id)
    items = _aggregate(
        sa.func.count(AgendaItem.id),
        sa.func.coalesce(sa.func.sum(AgendaItem.position), 0),
        sa.func.coalesce(sa.func.sum(AgendaItem.parent_id), 0),
        sa.func.coalesce(sa.func.sum(sa.case((AgendaItem.is_confidential, AgendaItem.id))), 0),
        where=AgendaItem.meeting_id == meeting_id,
    )
    votes = _aggregate(
        sa.func.count(Vote.id),
        sa.func.coalesce(sa.func.max(Vote.id), 0),
        where=Vote.round_id.in_(rounds),
    )
    stored = (VoteRound.status == RoundStatus.OPEN, VoteRound.outcome.is_(None))
    round_parts = _aggregate(
        sa.func.count(VoteRound.id),
        sa.func.coalesce(sa.func.max(VoteRound.id), 0),
        sa.func.coalesce(sa.func.sum(sa.case((stored[0], VoteRound.id))), 0),
        sa.func.coalesce(sa.func.sum(sa.case((stored[1], VoteRound.id))), 0),
        *(sa.func.coalesce(sa.func.sum(column), 0) for column in STORED),
        where=VoteRound.meeting_id == meeting_id,
    )
    present = Attendance.presence == Presence.PRESENT
    attendance = _aggregate(
        sa.func.count(Attendance.id),
        sa.func.coalesce(sa.func.sum(sa.case((present, Attendance.membership_id))), 0),
        sa.func.max(Attendance.changed_at),
        where=Attendance.meeting_id == meeting_id,
    )
    decisions = _aggregate(
        sa.func.count(Decision.id),
        sa.func.coalesce(sa.func.max(Decision.id), 0),
        where=Decision.meeting_id == meeting_id,
    )
    current = aliased(AgendaItem)
    parts = (items, votes, round_parts, attendance, decisions)
    query = (
        sa.select(
            Meeting.id,
            Meeting.council_id,
            Meeting.status,
            Meeting.current_item_id,
            current.title,
            Council.name,
            Council.decision_rule,
            *(column for part in parts for column in part.c),
        )
        .join(Council, Council.id == Meeting.council_id)
        .outerjoin(current, current.id == Meeting.current_item_id)
        .where(Meeting.id == meeting_id)
    )
    for part in parts:
        query = query.join(part, sa.true())
    return query


# Built once: every poll runs one of these.
_MEETING_MARKER = _marker_statement(sa.bindparam("meeting_id"))
_ROUND_MARKER = _marker_statement(
    sa.select(VoteRound.meeting_id)
    .where(VoteRound.id == sa.bindparam("round_id"))
    .scalar_subquery()
)


def _marker(row: sa.Row[tuple[object, ...]] | None, missing: str) -> LiveMarker:
    if row is None:
        raise NotFound(missing)
    return LiveMarker(
        meeting_id=row[0],
        council_id=row[1],
        status=row[2],
        fingerprint=tuple(str(value) for value in row),
    )


def _one_row(
    session: Session, statement: sa.Select[tuple[object, ...]], params: dict[str, int]
) -> sa.Row[tuple[object, ...]] | None:
    """Runs a marker, the whole cost of most polls, on a pooled connection of its own in
    autocommit: Core, past the ORM session's machinery, and outside any transaction. Outside a
    transaction, PostgreSQL keeps the statement prepared on that connection from one poll to
    the next (psycopg forgets what was prepared in a transaction that rolls back, as every
    reading request's does), so it is planned once rather than on every poll: about ten times
    cheaper for this many-part statement. (SQLite plans in microseconds, and switching its
    connection to autocommit and back costs more than it saves.)"""
    engine = session.get_bind()
    connection = engine.connect()
    if engine.dialect.name == "postgresql":
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
    with connection:
        return connection.execute(statement, params).one_or_none()


def meeting_marker(session: Session, meeting_id: int) -> LiveMarker:
    """The live marker of a meeting (the projector, the phones): one statement."""
    return _marker(
        _one_row(session, _MEETING_MARKER, {"meeting_id": meeting_id}), "meeting-not-found"
    )


def round_marker(session: Session, round_id: int) -> LiveMarker:
    """The live marker of a round's meeting (the chair's console): one statement."""
    return _marker(_one_row(session, _ROUND_MARKER, {"round_id": round_id}), "round-not-found")
