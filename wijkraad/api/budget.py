"""The neighbourhood budget (API.md "Budget"): a council's budget per year and its lines, read
with what is committed, spent and remaining per line, and the progress of a decision's
execution."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field
from werkzeug.wrappers import Response

from wijkraad import clock
from wijkraad.api import bp
from wijkraad.api.core import actor, body, dump, require_actor
from wijkraad.api.openapi import doc
from wijkraad.api.schemas import In
from wijkraad.budget import permissions, queries
from wijkraad.budget import services as budget
from wijkraad.budget.rules import ExecutionStatus
from wijkraad.councils.queries import council_by_slug
from wijkraad.errors import require
from wijkraad.extensions import db
from wijkraad.publishing import pdf
from wijkraad.publishing.pdf_views import send
from wijkraad.publishing.queries import decision_view
from wijkraad.web import write

Money = Annotated[int, Field(ge=0, le=budget.MAX_CENTS, description="integer cents")]
Year = Annotated[int, Field(ge=1900, le=9999)]


class BudgetCreate(In):
    year: Year
    total_cents: Money


class LineCreate(In):
    code: Annotated[str, Field(min_length=1, max_length=20)]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    allocated_cents: Money


class ProgressCreate(In):
    status: Literal["planned", "in_progress", "done", "cancelled"]
    spent_cents: Money = 0
    note: Annotated[str, Field(min_length=1, max_length=5000)]


class LineOut(BaseModel):
    id: int
    code: str
    name: str
    allocated_cents: int
    committed_cents: int = Field(description="a cancelled decision counts what it spent")
    spent_cents: int
    remaining_cents: int = Field(description="allocated_cents - committed_cents")


class BudgetOut(BaseModel):
    year: int
    total_cents: int
    allocated_cents: int
    committed_cents: int
    spent_cents: int
    remaining_cents: int = Field(description="allocated_cents - committed_cents")
    lines: list[LineOut]


class ProgressOut(BaseModel):
    id: int
    decision_id: int
    status: str
    spent_cents: int = Field(description="spent with this note")
    note: str
    noted_on: date
    committed_cents: int
    total_spent_cents: int = Field(description="spent on the decision so far")


def budget_json(view: queries.BudgetView) -> dict[str, Any]:
    figures = view.figures
    return dump(
        BudgetOut(
            year=view.year,
            total_cents=view.total_cents,
            allocated_cents=figures.allocated_cents,
            committed_cents=figures.committed_cents,
            spent_cents=figures.spent_cents,
            remaining_cents=figures.remaining_cents,
            lines=[
                LineOut(
                    id=line.id,
                    code=line.code,
                    name=line.name,
                    allocated_cents=line.figures.allocated_cents,
                    committed_cents=line.figures.committed_cents,
                    spent_cents=line.figures.spent_cents,
                    remaining_cents=line.figures.remaining_cents,
                )
                for line in view.lines
            ],
        )
    )


@bp.post("/councils/<slug>/budgets")
@doc(
    201,
    BudgetOut,
    body=BudgetCreate,
    auth="required",
    errors={403: "forbidden", 404: "council-not-found", 409: "budget-exists"},
)
@write()
def create_budget(slug: str) -> tuple[dict[str, Any], int]:
    """Set a council's budget for a year (administrators, the council's chair)."""
    who = require_actor()
    council = council_by_slug(db.session, slug)
    require(permissions.can_manage_budget(who, council.id))
    data = body(BudgetCreate)
    made = budget.create_budget(
        db.session, who, council, year=data.year, total_cents=data.total_cents
    )
    return budget_json(queries.budget_view(db.session, who, council.id, made.year)), 201


@bp.post("/councils/<slug>/budgets/<int:year>/lines")
@doc(
    201,
    LineOut,
    body=LineCreate,
    auth="required",
    errors={
        403: "forbidden",
        404: "council-not-found, budget-not-found",
        409: "over-allocated (with total_cents and allocated_cents), line-code-taken",
    },
)
@write()
def add_line(slug: str, year: int) -> tuple[dict[str, Any], int]:
    """Add a line to a year's budget with its allocation (administrators, the chair); the
    allocations never exceed the year's total."""
    who = require_actor()
    council = council_by_slug(db.session, slug)
    found = budget.get_budget(db.session, council.id, year)
    require(permissions.can_manage_budget(who, council.id))
    data = body(LineCreate)
    line = budget.add_line(
        db.session,
        who,
        found,
        code=data.code,
        name=data.name,
        allocated_cents=data.allocated_cents,
    )
    out = LineOut(
        id=line.id,
        code=line.code,
        name=line.name,
        allocated_cents=line.allocated_cents,
        committed_cents=0,
        spent_cents=0,
        remaining_cents=line.allocated_cents,
    )
    return dump(out), 201


@bp.get("/councils/<slug>/budgets/<int:year>")
@doc(200, BudgetOut, errors={404: "council-not-found, budget-not-found"})
def get_budget(slug: str, year: int) -> dict[str, Any]:
    """A year's budget: the total, and per line what is allocated, committed, spent and
    remaining (public)."""
    council = council_by_slug(db.session, slug)
    return budget_json(queries.budget_view(db.session, actor(), council.id, year))


@bp.get("/councils/<slug>/budgets/<int:year>/report.pdf")
@doc(
    200,
    errors={404: "council-not-found, budget-not-found"},
    media="application/pdf",
)
@write()
def budget_report_pdf(slug: str, year: int) -> Response:
    """The year's accountability report (PDF/A-3u, its figures attached as JSON): per line
    what was allocated, committed, spent and remains, per decision what was promised, spent
    and delivered, with the progress notes (public; a confidential decision shows its money
    only). Rendered again only when its content changes; the ETag answers 304."""
    return send(db.session, pdf.budget_report_document(db.session, slug, year))


@bp.post("/decisions/<int:decision_id>/progress")
@doc(
    201,
    ProgressOut,
    body=ProgressCreate,
    auth="required",
    errors={
        403: "forbidden",
        404: "decision-not-found",
        409: "no-execution (a decision without money), execution-status (done or cancelled "
        "already), overspent (with spendable_cents)",
    },
)
@write()
def record_progress(decision_id: int) -> tuple[dict[str, Any], int]:
    """Record progress on a decision's execution (chair, secretary, administrators): its
    status, what was spent since the last note, and a note. Cancelling releases what was not
    spent; spending beyond what the decision committed is refused."""
    who = require_actor()
    decision = decision_view(db.session, who, decision_id)  # 404 for what one may not see
    require(permissions.can_record_progress(who, decision.council_id))
    data = body(ProgressCreate)
    execution = budget.execution_of(db.session, decision_id)
    note = budget.record_progress(
        db.session,
        who,
        execution,
        status=ExecutionStatus(data.status),
        spent_cents=data.spent_cents,
        note=data.note,
        on=clock.today(),
        now=clock.now(),
    )
    out = ProgressOut(
        id=note.id,
        decision_id=decision_id,
        status=note.status.value,
        spent_cents=note.spent_cents,
        note=note.note,
        noted_on=note.noted_on,
        committed_cents=execution.committed_cents,
        total_spent_cents=execution.spent_cents,
    )
    return dump(out), 201
