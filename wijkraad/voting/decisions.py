"""Deciding: close a round by the council's rule, adopt a formality without a vote, and record
the decision with its public identifier."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as sa_postgresql
from sqlalchemy.dialects import sqlite as sa_sqlite
from sqlalchemy.orm import Session

from wijkraad import audit
from wijkraad.auth.actor import Actor
from wijkraad.budget import rules as budget_rules
from wijkraad.budget import services as budget
from wijkraad.budget import transfers
from wijkraad.db import utcnow
from wijkraad.errors import Conflict, Forbidden
from wijkraad.meetings import permissions as meeting_permissions
from wijkraad.meetings import services as meetings
from wijkraad.meetings.models import AgendaItem
from wijkraad.meetings.rules import MeetingStatus
from wijkraad.motions import agenda
from wijkraad.motions import rules as motion_rules
from wijkraad.motions import services as motions
from wijkraad.motions.models import Motion, MotionVersion
from wijkraad.motions.rules import MotionStatus, Requirement
from wijkraad.voting import rules
from wijkraad.voting.locks import lock_round
from wijkraad.voting.models import Decision, DecisionCounter, Vote, VoteRound
from wijkraad.voting.queries import live_tally
from wijkraad.voting.rules import Outcome, RoundMode, RoundStatus

DECISION_TEXT_MAX = 200
# A round's reason when the vote adopted a motion whose money was no longer there.
BUDGET_EXCEEDED = "budget-exceeded"
# ... and one that tops up an execution that was finished or cancelled meanwhile.
TOP_UP_CLOSED = "top-up-closed"


def close_refusal(vote_round: VoteRound) -> Conflict | None:
    """Why ``vote_round`` cannot be closed now (what ``close_round`` refuses with), or None."""
    if rules.round_may_move(vote_round.status, RoundStatus.CLOSED):
        return None
    return Conflict("round-closed")


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
    lock_round(session, vote_round)
    if (refusal := close_refusal(vote_round)) is not None:
        raise refusal
    tally = live_tally(session, vote_round)
    snap = vote_round.snapshot
    if vote_round.mode is RoundMode.NAMED:
        cast = session.execute(
            sa.select(Vote.membership_id, Vote.choice).where(Vote.round_id == vote_round.id)
        )
        snap = snap.with_votes({member: choice for member, choice in cast})
    verdict = rules.decide(
        tally,
        rule=council.decision_rule,
        # A transfer between budget lines always needs two thirds (it is refused otherwise).
        requirement=Requirement.TWO_THIRDS
        if motion.source_line_id is not None
        else motion.requirement,
        entitled_present=len(snap.entitled),
        all_seated_present=snap.all_seated_present,
        earlier_tie=motion.ties > 0,
    )
    money = (
        transfers.still_possible(session, motion) if verdict.outcome is Outcome.ADOPTED else None
    )
    if money is not None:
        # Adopted by the vote, but another decision took the money since the round opened
        # (or finished the execution a top-up was for): nothing is decided and nothing
        # committed; the motion can be voted again once the amount fits (a smaller amount, or
        # money moved to the line by a decision).
        verdict = rules.Verdict(Outcome.INVALID, money)
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
    if motion.source_line_id is not None:
        # Two thirds are needed: a transfer is voted on, never adopted without a vote.
        raise Conflict("transfer-not-by-formality")
    money = transfers.still_possible(session, motion)
    if money == TOP_UP_CLOSED:
        raise Conflict(TOP_UP_CLOSED)
    if money is not None:
        left = budget.remaining(session, motion.budget_line_id or 0)
        raise Conflict(
            BUDGET_EXCEEDED,
            remaining=budget_rules.dutch_euros(left),
            extensions={"remaining_cents": left},
        )
    decision = _settle(session, actor, motion, Outcome.ADOPTED, None, on)
    assert decision is not None
    return decision


def gavel(session: Session, actor: Actor, item: AgendaItem, *, on: date) -> Decision:
    """The chair's gavel on a formality item of the open meeting: its motion (made from the
    item when it has none) adopted without a vote, unless a member asked for one. Under the
    meeting's lock, so that two presses at once make one decision: the second finds it taken
    (409 formality-decided)."""
    meeting = item.meeting
    if not meeting_permissions.can_chair(actor, meeting.council_id):
        raise Forbidden()
    meetings.lock(session, meeting)
    if meeting.status is not MeetingStatus.OPEN:
        raise Conflict("meeting-not-open")
    motion = agenda.formality_motion(session, actor, item)
    return adopt_formality(session, actor, motion, on=on)


def _settle(
    session: Session,
    actor: Actor,
    motion: Motion,
    outcome: Outcome,
    vote_round: VoteRound | None,
    on: date,
) -> Decision | None:
    """Moves the motion as the outcome says and, when it decided, records the decision."""
    council_id = motion.agenda_item.meeting.council_id
    round_id = vote_round.id if vote_round else None
    if outcome is Outcome.INVALID:
        # Nothing decided; it can be voted again.
        motions.move(session, actor, motion, MotionStatus.SCHEDULED, round_id=round_id)
        return None
    if outcome is Outcome.POSTPONED:
        motion.ties += 1
        motions.move(session, actor, motion, MotionStatus.POSTPONED, round_id=round_id)
        return None
    target = MotionStatus.ADOPTED if outcome is Outcome.ADOPTED else MotionStatus.REJECTED
    motions.move(session, actor, motion, target, round_id=round_id)
    if outcome is Outcome.ADOPTED and motion.amends is not None:
        _apply_amendment(session, actor, motion)
    decision = _record_decision(session, motion, outcome, vote_round, on)
    money = outcome is Outcome.ADOPTED and motion.amount_cents and motion.budget_line_id
    if money and motion.source_line_id is not None:
        transfers.move(
            session,
            actor,
            decision_id=decision.id,
            council_id=council_id,
            from_line_id=motion.source_line_id,
            to_line_id=motion.budget_line_id or 0,
            amount_cents=motion.amount_cents or 0,
            is_confidential=_confidential(session, motion, vote_round),
            now=utcnow(),
        )
    elif money and motion.supplements_decision_id is not None:
        transfers.top_up(
            session,
            actor,
            decision_id=decision.id,
            council_id=council_id,
            supplements_decision_id=motion.supplements_decision_id,
            line_id=motion.budget_line_id or 0,
            amount_cents=motion.amount_cents or 0,
            now=utcnow(),
        )
    elif money:
        budget.commit(
            session,
            actor,
            decision_id=decision.id,
            council_id=council_id,
            line_id=motion.budget_line_id or 0,
            amount_cents=motion.amount_cents or 0,
            is_confidential=_confidential(session, motion, vote_round),
            now=utcnow(),
        )
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


def _confidential(session: Session, motion: Motion, vote_round: VoteRound | None) -> bool:
    """Whether the decision is confidential: its item, the item's parent, or its round is."""
    item = motion.agenda_item
    parent = session.get(AgendaItem, item.parent_id) if item.parent_id is not None else None
    return (
        item.is_confidential
        or (parent is not None and parent.is_confidential)
        or (vote_round is not None and vote_round.is_confidential)
    )


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
