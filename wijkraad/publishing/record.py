"""A council's whole public record, read at once for the open-data exports (Popolo, ODS, CSV).

The exports are the public view, whoever asks: nothing here takes an actor. A decision, round
or motion on a confidential item (or under one, or in a confidential round) is left out by the
same test the other reads apply (``queries.confidential``), decisions come from
``queries.public_decisions_of``, and a resident's name is None where the council does not
publish residents' names (the exports then say "bewoner" under a pseudonymous id). No contact
detail is read at all. Nine statements, whatever the number of meetings, decisions, rounds,
votes or members.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from wijkraad.councils.models import Council, Membership, Person
from wijkraad.councils.queries import CouncilSummary
from wijkraad.councils.rules import Role, Seat
from wijkraad.errors import NotFound
from wijkraad.meetings.models import AgendaItem, Meeting
from wijkraad.meetings.rules import ItemPosition, MeetingStatus, agenda_numbers
from wijkraad.motions.models import Motion
from wijkraad.motions.rules import Requirement
from wijkraad.publishing import queries
from wijkraad.publishing.queries import DecisionView
from wijkraad.voting.models import Decision, Vote, VoteRound
from wijkraad.voting.rules import Choice, GroupCounts, Outcome, RoundMode, RoundStatus, Tally


@dataclass(frozen=True)
class RecordMember:
    """A membership as the public may know it. ``person_key`` names the person stably: their
    person where their name is public, the membership itself where it is not (so nothing links
    an unnamed resident's seats to each other or to another council)."""

    membership_id: int
    person_key: str
    name: str | None
    seat: Seat
    role: Role
    starts_on: date
    ends_on: date | None


@dataclass(frozen=True)
class RecordMeeting:
    id: int
    title: str
    starts_at: datetime
    location: str
    status: MeetingStatus
    opened_at: datetime | None
    closed_at: datetime | None


@dataclass(frozen=True)
class RecordItem:
    id: int
    meeting_id: int
    parent_id: int | None
    number: str  # "2", "3.1"
    order: int  # its place in the meeting's agenda, 1 first
    title: str
    is_formality: bool


@dataclass(frozen=True)
class RecordMotion:
    id: int
    agenda_item_id: int
    meeting_id: int
    title: str
    text: str
    requirement: Requirement
    submitted_at: datetime
    amends_id: int | None


@dataclass(frozen=True)
class RecordRound:
    """A closed vote round with what its snapshot says: who was seated, present and entitled
    when it opened, and (named rounds) how each voted; ``earlier_tie`` says an earlier round on
    the motion tied and postponed it, which the rule needs (3.7)."""

    id: int
    motion_id: int
    meeting_id: int
    mode: RoundMode
    opened_at: datetime
    closed_at: datetime | None
    outcome: Outcome
    reason: str
    tally: Tally
    seated: tuple[int, ...]
    present: tuple[int, ...]
    entitled: tuple[int, ...]
    votes: tuple[tuple[int, Choice], ...]  # (membership id, choice): named rounds only
    earlier_tie: bool
    decision_id: int | None

    @property
    def all_seated_present(self) -> bool:
        return set(self.seated) <= set(self.present)


@dataclass(frozen=True)
class CouncilRecord:
    council: CouncilSummary
    members: tuple[RecordMember, ...]
    meetings: tuple[RecordMeeting, ...]
    items: tuple[RecordItem, ...]  # those the motions below are on, and their parents
    motions: tuple[RecordMotion, ...]
    rounds: tuple[RecordRound, ...]
    decisions: tuple[DecisionView, ...]


def public_council(session: Session, slug: str) -> CouncilSummary:
    """The council with this slug (one statement); NotFound for none."""
    council = session.scalar(sa.select(Council).where(Council.slug == slug))
    if council is None:
        raise NotFound("council-not-found")
    return CouncilSummary.of(council)


def council_record(session: Session, slug: str) -> CouncilRecord:
    """Everything of the council the public may know, in nine statements."""
    council = public_council(session, slug)
    members = _members(session, council)
    meetings = _meetings(session, council.id)
    decisions = queries.public_decisions_of(session, council.id)
    rounds = _rounds(session, council.id)
    motion_ids = {d.motion_id for d in decisions} | {r.motion_id for r in rounds}
    motions = tuple(m for m in _motions(session, council.id) if m.id in motion_ids)
    items = _items(session, council.id, {m.agenda_item_id for m in motions})
    return CouncilRecord(council, members, meetings, items, motions, rounds, decisions)


def _members(session: Session, council: CouncilSummary) -> tuple[RecordMember, ...]:
    rows = session.execute(
        sa.select(
            Membership.id,
            Membership.person_id,
            Person.name,
            Membership.seat,
            Membership.role,
            Membership.starts_on,
            Membership.ends_on,
        )
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.council_id == council.id)
        .order_by(Membership.starts_on, Membership.id)
    )
    members = []
    for row in rows:
        if row.ends_on is not None and row.ends_on <= row.starts_on:
            continue  # a seat that never ran (declined before it started)
        public = council.publishes_resident_names or row.seat is Seat.COUNCILLOR
        members.append(
            RecordMember(
                membership_id=row.id,
                person_key=f"person/{row.person_id}" if public else f"resident/{row.id}",
                name=row.name if public else None,
                seat=row.seat,
                role=row.role,
                starts_on=row.starts_on,
                ends_on=row.ends_on,
            )
        )
    return tuple(members)


def _meetings(session: Session, council_id: int) -> tuple[RecordMeeting, ...]:
    """The council's meetings but its drafts (which only those who prepare them see)."""
    rows = session.scalars(
        sa.select(Meeting)
        .where(Meeting.council_id == council_id, Meeting.status != MeetingStatus.DRAFT)
        .order_by(Meeting.starts_at, Meeting.id)
    )
    return tuple(
        RecordMeeting(m.id, m.title, m.starts_at, m.location, m.status, m.opened_at, m.closed_at)
        for m in rows
    )


def _round_filter(council_id: int) -> tuple[sa.Select[tuple[int]], sa.ColumnElement[bool]]:
    """The closed, public rounds of the council: the joins and the condition."""
    item, parent = aliased(AgendaItem), aliased(AgendaItem)
    joined = (
        sa.select(VoteRound.id)
        .join(Motion, Motion.id == VoteRound.motion_id)
        .join(item, item.id == Motion.agenda_item_id)
        .outerjoin(parent, parent.id == item.parent_id)
    )
    condition = sa.and_(
        VoteRound.council_id == council_id,
        VoteRound.status == RoundStatus.CLOSED,
        sa.not_(queries.confidential(item, parent, VoteRound)),
    )
    return joined, condition


def _rounds(session: Session, council_id: int) -> tuple[RecordRound, ...]:
    """The closed public rounds, with their snapshots (one statement) and votes (another)."""
    joined, condition = _round_filter(council_id)
    earlier = aliased(VoteRound)
    earlier_tie = (
        sa.exists()
        .where(
            earlier.motion_id == VoteRound.motion_id,
            earlier.id < VoteRound.id,
            earlier.outcome == Outcome.POSTPONED,
        )
        .label("earlier_tie")
    )
    statement = (
        joined.add_columns(
            VoteRound.motion_id,
            VoteRound.meeting_id,
            VoteRound.mode,
            VoteRound.opened_at,
            VoteRound.closed_at,
            VoteRound.outcome,
            VoteRound.reason,
            VoteRound.residents_yes,
            VoteRound.residents_no,
            VoteRound.residents_abstain,
            VoteRound.councillors_yes,
            VoteRound.councillors_no,
            VoteRound.councillors_abstain,
            VoteRound.snapshot,
            earlier_tie,
            Decision.id.label("decision_id"),
        )
        .outerjoin(Decision, Decision.round_id == VoteRound.id)
        .where(condition)
        .order_by(VoteRound.closed_at, VoteRound.id)
    )
    rows = session.execute(statement).all()
    votes: dict[int, list[tuple[int, Choice]]] = defaultdict(list)
    for vote in session.execute(
        sa.select(Vote.round_id, Vote.membership_id, Vote.choice)
        .where(Vote.round_id.in_(joined.where(condition)))
        .order_by(Vote.round_id, Vote.membership_id)
    ):
        votes[vote.round_id].append((vote.membership_id, vote.choice))
    return tuple(
        RecordRound(
            id=row.id,
            motion_id=row.motion_id,
            meeting_id=row.meeting_id,
            mode=row.mode,
            opened_at=row.opened_at,
            closed_at=row.closed_at,
            # A closed round always has its outcome; INVALID stands in for a row without one.
            outcome=row.outcome or Outcome.INVALID,
            reason=row.reason or "",
            tally=Tally(
                residents=GroupCounts(row.residents_yes, row.residents_no, row.residents_abstain),
                councillors=GroupCounts(
                    row.councillors_yes, row.councillors_no, row.councillors_abstain
                ),
            ),
            seated=tuple(m.id for m in row.snapshot.seated) if row.snapshot else (),
            present=row.snapshot.present if row.snapshot else (),
            entitled=row.snapshot.entitled if row.snapshot else (),
            votes=tuple(votes.get(row.id, ())) if row.mode is RoundMode.NAMED else (),
            earlier_tie=bool(row.earlier_tie),
            decision_id=row.decision_id,
        )
        for row in rows
    )


def _motions(session: Session, council_id: int) -> tuple[RecordMotion, ...]:
    """The council's motions on public items that were decided or voted on."""
    item, parent = aliased(AgendaItem), aliased(AgendaItem)
    decided = sa.exists().where(Decision.motion_id == Motion.id)
    voted = sa.exists().where(
        VoteRound.motion_id == Motion.id, VoteRound.status == RoundStatus.CLOSED
    )
    rows = session.execute(
        sa.select(
            Motion.id,
            Motion.agenda_item_id,
            item.meeting_id,
            Motion.title,
            Motion.text,
            Motion.requirement,
            Motion.created_at,
            Motion.amends_id,
        )
        .join(item, item.id == Motion.agenda_item_id)
        .outerjoin(parent, parent.id == item.parent_id)
        .join(Meeting, Meeting.id == item.meeting_id)
        .where(
            Meeting.council_id == council_id,
            sa.not_(queries.confidential(item, parent, None)),
            sa.or_(decided, voted),
        )
        .order_by(Motion.id)
    )
    return tuple(
        RecordMotion(
            r.id,
            r.agenda_item_id,
            r.meeting_id,
            r.title,
            r.text,
            r.requirement,
            r.created_at,
            r.amends_id,
        )
        for r in rows
    )


def _items(session: Session, council_id: int, wanted: set[int]) -> tuple[RecordItem, ...]:
    """The agenda items ``wanted`` and their parents, numbered as on the agenda (the numbers
    count every item, confidential ones too, as the agenda does)."""
    rows = session.execute(
        sa.select(
            AgendaItem.id,
            AgendaItem.meeting_id,
            AgendaItem.parent_id,
            AgendaItem.position,
            AgendaItem.title,
            AgendaItem.is_formality,
        )
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(Meeting.council_id == council_id, Meeting.status != MeetingStatus.DRAFT)
    ).all()
    by_meeting: dict[int, list[ItemPosition]] = defaultdict(list)
    for row in rows:
        by_meeting[row.meeting_id].append(ItemPosition(row.id, row.parent_id, row.position))
    numbers: dict[int, str] = {}
    order: dict[int, int] = {}
    for positions in by_meeting.values():
        found = agenda_numbers(positions)
        numbers.update(found)
        ranked = sorted(found, key=lambda i: [int(p) for p in found[i].split(".")])
        order.update({item_id: rank for rank, item_id in enumerate(ranked, 1)})
    parents = {row.parent_id for row in rows if row.id in wanted and row.parent_id is not None}
    return tuple(
        RecordItem(
            row.id,
            row.meeting_id,
            row.parent_id,
            numbers.get(row.id, ""),
            order.get(row.id, 0),
            row.title,
            row.is_formality,
        )
        for row in sorted(rows, key=lambda r: (r.meeting_id, order.get(r.id, 0)))
        if row.id in wanted or row.id in parents
    )


def restricted(record: CouncilRecord, decision_ids: Collection[int]) -> CouncilRecord:
    """The part of ``record`` about these decisions (pure): their motions, every round on
    those motions, the agenda items (and parents) and meetings they were taken in, and the
    members seated in those rounds. A document of a meeting or a year carries this, so that
    its attachment is checked like the council's whole export."""
    wanted = set(decision_ids)
    decisions = tuple(d for d in record.decisions if d.id in wanted)
    motion_ids = {d.motion_id for d in decisions}
    motions = tuple(m for m in record.motions if m.id in motion_ids)
    rounds = tuple(r for r in record.rounds if r.motion_id in motion_ids)
    seated = {mid for r in rounds for mid in r.seated}
    item_ids = {m.agenda_item_id for m in motions}
    item_ids |= {i.parent_id for i in record.items if i.id in item_ids and i.parent_id}
    meeting_ids = {m.meeting_id for m in motions}
    return CouncilRecord(
        council=record.council,
        members=tuple(m for m in record.members if m.membership_id in seated),
        meetings=tuple(m for m in record.meetings if m.id in meeting_ids),
        items=tuple(i for i in record.items if i.id in item_ids),
        motions=motions,
        rounds=rounds,
        decisions=decisions,
    )
