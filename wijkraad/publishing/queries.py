"""Reads of the public record: decisions, one or a page of them, as frozen view models.

Every surface that shows a decision (its page, the archive, the API, the feeds, the PDFs, the
exports) reads it here, so one visibility decision holds everywhere: a decision taken on a
confidential item (or a sub-item of one, or in a confidential round) exists only for the
council's members and administrators; residents' names show only where the council publishes
them (or to its members). Each read takes a fixed number of statements, whatever the number of
decisions, votes or members.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from wijkraad.auth.actor import ANONYMOUS, Actor
from wijkraad.budget.models import Budget, BudgetLine
from wijkraad.councils.models import Council, Membership, Person
from wijkraad.councils.rules import Seat
from wijkraad.errors import NotFound
from wijkraad.meetings.models import AgendaItem, Meeting
from wijkraad.meetings.rules import MeetingStatus
from wijkraad.motions.models import Motion
from wijkraad.motions.rules import Requirement
from wijkraad.publishing import search
from wijkraad.voting.models import Decision, Vote, VoteRound
from wijkraad.voting.rules import Choice, GroupCounts, Outcome, RoundMode, Tally

PER_PAGE = 50
PER_PAGE_MAX = 200


@dataclass(frozen=True)
class NamedVote:
    """One member's vote; ``name`` is None where the public may not know it (a resident of a
    council that does not publish residents' names): shown as "bewoner"."""

    membership_id: int
    name: str | None
    seat: Seat
    choice: Choice


@dataclass(frozen=True)
class DecisionView:
    id: int
    identifier: str
    title: str  # the motion's
    text: str  # the decision itself, at most 200 characters
    explanation: str
    commitments: str
    outcome: Outcome
    decided_on: date
    council_id: int
    council_slug: str
    council_name: str
    meeting_id: int
    meeting_title: str
    meeting_starts_at: datetime
    motion_id: int
    agenda_item_id: int
    agenda_item_title: str
    requirement: Requirement
    round_id: int | None  # None: adopted by a formality, without a vote
    mode: RoundMode | None
    tally: Tally | None
    votes: tuple[NamedVote, ...]
    budget_line_id: int | None
    amount_cents: int | None
    recorded_at: datetime | None = None  # when the decision was taken (its round closed)
    budget_line_name: str | None = None
    # A transfer: the line the amount moved from (to ``budget_line_name``) once adopted.
    source_line_name: str | None = None
    publishes_resident_names: bool = True  # the council's choice, whoever reads
    meeting_status: MeetingStatus | None = None


@dataclass(frozen=True)
class DecisionFilters:
    year: int | None = None
    outcome: Outcome | None = None
    q: str = ""
    budget_line_id: int | None = None


@dataclass(frozen=True)
class DecisionPage:
    decisions: tuple[DecisionView, ...]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


_Item = aliased(AgendaItem)
_Parent = aliased(AgendaItem)
_Source = aliased(BudgetLine)  # a transfer's line the money moved from


def confidential(
    item: Any = _Item,
    parent: Any = _Parent,
    vote_round: Any = VoteRound,
) -> sa.ColumnElement[bool]:
    """A decision (or a round, or a motion: ``vote_round=None``) whose item, parent item or
    round is confidential. The one test of confidentiality: every read of the public record
    applies it, with the aliases it joined the item, its parent and the round as."""
    tests = [item.is_confidential, sa.func.coalesce(parent.is_confidential, sa.false())]
    if vote_round is not None:
        tests.append(sa.func.coalesce(vote_round.is_confidential, sa.false()))
    return sa.or_(*tests)


def _joined(
    statement: sa.Select[tuple[object, ...]], *, context: bool = True
) -> sa.Select[tuple[object, ...]]:
    """The decisions with what their visibility depends on (motion, item, parent item, round)
    and, with ``context``, their meeting, council and budget line (which a count has no need
    of)."""
    statement = (
        statement.join(Motion, Motion.id == Decision.motion_id)
        .join(_Item, _Item.id == Motion.agenda_item_id)
        .outerjoin(_Parent, _Parent.id == _Item.parent_id)
        .outerjoin(VoteRound, VoteRound.id == Decision.round_id)
    )
    if context:
        statement = (
            statement.join(Meeting, Meeting.id == Decision.meeting_id)
            .join(Council, Council.id == Decision.council_id)
            .outerjoin(BudgetLine, BudgetLine.id == Motion.budget_line_id)
            .outerjoin(_Source, _Source.id == Motion.source_line_id)
        )
    return statement


def _visible_to(actor: Actor) -> sa.ColumnElement[bool]:
    """What ``actor`` may see: everything of the councils they sit in (or all, for an
    administrator), and elsewhere what is not confidential."""
    if actor.is_admin:
        return sa.true()
    member_of = list(actor.seats)
    if not member_of:
        return sa.not_(confidential())
    return sa.or_(Decision.council_id.in_(member_of), sa.not_(confidential()))


_COLUMNS = (
    Decision.id,
    Decision.identifier,
    Motion.title,
    Decision.text,
    Decision.explanation,
    Decision.commitments,
    Decision.outcome,
    Decision.decided_on,
    Decision.created_at,
    Decision.council_id,
    Council.slug,
    Council.name,
    Council.publishes_resident_names,
    Decision.meeting_id,
    Meeting.title.label("meeting_title"),
    Meeting.starts_at,
    Meeting.status.label("meeting_status"),
    Decision.motion_id,
    _Item.id.label("agenda_item_id"),
    _Item.title.label("agenda_item_title"),
    Motion.requirement,
    Motion.budget_line_id,
    BudgetLine.name.label("budget_line_name"),
    _Source.name.label("source_line_name"),
    Motion.amount_cents,
    Decision.round_id,
    VoteRound.mode,
    VoteRound.residents_yes,
    VoteRound.residents_no,
    VoteRound.residents_abstain,
    VoteRound.councillors_yes,
    VoteRound.councillors_no,
    VoteRound.councillors_abstain,
)


def _names_public(actor: Actor, council_id: int, publishes: bool) -> bool:
    return publishes or actor.is_admin or actor.is_member_of(council_id)


def _views(
    session: Session, actor: Actor, rows: list[sa.Row[tuple[object, ...]]]
) -> tuple[DecisionView, ...]:
    """The rows as view models with their named votes: one statement for all their votes."""
    round_ids = [r.round_id for r in rows if r.round_id is not None]
    votes: dict[int, list[tuple[int, str, Seat, Choice]]] = {i: [] for i in round_ids}
    for vote in session.execute(
        sa.select(Vote.round_id, Vote.membership_id, Person.name, Vote.seat, Vote.choice)
        .join(Membership, Membership.id == Vote.membership_id)
        .join(Person, Person.id == Membership.person_id)
        .where(Vote.round_id.in_(round_ids))
        .order_by(Vote.round_id, Vote.seat, Person.name, Vote.membership_id)
    ):
        votes[vote.round_id].append((vote.membership_id, vote.name, vote.seat, vote.choice))

    def view(row: sa.Row[tuple[object, ...]]) -> DecisionView:
        public = _names_public(actor, row.council_id, row.publishes_resident_names)
        named = tuple(
            NamedVote(mid, name if public or seat is Seat.COUNCILLOR else None, seat, choice)
            for mid, name, seat, choice in votes.get(row.round_id, [])
        )
        tally = None
        if row.round_id is not None:
            tally = Tally(
                residents=GroupCounts(row.residents_yes, row.residents_no, row.residents_abstain),
                councillors=GroupCounts(
                    row.councillors_yes, row.councillors_no, row.councillors_abstain
                ),
            )
        return DecisionView(
            id=row.id,
            identifier=row.identifier,
            title=row.title,
            text=row.text,
            explanation=row.explanation,
            commitments=row.commitments,
            outcome=row.outcome,
            decided_on=row.decided_on,
            council_id=row.council_id,
            council_slug=row.slug,
            council_name=row.name,
            meeting_id=row.meeting_id,
            meeting_title=row.meeting_title,
            meeting_starts_at=row.starts_at,
            motion_id=row.motion_id,
            agenda_item_id=row.agenda_item_id,
            agenda_item_title=row.agenda_item_title,
            requirement=row.requirement,
            round_id=row.round_id,
            mode=row.mode,
            tally=tally,
            votes=named,
            budget_line_id=row.budget_line_id,
            budget_line_name=row.budget_line_name,
            source_line_name=row.source_line_name,
            amount_cents=row.amount_cents,
            recorded_at=row.created_at,
            publishes_resident_names=row.publishes_resident_names,
            meeting_status=row.meeting_status,
        )

    return tuple(view(row) for row in rows)


def decision_view(session: Session, actor: Actor, decision_id: int) -> DecisionView:
    """One decision, in two statements; NotFound for one the actor may not see."""
    row = session.execute(
        _joined(sa.select(*_COLUMNS)).where(Decision.id == decision_id, _visible_to(actor))
    ).one_or_none()
    if row is None:
        raise NotFound("decision-not-found")
    return _views(session, actor, [row])[0]


def decision_by_identifier(session: Session, actor: Actor, identifier: str) -> DecisionView:
    """The decision with this public identifier (``OPW-2026-014``), as ``decision_view``."""
    row = session.execute(
        _joined(sa.select(*_COLUMNS)).where(
            Decision.identifier == identifier.upper(), _visible_to(actor)
        )
    ).one_or_none()
    if row is None:
        raise NotFound("decision-not-found")
    return _views(session, actor, [row])[0]


def _filtered(
    statement: sa.Select[tuple[object, ...]],
    actor: Actor,
    council_id: int | None,
    filters: DecisionFilters,
    dialect: str,
    *,
    context: bool = True,
) -> sa.Select[tuple[object, ...]]:
    statement = _joined(statement, context=context).where(_visible_to(actor))
    if council_id is not None:
        statement = statement.where(Decision.council_id == council_id)
    if filters.year is not None:
        statement = statement.where(Decision.year == filters.year)
    if filters.outcome is not None:
        statement = statement.where(Decision.outcome == filters.outcome)
    if filters.budget_line_id is not None:
        statement = statement.where(Motion.budget_line_id == filters.budget_line_id)
    found = search.matching(dialect, filters.q)
    if found is not None:
        statement = statement.where(found)
    return statement


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def decisions_of(
    session: Session,
    actor: Actor,
    council_id: int | None,
    filters: DecisionFilters = DecisionFilters(),
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> DecisionPage:
    """A page of the council's decisions (``None``: of every council) the actor may see, newest
    first, with the total: three statements whatever the number of decisions. ``filters.q``
    searches the full-text index (``publishing.search``)."""
    dialect = _dialect(session)
    total = session.scalar(
        _filtered(
            sa.select(sa.func.count(Decision.id)),
            actor,
            council_id,
            filters,
            dialect,
            context=False,
        )
    )
    rows = session.execute(
        _filtered(sa.select(*_COLUMNS), actor, council_id, filters, dialect)
        .order_by(
            Decision.decided_on.desc(),
            Decision.year.desc(),
            Decision.number.desc(),
            Decision.id.desc(),
        )
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return DecisionPage(_views(session, actor, list(rows)), total or 0, page, per_page)


def decisions_of_meeting(
    session: Session, actor: Actor, meeting_id: int
) -> tuple[DecisionView, ...]:
    """The meeting's decisions the actor may see, in the order they were taken."""
    rows = session.execute(
        _joined(sa.select(*_COLUMNS))
        .where(Decision.meeting_id == meeting_id, _visible_to(actor))
        .order_by(Decision.number)
    ).all()
    return _views(session, actor, list(rows))


def public_decisions_of(session: Session, council_id: int) -> tuple[DecisionView, ...]:
    """Every decision of the council that the public may see, in the order they were taken:
    two statements, whatever the number of decisions. For the exports, which are the public
    view whoever asks."""
    rows = session.execute(
        _filtered(
            sa.select(*_COLUMNS), ANONYMOUS, council_id, DecisionFilters(), _dialect(session)
        ).order_by(Decision.year, Decision.number)
    ).all()
    return _views(session, ANONYMOUS, list(rows))


def decision_years(session: Session, actor: Actor, council_id: int | None) -> tuple[int, ...]:
    """The years in which the council (``None``: any council) decided anything the actor may
    see, newest first: the years decided in at all (from the index on council and year), each
    kept once a decision of it shows to be visible, without reading the rest of that year."""
    years = sa.select(Decision.year).distinct()
    inner = _joined(sa.select(Decision.id), context=False).where(_visible_to(actor))
    if council_id is not None:
        years = years.where(Decision.council_id == council_id)
        inner = inner.where(Decision.council_id == council_id)
    candidates = years.subquery("years")
    # The first visible decision of the year: a LIMIT keeps PostgreSQL from turning this into a
    # join over every decision, as it does with EXISTS.
    first_visible = inner.where(Decision.year == candidates.c.year).limit(1).scalar_subquery()
    statement = (
        sa.select(candidates.c.year)
        .where(first_visible.is_not(None))
        .order_by(candidates.c.year.desc())
    )
    return tuple(session.scalars(statement))


def budget_lines_of(session: Session, council_id: int | None) -> tuple[tuple[int, str], ...]:
    """The council's budget lines (id, "name (year)"), newest year first, for the archive's
    filter; none across councils (a line belongs to one council's budget)."""
    if council_id is None:
        return ()
    rows = session.execute(
        sa.select(BudgetLine.id, BudgetLine.name, Budget.year)
        .join(Budget, Budget.id == BudgetLine.budget_id)
        .where(Budget.council_id == council_id)
        .order_by(Budget.year.desc(), BudgetLine.name, BudgetLine.id)
    )
    return tuple((row.id, f"{row.name} ({row.year})") for row in rows)
