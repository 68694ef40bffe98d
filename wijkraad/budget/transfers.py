"""Decisions that change money already on the budget: a transfer moves allocation from one line
to another (a motion of that kind, adopted by two thirds), a top-up adds money to an earlier
decision's execution (so that more may be spent on it).

Both take the money under the budget's lock (``services.hold_line``), as a commitment does:
two adoptions on the last money of a line queue there, and the second sees what the first
took. Neither creates an execution of its own.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from wijkraad import audit
from wijkraad.auth.actor import Actor
from wijkraad.budget import rules
from wijkraad.budget.models import BudgetLine, Execution, TopUp, Transfer
from wijkraad.budget.services import hold_line, remaining
from wijkraad.db import lock_for_update
from wijkraad.errors import Conflict
from wijkraad.motions.models import Motion


def money_line_id(motion: Motion) -> int | None:
    """The line a motion's amount is taken from: a transfer's source, else its budget line."""
    if not motion.amount_cents:
        return None
    return motion.source_line_id or motion.budget_line_id


def top_up_open(session: Session, decision_id: int) -> bool:
    """Whether the decision's execution may still take money (not done, not cancelled)."""
    status = session.scalar(sa.select(Execution.status).where(Execution.decision_id == decision_id))
    return rules.may_top_up(status)


def closed_top_ups(session: Session, decision_ids: Collection[int]) -> set[int]:
    """Those of ``decision_ids`` that a top-up can no longer add money to (``top_up_open`` is
    false), in one statement, also for none: a page asks it for all its motions at once."""
    rows = session.execute(
        sa.select(Execution.decision_id, Execution.status).where(
            Execution.decision_id.in_(decision_ids)
        )
    )
    statuses = {decision_id: status for decision_id, status in rows}
    return {i for i in decision_ids if not rules.may_top_up(statuses.get(i))}


def move(
    session: Session,
    actor: Actor,
    *,
    decision_id: int,
    council_id: int,
    from_line_id: int,
    to_line_id: int,
    amount_cents: int,
    is_confidential: bool,
    now: datetime,
) -> Transfer:
    """Moves an adopted transfer's amount between the lines, in the transaction that records
    the decision. The caller holds the budget and has seen the amount fit what remains on the
    source line; checked again here."""
    if not rules.transfer_fits(hold_line(session, from_line_id), amount_cents):
        left = remaining(session, from_line_id)
        raise Conflict(
            "budget-exceeded",
            remaining=rules.dutch_euros(left),
            extensions={"remaining_cents": left, "line_id": from_line_id},
        )
    source = session.get(BudgetLine, from_line_id)
    target = session.get(BudgetLine, to_line_id)
    assert source is not None and target is not None
    session.refresh(source)
    session.refresh(target)
    source.allocated_cents -= amount_cents
    target.allocated_cents += amount_cents
    transfer = Transfer(
        decision_id=decision_id,
        from_line_id=from_line_id,
        to_line_id=to_line_id,
        amount_cents=amount_cents,
        is_confidential=is_confidential,
        moved_at=now,
    )
    session.add(transfer)
    session.flush()
    audit.record(
        session,
        actor.user_id,
        "budget.transfer",
        transfer,
        council_id=council_id,
        decision_id=decision_id,
        from_line_id=from_line_id,
        to_line_id=to_line_id,
        amount_cents=amount_cents,
    )
    return transfer


def top_up(
    session: Session,
    actor: Actor,
    *,
    decision_id: int,
    council_id: int,
    supplements_decision_id: int,
    line_id: int,
    amount_cents: int,
    now: datetime,
) -> TopUp:
    """Commits an adopted top-up's amount on its line and adds it to the earlier decision's
    execution, in the transaction that records the decision. The caller has seen the amount
    fit and the execution still open; both checked again here, under the budget's lock and the
    execution's own (which progress notes take)."""
    if not rules.commitment_fits(hold_line(session, line_id), amount_cents):
        left = remaining(session, line_id)
        raise Conflict(
            "budget-exceeded",
            remaining=rules.dutch_euros(left),
            extensions={"remaining_cents": left, "line_id": line_id},
        )
    execution = session.scalar(
        sa.select(Execution).where(Execution.decision_id == supplements_decision_id)
    )
    assert execution is not None
    lock_for_update(session, Execution, execution.id)
    session.refresh(execution)
    if not rules.may_top_up(execution.status):
        raise Conflict("top-up-closed")
    execution.committed_cents += amount_cents
    execution.updated_at = now
    added = TopUp(
        execution_id=execution.id,
        decision_id=decision_id,
        amount_cents=amount_cents,
        added_at=now,
    )
    session.add(added)
    session.flush()
    audit.record(
        session,
        actor.user_id,
        "budget.top_up",
        added,
        council_id=council_id,
        decision_id=decision_id,
        supplements_decision_id=supplements_decision_id,
        line_id=line_id,
        amount_cents=amount_cents,
    )
    return added


def still_possible(session: Session, motion: Motion) -> str | None:
    """Why an adopted motion's money cannot be taken now (``budget-exceeded``,
    ``top-up-closed``), or None. Holds the budget of its line until the transaction ends, and
    the execution it tops up: two decisions on the last money are taken one after the other."""
    line_id = money_line_id(motion)
    if line_id is None or motion.amount_cents is None:
        return None
    figures = hold_line(session, line_id)
    if motion.source_line_id is not None:
        fits = rules.transfer_fits(figures, motion.amount_cents)
    else:
        fits = rules.commitment_fits(figures, motion.amount_cents)
    if not fits:
        return "budget-exceeded"
    if motion.supplements_decision_id is not None:
        execution_id = session.scalar(
            sa.select(Execution.id).where(Execution.decision_id == motion.supplements_decision_id)
        )
        if execution_id is not None:
            lock_for_update(session, Execution, execution_id)
        if not top_up_open(session, motion.supplements_decision_id):
            return "top-up-closed"
    return None
