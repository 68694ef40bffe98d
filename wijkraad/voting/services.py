"""Vote rounds: open (when the rules allow), cast, enter analog counts, close and decide.

Entitlement is fixed when a round opens (snapshot of seated, present and recused members); a
vote also needs the member to be in the room when it is cast, so an early departure counts
from that moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as sa_postgresql
from sqlalchemy.dialects import sqlite as sa_sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wijkraad import audit
from wijkraad.auth.actor import Actor
from wijkraad.councils.rules import Seat
from wijkraad.db import lock_for_update
from wijkraad.errors import Conflict, Forbidden, Invalid, NotFound
from wijkraad.meetings import permissions as meeting_permissions
from wijkraad.meetings import services as meetings
from wijkraad.meetings.models import Attendance
from wijkraad.meetings.rules import MeetingStatus, Presence
from wijkraad.motions import rules as motion_rules
from wijkraad.motions.models import Motion, MotionVersion
from wijkraad.motions.rules import MotionStatus
from wijkraad.voting import rules
from wijkraad.voting.models import (
    Decision,
    DecisionCounter,
    RoundMode,
    RoundStatus,
    Vote,
    VoteRound,
)
from wijkraad.voting.rules import Choice, GroupCounts, Outcome, Tally

DECISION_TEXT_MAX = 200


def get_round(session: Session, round_id: int) -> VoteRound:
    vote_round = session.get(VoteRound, round_id)
    if vote_round is None:
        raise NotFound("round-not-found")
    return vote_round


def snapshot(session: Session, motion: Motion, on: date) -> dict[str, Any]:
    """Who is seated, present, recused and entitled to vote on ``motion`` now."""
    item = motion.agenda_item
    meeting = item.meeting
    state = meetings.presences(session, meeting, on)
    recused = meetings.recused_ids(item)
    return {
        "seated": [{"id": m.id, "seat": m.seat.value, "name": m.person.name} for m in state.seated],
        "present": sorted(state.present),
        "absent_with_notice": sorted(state.absent_with_notice),
        "recused": sorted(recused & {m.id for m in state.seated}),
        "entitled": sorted(state.present - recused),
    }


def _seat_of(snap: dict[str, Any]) -> dict[int, Seat]:
    return {s["id"]: Seat(s["seat"]) for s in snap["seated"]}


def context(
    motion: Motion, snap: dict[str, Any], *, round_open: bool, line_remaining_cents: int | None
) -> rules.RoundContext:
    meeting = motion.agenda_item.meeting
    seats = _seat_of(snap)

    def count(ids: list[int], seat: Seat) -> int:
        return sum(1 for i in ids if seats.get(i) is seat)

    all_ids = list(seats)
    return rules.RoundContext(
        rule=meeting.council.decision_rule,
        meeting_open=meeting.status is MeetingStatus.OPEN,
        is_follow_up=meeting.is_follow_up,
        seated_residents=count(all_ids, Seat.RESIDENT),
        seated_councillors=count(all_ids, Seat.COUNCILLOR),
        present_residents=count(snap["present"], Seat.RESIDENT),
        present_councillors=count(snap["present"], Seat.COUNCILLOR),
        entitled_present_residents=count(snap["entitled"], Seat.RESIDENT),
        entitled_present_councillors=count(snap["entitled"], Seat.COUNCILLOR),
        round_already_open=round_open,
        amount_cents=motion.amount_cents,
        line_remaining_cents=line_remaining_cents,
    )


def _open_round_id(session: Session, motion: Motion) -> int | None:
    return session.scalar(
        sa.select(VoteRound.id).where(
            VoteRound.motion_id == motion.id, VoteRound.status == RoundStatus.OPEN
        )
    )


def blockers(
    session: Session, motion: Motion, on: date, line_remaining_cents: int | None = None
) -> list[str]:
    """Why no round can open on ``motion`` now (empty: it can). For the chair's screen too."""
    snap = snapshot(session, motion, on)
    ctx = context(
        motion,
        snap,
        round_open=_open_round_id(session, motion) is not None,
        line_remaining_cents=line_remaining_cents,
    )
    found = rules.round_blockers(ctx)
    if not motion_rules.votable(motion.status) and "round-already-open" not in found:
        found.append("motion-not-votable")
    if motion_rules.open_amendments_block([a.status for a in motion.amendments]):
        found.append("amendments-first")
    return found


def open_round(
    session: Session,
    actor: Actor,
    motion: Motion,
    *,
    mode: RoundMode,
    now: datetime,
    on: date,
    line_remaining_cents: int | None = None,
) -> VoteRound:
    meeting = motion.agenda_item.meeting
    if not meeting_permissions.can_chair(actor, meeting.council_id):
        raise Forbidden()
    # Serialised with the meeting's own moves: a meeting closing at this moment either sees
    # this round (and stays open) or closes first (and this round is refused).
    meetings.lock(session, meeting)
    session.refresh(motion)
    found = blockers(session, motion, on, line_remaining_cents)
    if found:
        raise Conflict(found[0], problems=", ".join(found))
    before = motion.status
    motion.status = MotionStatus.VOTING
    snap = snapshot(session, motion, on)
    vote_round = VoteRound(
        motion=motion,
        meeting_id=meeting.id,
        council_id=meeting.council_id,
        is_confidential=motion.agenda_item.is_confidential,
        mode=mode,
        status=RoundStatus.OPEN,
        opened_at=now,
        opened_by_id=actor.user_id,
        entitled=snap["entitled"],
        snapshot=snap,
    )
    try:
        with session.begin_nested():
            session.add(vote_round)
    except IntegrityError:
        # Another worker opened one at the same moment: the unique index decided.
        raise Conflict("round-already-open") from None
    meeting.current_item_id = motion.agenda_item_id
    audit.record(
        session,
        actor.user_id,
        "round.open",
        vote_round,
        council_id=meeting.council_id,
        motion_id=motion.id,
        mode=mode.value,
        before=before.value,
        entitled=vote_round.entitled,
    )
    return vote_round


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
# Casting and closing are serialised per round. On PostgreSQL with a transaction-level advisory
# lock keyed by the round: votes take it shared (they never wait for each other), a close takes
# it exclusively, so it waits until the votes under way are committed (and counted), and a vote
# that comes after the close waits for it and then finds the round closed. The lock lives in the
# lock manager, not on the row, so hundreds of votes at once write nothing extra. SQLite has one
# writer at a time: the close holds the write lock while it counts, and the vote's insert checks
# the round's status itself.
ROUND_LOCK_SPACE = 1
_ROUND_FOR_VOTE = {
    "sqlite": sa.select(*_ROUND_COLUMNS),
    "postgresql": sa.select(
        *_ROUND_COLUMNS, sa.func.pg_advisory_xact_lock_shared(ROUND_LOCK_SPACE, VoteRound.id)
    ),
}
_ROUND_FOR_VOTE = {
    name: statement.where(VoteRound.id == sa.bindparam("round_id"))
    for name, statement in _ROUND_FOR_VOTE.items()
}
_LOCK_ROUND = sa.select(
    sa.func.pg_advisory_xact_lock(ROUND_LOCK_SPACE, sa.bindparam("round_id", type_=sa.Integer))
)


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
    """Records the vote of the member behind ``actor``. The hot path of a meeting: it reads
    only the round and the member's attendance, and lets the database refuse a second vote.

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


def set_counts(session: Session, actor: Actor, vote_round: VoteRound, tally: Tally) -> None:
    """The chair enters a show of hands per group (3.9)."""
    council_id = vote_round.motion.agenda_item.meeting.council_id
    if not meeting_permissions.can_chair(actor, council_id):
        raise Forbidden()
    _lock_round(session, vote_round)
    if vote_round.status is not RoundStatus.OPEN:
        raise Conflict("round-closed")
    if vote_round.mode is not RoundMode.ANALOG:
        raise Conflict("round-is-named")
    seats = _seat_of(vote_round.snapshot)
    for group, seat in (("residents", Seat.RESIDENT), ("councillors", Seat.COUNCILLOR)):
        entitled = sum(1 for i in vote_round.entitled if seats.get(i) is seat)
        if getattr(tally, group).cast > entitled:
            raise Invalid("counts-exceed-entitled", field=group, entitled=entitled)
    vote_round.store_tally(tally)
    audit.record(
        session,
        actor.user_id,
        "round.counts",
        vote_round,
        council_id=council_id,
        **tally.as_dict(),
    )


def _lock_round(session: Session, vote_round: VoteRound) -> None:
    """Takes the round for this transaction alone and reads it afresh."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_LOCK_ROUND, {"round_id": vote_round.id})
    else:
        lock_for_update(session, VoteRound, vote_round.id)
    session.refresh(vote_round)


def close_round(
    session: Session, actor: Actor, vote_round: VoteRound, *, now: datetime, on: date
) -> Decision | None:
    """Closes the round, decides by the council's rule, and records the decision."""
    motion = vote_round.motion
    meeting = motion.agenda_item.meeting
    council = meeting.council
    if not meeting_permissions.can_chair(actor, council.id):
        raise Forbidden()
    # Exclusive: waits for the votes under way, and holds back the ones that come after until
    # this close is committed (they are then refused). A second close waits, then finds the
    # round closed.
    _lock_round(session, vote_round)
    if vote_round.status is not RoundStatus.OPEN:
        raise Conflict("round-closed")
    tally = live_tally(session, vote_round)
    snap = dict(vote_round.snapshot)
    if vote_round.mode is RoundMode.NAMED:
        snap["votes"] = {
            str(v.membership_id): v.choice.value
            for v in session.scalars(sa.select(Vote).where(Vote.round_id == vote_round.id))
        }
    seated_ids = {s["id"] for s in snap["seated"]}
    verdict = rules.decide(
        tally,
        rule=council.decision_rule,
        requirement=motion.requirement,
        entitled_present=len(snap["entitled"]),
        all_seated_present=seated_ids <= set(snap["present"]),
        earlier_tie=motion.ties > 0,
    )
    vote_round.store_tally(tally)
    vote_round.status = RoundStatus.CLOSED
    vote_round.closed_at = now
    vote_round.outcome = verdict.outcome
    vote_round.reason = verdict.reason
    vote_round.snapshot = snap
    decision = _settle(session, actor, motion, verdict.outcome, vote_round, on)
    audit.record(
        session,
        actor.user_id,
        "round.close",
        vote_round,
        council_id=council.id,
        outcome=verdict.outcome.value,
        reason=verdict.reason,
        **tally.as_dict(),
    )
    return decision


def _settle(
    session: Session,
    actor: Actor,
    motion: Motion,
    outcome: Outcome,
    vote_round: VoteRound | None,
    on: date,
) -> Decision | None:
    council_id = motion.agenda_item.meeting.council_id
    if outcome is Outcome.INVALID:
        motion.status = MotionStatus.SCHEDULED  # nothing decided; it can be voted again
        return None
    if outcome is Outcome.POSTPONED:
        motion.ties += 1
        motion.status = MotionStatus.POSTPONED
        return None
    motion.status = MotionStatus.ADOPTED if outcome is Outcome.ADOPTED else MotionStatus.REJECTED
    if outcome is Outcome.ADOPTED and motion.amends is not None:
        _apply_amendment(session, actor, motion)
    decision = _record_decision(session, motion, outcome, vote_round, on)
    audit.record(
        session,
        actor.user_id,
        "decision.record",
        decision,
        council_id=council_id,
        identifier=decision.identifier,
        outcome=outcome.value,
    )
    return decision


def _apply_amendment(session: Session, actor: Actor, amendment: Motion) -> None:
    """An adopted amendment gives its motion a new text; the earlier text is kept."""
    target = amendment.amends
    assert target is not None
    session.add(
        MotionVersion(motion=target, text=target.text, replaced_by_amendment_id=amendment.id)
    )
    target.text = amendment.text
    audit.record(
        session,
        actor.user_id,
        "motion.amended",
        target,
        council_id=target.agenda_item.meeting.council_id,
        amendment_id=amendment.id,
    )


def _record_decision(
    session: Session, motion: Motion, outcome: Outcome, vote_round: VoteRound | None, on: date
) -> Decision:
    meeting = motion.agenda_item.meeting
    council = meeting.council
    year = meeting.starts_at.year
    number = _next_decision_number(session, council.id, year)
    decision = Decision(
        council_id=council.id,
        motion_id=motion.id,
        round_id=vote_round.id if vote_round else None,
        meeting_id=meeting.id,
        identifier=f"{council.code}-{year}-{number:03d}",
        year=year,
        number=number,
        outcome=outcome,
        text=motion.title[:DECISION_TEXT_MAX],
        decided_on=on,
    )
    session.add(decision)
    session.flush()
    return decision


def _next_decision_number(session: Session, council_id: int, year: int) -> int:
    """The council's next number for ``year``, from its counter row: the update locks the
    row until the transaction ends, so decisions taken at the same moment queue for it."""
    dialect = session.get_bind().dialect.name
    insert = sa_postgresql.insert if dialect == "postgresql" else sa_sqlite.insert
    session.execute(
        insert(DecisionCounter)
        .values(council_id=council_id, year=year, last_number=0)
        .on_conflict_do_nothing()
    )
    return session.execute(
        sa.update(DecisionCounter)
        .where(DecisionCounter.council_id == council_id, DecisionCounter.year == year)
        .values(last_number=DecisionCounter.last_number + 1)
        .returning(DecisionCounter.last_number)
    ).scalar_one()


def adopt_formality(session: Session, actor: Actor, motion: Motion, *, on: date) -> Decision:
    """A hamerstuk is adopted without a vote, unless a member asked for one (3.8)."""
    item = motion.agenda_item
    meeting = item.meeting
    if not meeting_permissions.can_chair(actor, meeting.council_id):
        raise Forbidden()
    meetings.lock(session, meeting)  # one adoption, and none in a meeting closing meanwhile
    session.refresh(motion)
    if meeting.status is not MeetingStatus.OPEN:
        raise Conflict("meeting-not-open")
    if not item.is_formality:
        raise Conflict("not-a-formality")
    if motion.vote_requested:
        raise Conflict("vote-requested")
    if not motion_rules.votable(motion.status):
        raise Conflict("motion-not-votable")
    decision = _settle(session, actor, motion, Outcome.ADOPTED, None, on)
    assert decision is not None
    return decision
