"""The annual accountability report of a council's budget (verantwoording): per line what was
allocated, committed, spent and what remains, and per decision on it what was promised, what
was spent, how far its execution went (with the progress notes) and when it was delivered.

Public: read as anyone may see it (the budget page's visibility for a visitor without an
account), so a confidential decision shows its money and date, never what it was about. A
fixed number of statements whatever the number of lines, decisions and notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from wijkraad.auth.actor import ANONYMOUS
from wijkraad.budget.models import BudgetLine, Execution
from wijkraad.budget.queries import (
    DecisionMoney,
    NoteView,
    TopUpView,
    TransferView,
    budget_view,
)
from wijkraad.budget.rules import ExecutionStatus, Figures
from wijkraad.councils.queries import council_by_slug
from wijkraad.motions.models import Motion


@dataclass(frozen=True)
class ReportDecision:
    decision_id: int
    identifier: str | None  # None for a confidential decision
    title: str | None
    text: str | None
    decided_on: date
    committed_cents: int  # promised
    spent_cents: int
    status: ExecutionStatus
    notes: tuple[NoteView, ...]
    delivered_on: date | None  # the day it was noted done
    top_ups: tuple[TopUpView, ...] = ()  # what further decisions added to it

    @property
    def confidential(self) -> bool:
        return self.identifier is None

    @property
    def delivered(self) -> bool:
        return self.status is ExecutionStatus.DONE


@dataclass(frozen=True)
class ReportLine:
    code: str
    name: str
    figures: Figures
    decisions: tuple[ReportDecision, ...]
    transfers: tuple[TransferView, ...] = ()  # money moved to or from it by decisions


@dataclass(frozen=True)
class BudgetReport:
    council_slug: str
    council_name: str
    year: int
    total_cents: int
    figures: Figures
    unallocated_cents: int
    lines: tuple[ReportLine, ...]

    @property
    def decision_count(self) -> int:
        return sum(len(line.decisions) for line in self.lines)

    @property
    def delivered_count(self) -> int:
        return sum(1 for line in self.lines for d in line.decisions if d.delivered)


def delivered_on(money: DecisionMoney) -> date | None:
    """The date of the note that marked the execution done (the last such one)."""
    if money.status is not ExecutionStatus.DONE:
        return None
    done = [n.noted_on for n in money.notes if n.status is ExecutionStatus.DONE]
    return done[-1] if done else None


def _titles(session: Session, budget_id: int) -> dict[int, str]:
    """The title of each decision's motion on the budget's lines: one statement."""
    # The decision's table belongs to a package above this one: named through the mapping.
    decisions = Execution.decision.property.mapper.local_table
    rows = session.execute(
        sa.select(Execution.decision_id, Motion.title)
        .join(decisions, decisions.c.id == Execution.decision_id)
        .join(Motion, Motion.id == decisions.c.motion_id)
        .join(BudgetLine, BudgetLine.id == Execution.line_id)
        .where(BudgetLine.budget_id == budget_id)
    )
    return {decision_id: title for decision_id, title in rows}


def budget_report(session: Session, slug: str, year: int) -> BudgetReport:
    """The report of ``slug``'s budget of ``year``: NotFound (council-not-found,
    budget-not-found) when there is none. Ten statements."""
    council = council_by_slug(session, slug)
    view = budget_view(session, ANONYMOUS, council.id, year, decisions=True)
    titles = _titles(session, view.id)
    return BudgetReport(
        council_slug=council.slug,
        council_name=council.name,
        year=view.year,
        total_cents=view.total_cents,
        figures=view.figures,
        unallocated_cents=view.unallocated_cents,
        lines=tuple(
            ReportLine(
                code=line.code,
                name=line.name,
                figures=line.figures,
                decisions=tuple(
                    ReportDecision(
                        decision_id=d.decision_id,
                        identifier=d.identifier,
                        title=None if d.confidential else titles.get(d.decision_id),
                        text=d.text,
                        decided_on=d.decided_on,
                        committed_cents=d.committed_cents,
                        spent_cents=d.spent_cents,
                        status=d.status,
                        notes=d.notes,
                        delivered_on=delivered_on(d),
                        top_ups=d.top_ups,
                    )
                    for d in line.decisions
                ),
                transfers=line.transfers,
            )
            for line in view.lines
        ),
    )
