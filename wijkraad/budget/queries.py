"""Reads of the neighbourhood budget, each in a fixed number of statements whatever the number
of lines, decisions and progress notes: the budget of a year with its lines (and, for the page,
each line's decisions with their execution), the lines a motion may name, and what remained on
a line after each decision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from wijkraad.auth.actor import Actor
from wijkraad.budget.models import Budget, BudgetLine, Execution, ProgressNote, TopUp, Transfer
from wijkraad.budget.rules import NOTHING, ExecutionStatus, Figures
from wijkraad.budget.rules import Execution as RuleExecution
from wijkraad.budget.services import line_figures
from wijkraad.errors import NotFound


@dataclass(frozen=True)
class NoteView:
    noted_on: date
    note: str
    spent_cents: int
    status: ExecutionStatus


@dataclass(frozen=True)
class TopUpView:
    """Money a further decision added to this one (``identifier`` None: confidential)."""

    identifier: str | None
    decided_on: date
    amount_cents: int


@dataclass(frozen=True)
class TransferView:
    """A decision that moved money to or from a line (``identifier`` None: confidential)."""

    decision_id: int
    identifier: str | None
    decided_on: date
    amount_cents: int
    outgoing: bool  # the money left this line (for ``other``)
    other_code: str
    other_name: str


@dataclass(frozen=True)
class DecisionMoney:
    """A decision's money on its line. A confidential decision shows its money to everyone and
    what it was about (``identifier``, ``text``, the notes) only to the council's members."""

    decision_id: int
    identifier: str | None
    text: str | None
    decided_on: date
    committed_cents: int
    spent_cents: int
    status: ExecutionStatus
    notes: tuple[NoteView, ...]
    top_ups: tuple[TopUpView, ...] = ()

    @property
    def confidential(self) -> bool:
        return self.identifier is None


@dataclass(frozen=True)
class LineView:
    id: int
    code: str
    name: str
    figures: Figures
    decisions: tuple[DecisionMoney, ...] = ()
    transfers: tuple[TransferView, ...] = ()  # oldest first


@dataclass(frozen=True)
class BudgetView:
    id: int
    council_id: int
    year: int
    total_cents: int
    lines: tuple[LineView, ...]
    years: tuple[int, ...]  # every year the council has a budget for, newest first

    @property
    def figures(self) -> Figures:
        result = NOTHING
        for line in self.lines:
            result = result + line.figures
        return result

    @property
    def unallocated_cents(self) -> int:
        return self.total_cents - self.figures.allocated_cents


def years(session: Session, council_id: int) -> tuple[int, ...]:
    return tuple(
        session.scalars(
            sa.select(Budget.year)
            .where(Budget.council_id == council_id)
            .order_by(Budget.year.desc())
        )
    )


def latest_year(session: Session, council_id: int) -> int:
    year = session.scalar(
        sa.select(sa.func.max(Budget.year)).where(Budget.council_id == council_id)
    )
    if year is None:
        raise NotFound("budget-not-found")
    return int(year)


def budget_view(
    session: Session, actor: Actor, council_id: int, year: int, *, decisions: bool = False
) -> BudgetView:
    """The year's budget with its lines' figures (three statements); with ``decisions``, each
    line's decisions with their execution and progress notes as well (two more)."""
    budget = session.scalar(
        sa.select(Budget).where(Budget.council_id == council_id, Budget.year == year)
    )
    if budget is None:
        raise NotFound("budget-not-found")
    lines = list(
        session.scalars(
            sa.select(BudgetLine)
            .where(BudgetLine.budget_id == budget.id)
            .order_by(BudgetLine.code, BudgetLine.id)
        )
    )
    figures = line_figures(session, [line.id for line in lines])
    money: dict[int, list[DecisionMoney]] = {line.id: [] for line in lines}
    moves: dict[int, list[TransferView]] = {line.id: [] for line in lines}
    insider = actor.is_admin or actor.is_member_of(council_id)
    if decisions and lines:
        for transfer in _transfers(session, list(money)):
            shown = insider or not transfer.is_confidential
            for here, other, outgoing in (
                (transfer.from_line, transfer.to_line, True),
                (transfer.to_line, transfer.from_line, False),
            ):
                moves[here.id].append(
                    TransferView(
                        decision_id=transfer.decision_id,
                        identifier=transfer.decision.identifier if shown else None,
                        decided_on=transfer.decision.decided_on,
                        amount_cents=transfer.amount_cents,
                        outgoing=outgoing,
                        other_code=other.code,
                        other_name=other.name,
                    )
                )
        added: dict[int, list[TopUpView]] = {}
        for top_up, confidential in session.execute(
            sa.select(TopUp, Execution.is_confidential)
            .join(Execution, Execution.id == TopUp.execution_id)
            .where(Execution.line_id.in_(money))
            .options(joinedload(TopUp.decision))
            .order_by(TopUp.id)
        ):
            added.setdefault(top_up.execution_id, []).append(
                TopUpView(
                    top_up.decision.identifier if insider or not confidential else None,
                    top_up.decision.decided_on,
                    top_up.amount_cents,
                )
            )
        executions = list(
            session.scalars(
                sa.select(Execution)
                .where(Execution.line_id.in_(money))
                .options(joinedload(Execution.decision))
            )
        )
        # Read apart (not with selectinload), so that the page takes as many statements
        # without decisions as with them.
        notes: dict[int, list[ProgressNote]] = {e.id: [] for e in executions}
        for note in session.scalars(
            sa.select(ProgressNote)
            .join(Execution, Execution.id == ProgressNote.execution_id)
            .where(Execution.line_id.in_(money))
            .order_by(ProgressNote.id)
        ):
            notes[note.execution_id].append(note)
        for execution in executions:
            decision = execution.decision
            shown = insider or not execution.is_confidential
            money[execution.line_id].append(
                DecisionMoney(
                    decision_id=execution.decision_id,
                    identifier=decision.identifier if shown else None,
                    text=decision.text if shown else None,
                    decided_on=decision.decided_on,
                    committed_cents=execution.committed_cents,
                    spent_cents=execution.spent_cents,
                    status=execution.status,
                    notes=tuple(
                        NoteView(n.noted_on, n.note, n.spent_cents, n.status)
                        for n in notes[execution.id]
                    )
                    if shown
                    else (),
                    top_ups=tuple(added.get(execution.id, ())),
                )
            )
    return BudgetView(
        id=budget.id,
        council_id=council_id,
        year=budget.year,
        total_cents=budget.total_cents,
        lines=tuple(
            LineView(
                id=line.id,
                code=line.code,
                name=line.name,
                figures=figures[line.id],
                decisions=tuple(
                    sorted(money[line.id], key=lambda d: (d.decided_on, d.decision_id))
                ),
                transfers=tuple(moves[line.id]),
            )
            for line in lines
        ),
        years=years(session, council_id),
    )


def _transfers(session: Session, line_ids: list[int]) -> list[Transfer]:
    """The transfers to or from these lines with their decisions and lines: one statement."""
    return list(
        session.scalars(
            sa.select(Transfer)
            .where(sa.or_(Transfer.from_line_id.in_(line_ids), Transfer.to_line_id.in_(line_ids)))
            .options(
                joinedload(Transfer.decision),
                joinedload(Transfer.from_line),
                joinedload(Transfer.to_line),
            )
            .order_by(Transfer.id)
        )
    )


@dataclass(frozen=True)
class LineChoice:
    id: int
    code: str
    name: str
    remaining_cents: int


def lines_for(session: Session, council_id: int, year: int) -> tuple[LineChoice, ...]:
    """The lines a motion of a meeting in ``year`` may name, with what remains on each."""
    lines = list(
        session.scalars(
            sa.select(BudgetLine)
            .join(Budget, Budget.id == BudgetLine.budget_id)
            .where(Budget.council_id == council_id, Budget.year == year)
            .order_by(BudgetLine.code, BudgetLine.id)
        )
    )
    figures = line_figures(session, [line.id for line in lines])
    return tuple(
        LineChoice(line.id, line.code, line.name, figures[line.id].remaining_cents)
        for line in lines
    )


def lines_by_id(session: Session, line_ids: set[int]) -> dict[int, LineChoice]:
    """The lines with these ids and what remains on each: one statement, also for none."""
    counted = sa.case(
        (Execution.status == ExecutionStatus.CANCELLED, Execution.spent_cents),
        else_=Execution.committed_cents,
    )
    rows = session.execute(
        sa.select(
            BudgetLine.id,
            BudgetLine.code,
            BudgetLine.name,
            BudgetLine.allocated_cents - sa.func.coalesce(sa.func.sum(counted), 0),
        )
        .outerjoin(Execution, Execution.line_id == BudgetLine.id)
        .where(BudgetLine.id.in_(sorted(line_ids)))
        .group_by(BudgetLine.id, BudgetLine.code, BudgetLine.name, BudgetLine.allocated_cents)
    )
    return {id_: LineChoice(id_, code, name, int(left)) for id_, code, name, left in rows}


@dataclass(frozen=True)
class LineAfter:
    """A decision's line, and what remained on it once the decision had committed its money
    (with the commitments made before it as they stand now)."""

    line_id: int
    code: str
    name: str
    amount_cents: int
    remaining_after_cents: int


def remaining_after(session: Session, decision_ids: list[int]) -> dict[int, LineAfter]:
    """Per decision with money among ``decision_ids``: its line and what remained on it after
    it. Two statements, whatever the number of decisions (also none)."""
    line_ids = (
        sa.select(Execution.line_id)
        .where(Execution.decision_id.in_(sorted(set(decision_ids))))
        .scalar_subquery()
    )
    lines = {
        line.id: line
        for line in session.scalars(sa.select(BudgetLine).where(BudgetLine.id.in_(line_ids)))
    }
    rows = session.execute(
        sa.select(
            Execution.decision_id,
            Execution.line_id,
            Execution.committed_cents,
            Execution.spent_cents,
            Execution.status,
        )
        .where(Execution.line_id.in_(line_ids))
        .order_by(Execution.id)
    )
    wanted = set(decision_ids)
    held: dict[int, int] = dict.fromkeys(lines, 0)
    result = {}
    for decision_id, line_id, committed, spent, status in rows:
        held[line_id] += spent if status is ExecutionStatus.CANCELLED else committed
        if decision_id in wanted:
            line = lines[line_id]
            result[decision_id] = LineAfter(
                line_id, line.code, line.name, committed, line.allocated_cents - held[line_id]
            )
    return result


@dataclass(frozen=True)
class ExecutionView:
    """A decision's execution for the page that records its progress."""

    decision_id: int
    identifier: str
    text: str
    council_id: int
    council_slug: str
    council_name: str
    year: int
    line_code: str
    line_name: str
    committed_cents: int
    spent_cents: int
    status: ExecutionStatus
    notes: tuple[NoteView, ...]
    top_ups: tuple[TopUpView, ...] = ()  # what further decisions added, oldest first

    @property
    def spendable_cents(self) -> int:
        return RuleExecution(self.committed_cents, self.spent_cents, self.status).spendable_cents


def execution_view(session: Session, decision_id: int) -> ExecutionView:
    """Two statements; NotFound when the decision has no money (or does not exist)."""
    execution = session.scalar(
        sa.select(Execution)
        .where(Execution.decision_id == decision_id)
        .options(
            joinedload(Execution.decision),
            joinedload(Execution.line).joinedload(BudgetLine.budget).joinedload(Budget.council),
            selectinload(Execution.notes),
        )
    )
    if execution is None:
        raise NotFound("decision-not-found")
    line = execution.line
    council = line.budget.council
    return ExecutionView(
        decision_id=decision_id,
        identifier=execution.decision.identifier,
        text=execution.decision.text,
        council_id=council.id,
        council_slug=council.slug,
        council_name=council.name,
        year=line.budget.year,
        line_code=line.code,
        line_name=line.name,
        committed_cents=execution.committed_cents,
        spent_cents=execution.spent_cents,
        status=execution.status,
        notes=tuple(NoteView(n.noted_on, n.note, n.spent_cents, n.status) for n in execution.notes),
        top_ups=tuple(
            TopUpView(t.decision.identifier, t.decision.decided_on, t.amount_cents)
            for t in session.scalars(
                sa.select(TopUp)
                .where(TopUp.execution_id == execution.id)
                .options(joinedload(TopUp.decision))
                .order_by(TopUp.id)
            )
        ),
    )


@dataclass(frozen=True)
class TopUpChoice:
    """A decision a further decision may add money to: adopted, with money on a line of the
    year's budget, its execution neither done nor cancelled."""

    decision_id: int
    identifier: str
    text: str
    line_code: str
    committed_cents: int


def open_decisions_for(session: Session, council_id: int, year: int) -> tuple[TopUpChoice, ...]:
    """For the motion form (its council's members): one statement."""
    rows = session.scalars(
        sa.select(Execution)
        .join(BudgetLine, BudgetLine.id == Execution.line_id)
        .join(Budget, Budget.id == BudgetLine.budget_id)
        .where(
            Budget.council_id == council_id,
            Budget.year == year,
            Execution.status.not_in([ExecutionStatus.DONE, ExecutionStatus.CANCELLED]),
        )
        .options(joinedload(Execution.decision), joinedload(Execution.line))
        .order_by(Execution.id)
    )
    return tuple(
        TopUpChoice(
            e.decision_id, e.decision.identifier, e.decision.text, e.line.code, e.committed_cents
        )
        for e in rows
    )
