"""Writes of the neighbourhood budget: a year's budget and its lines, the commitment of an
adopted decision's money, and the progress of its execution.

Every write that could break a rule of DOMAIN section 4 holds the budget's row (``lock``)
while it reads the sums it checks: two requests allocating or committing the last money queue
there, and the second sees what the first did. Spending holds the execution's own row.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wijkraad import audit
from wijkraad.auth.actor import Actor
from wijkraad.budget import permissions, rules
from wijkraad.budget.messages import EXECUTION_NAMES
from wijkraad.budget.models import Budget, BudgetLine, Execution, ProgressNote
from wijkraad.budget.rules import ExecutionStatus, Figures
from wijkraad.councils.models import Council
from wijkraad.db import lock_for_update
from wijkraad.errors import Conflict, Invalid, NotFound, require
from wijkraad.meetings.models import AgendaItem
from wijkraad.motions import services as motions
from wijkraad.motions.models import Motion
from wijkraad.motions.rules import Requirement

# The largest amount the pages and the API take (cents in a PostgreSQL bigint, with room for
# sums): larger is invalid input, never an overflow.
MAX_CENTS = 10**15


def get_budget(session: Session, council_id: int, year: int) -> Budget:
    budget = session.scalar(
        sa.select(Budget).where(Budget.council_id == council_id, Budget.year == year)
    )
    if budget is None:
        raise NotFound("budget-not-found")
    return budget


def lock(session: Session, budget_id: int) -> None:
    """Takes the budget's row until the transaction ends: allocations and commitments of its
    lines happen one after the other."""
    lock_for_update(session, Budget, budget_id)


def _cents(value: int, field: str) -> int:
    if not 0 <= value <= MAX_CENTS:
        raise Invalid("field-invalid", field=field, reason=f"between 0 and {MAX_CENTS} cents")
    return value


def create_budget(
    session: Session, actor: Actor, council: Council, *, year: int, total_cents: int
) -> Budget:
    """A council's budget for ``year``; one per year (409 budget-exists)."""
    require(permissions.can_manage_budget(actor, council.id))
    _cents(total_cents, "total_cents")
    if not 1900 <= year <= 9999:
        raise Invalid("field-invalid", field="year", reason="a year between 1900 and 9999")
    budget = Budget(council_id=council.id, year=year, total_cents=total_cents)
    try:
        with session.begin_nested():
            session.add(budget)
    except IntegrityError:
        # Here already, or created by another request at this moment: the unique key decided.
        raise Conflict("budget-exists", year=year) from None
    audit.record(
        session,
        actor.user_id,
        "budget.create",
        budget,
        council_id=council.id,
        year=year,
        total_cents=total_cents,
    )
    return budget


def line_figures(session: Session, line_ids: list[int]) -> dict[int, Figures]:
    """Allocated, committed (a cancelled decision counting only what it spent) and spent per
    line, in one statement."""
    if not line_ids:
        return {}
    counted = sa.case(
        (Execution.status == ExecutionStatus.CANCELLED, Execution.spent_cents),
        else_=Execution.committed_cents,
    )
    rows = session.execute(
        sa.select(
            BudgetLine.id,
            BudgetLine.allocated_cents,
            sa.func.coalesce(sa.func.sum(counted), 0),
            sa.func.coalesce(sa.func.sum(Execution.spent_cents), 0),
        )
        .outerjoin(Execution, Execution.line_id == BudgetLine.id)
        .where(BudgetLine.id.in_(line_ids))
        .group_by(BudgetLine.id, BudgetLine.allocated_cents)
    )
    return {id_: Figures(int(a), int(c), int(s)) for id_, a, c, s in rows}


def add_line(
    session: Session,
    actor: Actor,
    budget: Budget,
    *,
    code: str,
    name: str,
    allocated_cents: int,
) -> BudgetLine:
    """A line with its allocation; all allocations stay within the total (409
    over-allocated), also when two lines are added at the same moment."""
    council_id = budget.council_id
    require(permissions.can_manage_budget(actor, council_id))
    code, name = code.strip(), name.strip()
    if not code:
        raise Invalid("field-required", field="code")
    if not name:
        raise Invalid("field-required", field="name")
    _cents(allocated_cents, "allocated_cents")
    lock(session, budget.id)
    session.refresh(budget)
    allocated = session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(BudgetLine.allocated_cents), 0)).where(
            BudgetLine.budget_id == budget.id
        )
    )
    if not rules.allocation_fits(budget.total_cents, int(allocated or 0), allocated_cents):
        raise Conflict(
            "over-allocated",
            total=rules.dutch_euros(budget.total_cents),
            allocated=rules.dutch_euros(int(allocated or 0)),
            extensions={
                "total_cents": budget.total_cents,
                "allocated_cents": int(allocated or 0),
            },
        )
    line = BudgetLine(budget_id=budget.id, code=code, name=name, allocated_cents=allocated_cents)
    try:
        with session.begin_nested():
            session.add(line)
    except IntegrityError:
        raise Conflict("line-code-taken", field="code") from None
    audit.record(
        session,
        actor.user_id,
        "budget.line.add",
        line,
        council_id=council_id,
        budget_id=budget.id,
        year=budget.year,
        code=code,
        allocated_cents=allocated_cents,
    )
    return line


def line_for_motion(
    session: Session, council_id: int, year: int, line_id: int, field: str = "budget_line_id"
) -> BudgetLine:
    """The line a motion names: one of its council's budget for the meeting's year (422
    budget-line-unknown otherwise, on ``field``)."""
    line = session.get(BudgetLine, line_id)
    if line is None or line.budget.council_id != council_id or line.budget.year != year:
        raise Invalid("budget-line-unknown", field=field)
    return line


def submit_motion(
    session: Session,
    actor: Actor,
    item: AgendaItem,
    *,
    amount_cents: int | None = None,
    budget_line_id: int | None = None,
    source_line_id: int | None = None,
    supplements_decision_id: int | None = None,
    requirement: Requirement = Requirement.MAJORITY,
    **motion: Any,
) -> Motion:
    """A motion as ``motions.submit_motion`` takes it, whose budget line (if it names one) is
    a line of its council's budget for the meeting's year, and whose transfer or top-up (if it
    proposes one) the council can decide (``check_motion``). The pages and the API submit
    here."""
    meeting = item.meeting
    if budget_line_id is not None:
        line_for_motion(session, meeting.council_id, meeting.starts_at.year, budget_line_id)
    check_motion(
        session,
        council_id=meeting.council_id,
        year=meeting.starts_at.year,
        amount_cents=amount_cents,
        budget_line_id=budget_line_id,
        source_line_id=source_line_id,
        supplements_decision_id=supplements_decision_id,
        requirement=requirement,
    )
    return motions.submit_motion(
        session,
        actor,
        item,
        amount_cents=amount_cents,
        budget_line_id=budget_line_id,
        source_line_id=source_line_id,
        supplements_decision_id=supplements_decision_id,
        requirement=requirement,
        **motion,
    )


def check_motion(
    session: Session,
    *,
    council_id: int,
    year: int,
    amount_cents: int | None,
    budget_line_id: int | None,
    source_line_id: int | None,
    supplements_decision_id: int | None,
    requirement: Requirement,
) -> None:
    """422 (naming the field) unless a transfer or top-up that a motion proposes is one the
    council can decide. A transfer must ask two thirds: it is refused, not changed, when it
    asks a simple majority, so that what was submitted is what is voted on."""
    if source_line_id is not None:
        if supplements_decision_id is not None:
            raise Invalid("transfer-and-top-up", field="supplements_decision_id")
        if not amount_cents:
            raise Invalid("transfer-incomplete", field="amount_cents")
        if budget_line_id is None:
            raise Invalid("transfer-incomplete", field="budget_line_id")
        line_for_motion(session, council_id, year, source_line_id, field="source_line_id")
        if source_line_id == budget_line_id:
            raise Invalid("transfer-same-line", field="source_line_id")
        if requirement is not Requirement.TWO_THIRDS:
            raise Invalid("transfer-needs-two-thirds", field="requirement")
    if supplements_decision_id is not None:
        if not amount_cents:
            raise Invalid("top-up-incomplete", field="amount_cents")
        if budget_line_id is None:
            raise Invalid("top-up-incomplete", field="budget_line_id")
        execution = session.scalar(
            sa.select(Execution).where(Execution.decision_id == supplements_decision_id)
        )
        if (
            execution is None
            or execution.line_id != budget_line_id
            or execution.line.budget.council_id != council_id
        ):
            raise Invalid("top-up-unknown", field="supplements_decision_id")
        if not rules.may_top_up(execution.status):
            raise Invalid("top-up-closed", field="supplements_decision_id")


def remaining(session: Session, line_id: int) -> int:
    """What remains on the line now (allocated - committed)."""
    return line_figures(session, [line_id])[line_id].remaining_cents


def refuse_unless_fits(session: Session, line_id: int, amount_cents: int) -> None:
    """409 budget-exceeded, with what remains (``remaining_cents``), unless the amount fits."""
    left = remaining(session, line_id)
    if amount_cents > left:
        raise Conflict(
            "budget-exceeded",
            remaining=rules.dutch_euros(left),
            extensions={"remaining_cents": left},
        )


def hold_line(session: Session, line_id: int) -> Figures:
    """Locks the line's budget and reads its figures afresh: what a commitment decides on."""
    budget_id = session.scalar(sa.select(BudgetLine.budget_id).where(BudgetLine.id == line_id))
    assert budget_id is not None
    lock(session, budget_id)
    return line_figures(session, [line_id])[line_id]


def commit(
    session: Session,
    actor: Actor,
    *,
    decision_id: int,
    council_id: int,
    line_id: int,
    amount_cents: int,
    is_confidential: bool,
    now: datetime,
) -> Execution:
    """Commits an adopted decision's amount on its line, in the transaction that records the
    decision. The caller holds the line (``hold_line``) and has seen the amount fit; checked
    again here, so that no path commits money that is not there."""
    if not rules.commitment_fits(hold_line(session, line_id), amount_cents):
        raise Conflict("budget-exceeded", remaining=rules.dutch_euros(remaining(session, line_id)))
    execution = Execution(
        decision_id=decision_id,
        line_id=line_id,
        committed_cents=amount_cents,
        spent_cents=0,
        status=ExecutionStatus.PLANNED,
        is_confidential=is_confidential,
        committed_at=now,
        updated_at=now,
    )
    session.add(execution)
    session.flush()
    audit.record(
        session,
        actor.user_id,
        "budget.commit",
        execution,
        council_id=council_id,
        decision_id=decision_id,
        line_id=line_id,
        amount_cents=amount_cents,
    )
    return execution


def execution_of(session: Session, decision_id: int) -> Execution:
    execution = session.scalar(sa.select(Execution).where(Execution.decision_id == decision_id))
    if execution is None:
        raise Conflict("no-execution")
    return execution


def council_of(execution: Execution) -> int:
    return execution.line.budget.council_id


def record_progress(
    session: Session,
    actor: Actor,
    execution: Execution,
    *,
    status: ExecutionStatus,
    spent_cents: int,
    note: str,
    on: date,
    now: datetime,
) -> ProgressNote:
    """A dated progress note: the status it moves to (as ``rules.MOVES`` allows) and what was
    spent since the last one, never beyond what the decision committed (409 overspent).
    Cancelling releases what was not spent."""
    council_id = council_of(execution)
    require(permissions.can_record_progress(actor, council_id))
    note = note.strip()
    if not note:
        raise Invalid("field-required", field="note")
    _cents(spent_cents, "spent_cents")
    # One writer of this execution at a time: two notes spending the last money queue here.
    lock_for_update(session, Execution, execution.id)
    session.refresh(execution)
    current = rules.Execution(execution.committed_cents, execution.spent_cents, execution.status)
    if not rules.may_move(execution.status, status):
        raise Conflict(
            "execution-status",
            state=EXECUTION_NAMES[execution.status.value],
            extensions={"current": execution.status.value, "target": status.value},
        )
    if not rules.spending_fits(current, spent_cents):
        spendable = current.spendable_cents
        raise Conflict(
            "overspent",
            spendable=rules.dutch_euros(spendable),
            extensions={"spendable_cents": spendable},
        )
    before = execution.status
    execution.spent_cents += spent_cents
    execution.status = status
    execution.updated_at = now
    progress = ProgressNote(
        execution=execution,
        noted_on=on,
        note=note,
        spent_cents=spent_cents,
        status=status,
        author_id=actor.user_id,
    )
    session.add(progress)
    session.flush()
    audit.record(
        session,
        actor.user_id,
        "budget.progress",
        progress,
        council_id=council_id,
        decision_id=execution.decision_id,
        before=before.value,
        status=status.value,
        spent_cents=spent_cents,
        released_cents=(
            execution.committed_cents - execution.spent_cents
            if status is ExecutionStatus.CANCELLED
            else 0
        ),
    )
    return progress
