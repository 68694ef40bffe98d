"""Reads of a meeting and its motions with their rounds and decisions, for the API and pages.

Each read takes a fixed number of statements whatever the number of motions, rounds or
members, and decides visibility once: a meeting the caller may not see is not found, a
confidential item hides its sub-items, their motions, rounds and decisions from whoever is no
member, and a draft motion shows only to its authors and those who prepare meetings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.interfaces import ORMOption

from wijkraad.auth.actor import Actor
from wijkraad.errors import NotFound
from wijkraad.meetings import agenda_sent, permissions
from wijkraad.meetings import services as meetings
from wijkraad.meetings.models import AgendaItem, Meeting
from wijkraad.meetings.rules import MeetingStatus
from wijkraad.motions import permissions as motion_permissions
from wijkraad.motions import queries as motion_queries
from wijkraad.motions.models import Motion
from wijkraad.motions.rules import MotionStatus, Requirement
from wijkraad.voting.models import Decision, VoteRound
from wijkraad.voting.queries import ROUNDS_WITH_COUNTS, RoundState, state_of
from wijkraad.voting.rules import Outcome


@dataclass(frozen=True)
class DecisionRead:
    id: int
    identifier: str
    outcome: Outcome


@dataclass(frozen=True)
class RoundRead:
    state: RoundState
    decision: DecisionRead | None


@dataclass(frozen=True)
class MotionRead:
    id: int
    title: str
    text: str
    status: MotionStatus
    requirement: Requirement
    amount_cents: int | None
    budget_line_id: int | None
    amends_id: int | None
    source_line_id: int | None  # a transfer: the line the amount moves from
    supplements_decision_id: int | None  # a top-up: the decision it adds money to
    vote_requested: bool
    rounds: tuple[RoundRead, ...]  # oldest first
    decision: DecisionRead | None
    agenda_item_id: int
    submitted_by_id: int | None  # a membership
    signer_ids: tuple[int, ...]  # the co-signers' memberships, in the order they signed

    @property
    def latest_round(self) -> RoundState | None:
        return self.rounds[-1].state if self.rounds else None


@dataclass(frozen=True)
class ItemRead:
    id: int
    number: str
    title: str
    description: str
    is_formality: bool
    is_confidential: bool
    parent_id: int | None
    motions: tuple[MotionRead, ...]


@dataclass(frozen=True)
class MeetingRead:
    id: int
    council: str  # its slug
    title: str
    starts_at: datetime
    location: str
    status: MeetingStatus
    follow_up_of: int | None
    follow_up_title: str | None  # the title of the meeting it follows up
    current_item_id: int | None
    agenda: tuple[ItemRead, ...]  # the visible items, in the order of their numbers
    # Whether the published agenda changed since it was mailed: for those who manage the
    # meeting only (None for others).
    agenda_changed: bool | None = None

    @property
    def is_follow_up(self) -> bool:
        return self.follow_up_of is not None


# The rounds of several motions with their counts, in one statement.
_ROUNDS_OF_MOTIONS = ROUNDS_WITH_COUNTS.where(
    VoteRound.motion_id.in_(sa.bindparam("motion_ids", expanding=True))
).order_by(VoteRound.id)


def _may_see_motion(actor: Actor, council_id: int, motion: Motion) -> bool:
    if motion.status is not MotionStatus.DRAFT:
        return True
    return motion_permissions.can_see_draft_motion(
        actor, council_id, motion.submitted_by_id, {s.membership_id for s in motion.signers}
    )


def _motion_reads(
    session: Session, actor: Actor, council_id: int, motions: Iterable[Motion]
) -> dict[int, MotionRead]:
    """The visible ones of ``motions`` with their rounds and decisions: two statements."""
    visible = [m for m in motions if _may_see_motion(actor, council_id, m)]
    ids = [m.id for m in visible]
    # Also for no motions: the statements are the same whatever the size of the meeting.
    decisions = session.execute(
        sa.select(
            Decision.id,
            Decision.identifier,
            Decision.outcome,
            Decision.motion_id,
            Decision.round_id,
        )
        .where(Decision.motion_id.in_(ids))
        .order_by(Decision.id)
    ).all()
    reads = {d.id: DecisionRead(d.id, d.identifier, d.outcome) for d in decisions}
    by_round = {d.round_id: reads[d.id] for d in decisions if d.round_id}
    by_motion = {d.motion_id: reads[d.id] for d in decisions}
    rounds: dict[int, list[RoundRead]] = {i: [] for i in ids}
    for row in session.execute(_ROUNDS_OF_MOTIONS, {"motion_ids": ids}):
        state = state_of(row)
        rounds[state.motion_id].append(RoundRead(state, by_round.get(state.id)))
    return {
        m.id: MotionRead(
            id=m.id,
            title=m.title,
            text=m.text,
            status=m.status,
            requirement=m.requirement,
            amount_cents=m.amount_cents,
            budget_line_id=m.budget_line_id,
            amends_id=m.amends_id,
            source_line_id=m.source_line_id,
            supplements_decision_id=m.supplements_decision_id,
            vote_requested=m.vote_requested,
            rounds=tuple(rounds[m.id]),
            decision=by_motion.get(m.id),
            agenda_item_id=m.agenda_item_id,
            submitted_by_id=m.submitted_by_id,
            signer_ids=tuple(s.membership_id for s in m.signers),
        )
        for m in visible
    }


def visible_meeting(session: Session, actor: Actor, meeting_id: int, *also: ORMOption) -> Meeting:
    """The meeting with its council, the meeting it follows up and its items loaded (two
    statements, and what ``also`` loads), or NotFound."""
    meeting = session.scalar(
        sa.select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(
            joinedload(Meeting.council),
            joinedload(Meeting.follow_up_of),
            selectinload(Meeting.items),
            *also,
        )
    )
    if meeting is None or not meetings.may_see(actor, meeting):
        raise NotFound("meeting-not-found")
    return meeting


def meeting_read(session: Session, actor: Actor, meeting_id: int) -> MeetingRead:
    """The meeting with the agenda, motions, rounds and decisions ``actor`` may see."""
    read, _motions = read_meeting(session, actor, visible_meeting(session, actor, meeting_id))
    return read


def read_meeting(
    session: Session, actor: Actor, meeting: Meeting
) -> tuple[MeetingRead, list[Motion]]:
    """The read of a meeting loaded by ``visible_meeting`` (six statements), and the motions
    of its visible items as loaded for it (with their signers, amendments and versions, the
    ones ``actor`` may not see among them), from which the meeting page takes the rest."""
    hidden = meetings.hidden_item_ids(actor, meeting)
    items = [(n, i) for n, i in meetings.ordered_items(meeting) if i.id not in hidden]
    item_ids = [i.id for _, i in items]
    motions = motion_queries.motions_of_items(session, item_ids)
    reads = _motion_reads(session, actor, meeting.council_id, motions)
    by_item: dict[int, list[MotionRead]] = {i: [] for i in item_ids}
    for motion in motions:
        if motion.id in reads:
            by_item[motion.agenda_item_id].append(reads[motion.id])
    follow_up = meeting.follow_up_of
    read = MeetingRead(
        id=meeting.id,
        council=meeting.council.slug,
        title=meeting.title,
        starts_at=meeting.starts_at,
        location=meeting.location,
        status=meeting.status,
        follow_up_of=meeting.follow_up_of_id,
        follow_up_title=follow_up.title if follow_up is not None else None,
        current_item_id=meeting.current_item_id,
        agenda=tuple(
            ItemRead(
                id=item.id,
                number=number,
                title=item.title,
                description=item.description,
                is_formality=item.is_formality,
                is_confidential=item.is_confidential,
                parent_id=item.parent_id,
                motions=tuple(by_item[item.id]),
            )
            for number, item in items
        ),
        agenda_changed=(
            agenda_sent.changes(meeting) is not None
            if permissions.can_manage_meeting(actor, meeting.council_id)
            else None
        ),
    )
    return read, motions


def visible_motion(session: Session, actor: Actor, motion_id: int) -> Motion:
    """The motion with its item, meeting, council and signers, or NotFound for one on a
    meeting, item or draft the caller may not see."""
    motion = session.scalar(
        sa.select(Motion)
        .where(Motion.id == motion_id)
        .options(
            joinedload(Motion.agenda_item)
            .joinedload(AgendaItem.meeting)
            .options(joinedload(Meeting.council), selectinload(Meeting.items)),
            selectinload(Motion.signers),
        )
    )
    if motion is None:
        raise NotFound("motion-not-found")
    meeting = motion.agenda_item.meeting
    if (
        not meetings.may_see(actor, meeting)
        or motion.agenda_item_id in meetings.hidden_item_ids(actor, meeting)
        or not _may_see_motion(actor, meeting.council_id, motion)
    ):
        raise NotFound("motion-not-found")
    return motion


def motion_read(session: Session, actor: Actor, motion_id: int) -> MotionRead:
    motion = visible_motion(session, actor, motion_id)
    council_id = motion.agenda_item.meeting.council_id
    return _motion_reads(session, actor, council_id, [motion])[motion.id]


def decision_of_round(session: Session, round_id: int) -> DecisionRead | None:
    found = session.execute(
        sa.select(Decision.id, Decision.identifier, Decision.outcome).where(
            Decision.round_id == round_id
        )
    ).one_or_none()
    return DecisionRead(found.id, found.identifier, found.outcome) if found else None


def read_in_autocommit(session: Session) -> None:
    """A single read needs no transaction: autocommit spares the BEGIN and ROLLBACK round
    trips on every poll of every projector and phone."""
    if not session.in_transaction():
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
