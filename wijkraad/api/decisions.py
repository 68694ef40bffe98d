"""Decisions in the API: a council's decisions searched and filtered a page at a time, one
decision, a meeting's decision list as PDF, and the council's feeds. Every answer reads through
``publishing.queries`` (or the pdf and feed views' own code), so the API shows exactly what the
pages show to the same caller: confidential decisions only to the council's members."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator
from werkzeug.wrappers import Response

from wijkraad.api import bp, schemas
from wijkraad.api.core import actor, dump, paged, query_args
from wijkraad.api.openapi import doc
from wijkraad.auth.links import external_url
from wijkraad.councils import queries as council_queries
from wijkraad.db import Window
from wijkraad.extensions import db
from wijkraad.publishing import feed_views, feeds, pdf, queries
from wijkraad.publishing.pdf_views import send
from wijkraad.publishing.queries import DecisionView
from wijkraad.security import is_storable
from wijkraad.voting.rules import GroupCounts, Outcome
from wijkraad.web import write

OutcomeName = Literal["adopted", "rejected", "postponed", "invalid"]


class DecisionQuery(schemas.PageQuery):
    """Which decisions: all filters are optional and combine; newest first."""

    year: int | None = Field(default=None, ge=1900, le=9999, description="the year decided in")
    outcome: OutcomeName | None = None
    q: str = Field(
        default="",
        max_length=200,
        description="words that must all occur (each as the start of a word) in the "
        "identifier, title, text, explanation or commitments; or a whole identifier",
    )
    budget_line_id: schemas.Id | None = None

    @field_validator("q")
    @classmethod
    def _storable(cls, value: str) -> str:
        if not is_storable(value):
            raise ValueError("text may not contain NUL characters or lone surrogates")
        return value


class NamedVoteOut(BaseModel):
    name: str | None = Field(description="null for a resident whose name is not published")
    seat: schemas.Seat
    choice: Literal["yes", "no", "abstain"]


class DecisionOut(BaseModel):
    """A decision: its identifier, text, outcome and vote, with links to the motion, the
    meeting and (with an amount) the budget line. `counts` and `groups` are null for a
    formality adopted without a vote."""

    id: int
    identifier: str
    council: str = Field(description="the council's slug")
    title: str = Field(description="the motion's title")
    text: str = Field(description="the decision itself, at most 200 characters")
    explanation: str
    commitments: str = Field(description="what was promised in the meeting (toezeggingen)")
    outcome: OutcomeName
    decided_on: date
    meeting_id: int
    motion_id: int
    agenda_item_id: int
    requirement: Literal["majority", "two_thirds"]
    mode: Literal["named", "analog"] | None
    counts: schemas.CountsOut | None
    groups: schemas.Groups | None
    votes: list[NamedVoteOut]
    budget_line_id: int | None
    budget_line_name: str | None = None
    amount_cents: int | None
    url: str = Field(description="the decision's page: its permanent, citable address")


def _counts(group: GroupCounts) -> schemas.CountsOut:
    return schemas.CountsOut(yes=group.yes, no=group.no, abstain=group.abstain)


def decision_out(d: DecisionView) -> dict[str, Any]:
    tally = d.tally
    counts = groups = None
    if tally is not None:
        counts = _counts(tally.total)
        groups = schemas.Groups(
            residents=_counts(tally.residents), councillors=_counts(tally.councillors)
        )
    return dump(
        DecisionOut(
            id=d.id,
            identifier=d.identifier,
            council=d.council_slug,
            title=d.title,
            text=d.text,
            explanation=d.explanation,
            commitments=d.commitments,
            outcome=d.outcome.value,
            decided_on=d.decided_on,
            meeting_id=d.meeting_id,
            motion_id=d.motion_id,
            agenda_item_id=d.agenda_item_id,
            requirement=d.requirement.value,
            mode=d.mode.value if d.mode else None,
            counts=counts,
            groups=groups,
            votes=[
                NamedVoteOut(name=v.name, seat=v.seat.value, choice=v.choice.value) for v in d.votes
            ],
            budget_line_id=d.budget_line_id,
            budget_line_name=d.budget_line_name,
            amount_cents=d.amount_cents,
            url=external_url("archive.decision", identifier=d.identifier),
        )
    )


COUNCIL_404 = {404: "council-not-found"}


@bp.get("/councils/<slug>/decisions")
@doc(200, list[DecisionOut], query=DecisionQuery, errors=COUNCIL_404)
def list_decisions(slug: str) -> tuple[list[dict[str, Any]], int, dict[str, str]]:
    """The council's decisions, newest first, a page at a time: searched (`q`, full text) and
    filtered by year, outcome and budget line. Confidential ones only for its members."""
    council = council_queries.council_by_slug(db.session, slug)
    asked = query_args(DecisionQuery)
    filters = queries.DecisionFilters(
        year=asked.year,
        outcome=Outcome(asked.outcome) if asked.outcome else None,
        q=asked.q,
        budget_line_id=asked.budget_line_id,
    )
    page = queries.decisions_of(
        db.session, actor(), council.id, filters, page=asked.page, per_page=asked.per_page
    )
    found = Window(
        items=list(page.decisions), total=page.total, offset=asked.offset, limit=asked.per_page
    )
    return paged([decision_out(d) for d in page.decisions], found, asked)


@bp.get("/decisions/<int:decision_id>")
@doc(200, DecisionOut, errors={404: "decision-not-found"})
def get_decision(decision_id: int) -> dict[str, Any]:
    """A decision with its vote: counts per group and the named votes (a resident's name is
    null where the council does not publish it). 404 for one the caller may not see."""
    return decision_out(queries.decision_view(db.session, actor(), decision_id))


@bp.get("/meetings/<int:meeting_id>/decision-list.pdf")
@doc(
    200,
    errors={404: "meeting-not-found", 409: "meeting-not-closed"},
    media="application/pdf",
)
@write()
def decision_list_pdf(meeting_id: int) -> Response:
    """The meeting's decision list (PDF/A-3u, with its decisions as Popolo JSON attached), once
    the meeting is closed; marked as a draft until the council approves the minutes."""
    return send(db.session, pdf.decision_list_document(db.session, actor(), meeting_id))


@bp.get("/councils/<slug>/meetings.ics")
@doc(200, auth="ignored", errors=COUNCIL_404, media=feeds.ICS)
def council_meetings_ics(slug: str) -> Response:
    """The council's published meetings as an iCalendar (RFC 5545), times in Dutch time;
    a cancelled meeting stays in it as cancelled."""
    return feed_views.meetings_calendar(slug)


@bp.get("/councils/<slug>/decisions.atom")
@doc(200, auth="ignored", errors=COUNCIL_404, media=feeds.ATOM)
def council_decisions_atom(slug: str) -> Response:
    """The council's latest public decisions as an Atom feed (RFC 4287), newest first."""
    return feed_views.decisions_feed(slug)
