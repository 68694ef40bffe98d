"""The public record on the site, readable without an account:

- ``/besluiten/<identifier>``: one decision, citable at that address;
- ``/wijkraden/<slug>/besluiten``: a council's decisions, searched and filtered, a page at a
  time, newest first; ``/besluiten``: the same across every council.

The archive's form is a GET form (its address can be bookmarked and shared; it changes
nothing, so it carries no CSRF token). A value it cannot take is a form error (422), never a
500. What a visitor may see is decided by ``publishing.queries`` alone.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import SearchField, SelectField
from wtforms.validators import Length, Optional

from wijkraad.auth.links import external_url
from wijkraad.councils import queries as council_queries
from wijkraad.errors import NotFound
from wijkraad.extensions import db
from wijkraad.forms import NONE, choices, optional_int
from wijkraad.messages import OUTCOME_NAMES
from wijkraad.minutes import queries as minutes_queries
from wijkraad.publishing import queries, search
from wijkraad.security import current_actor
from wijkraad.voting.rules import Outcome

bp = Blueprint("archive", __name__)

PER_PAGE = 20
MAX_PAGE = 10_000
FILTERS = ("q", "jaar", "uitkomst", "post")


class ArchiveForm(FlaskForm):
    class Meta:
        csrf = False  # a search: it reads, and its address is shared

    q = SearchField(
        _l("Zoeken in besluiten"),
        validators=[Optional(), Length(max=200)],
        description=_l("Woorden uit de titel, de tekst, de toelichting of het kenmerk."),
    )
    jaar = SelectField(_l("Jaar"), coerce=optional_int, validators=[Optional()])
    uitkomst = SelectField(_l("Uitkomst"), validators=[Optional()])
    post = SelectField(_l("Begrotingspost"), coerce=optional_int, validators=[Optional()])


def _form(years: tuple[int, ...], lines: tuple[tuple[int, str], ...]) -> ArchiveForm:
    form = ArchiveForm(formdata=request.args)
    form.jaar.choices = choices([(NONE, _l("Alle jaren"))] + [(y, str(y)) for y in years])
    form.uitkomst.choices = choices(
        [(NONE, _l("Alle uitkomsten"))] + [(o.value, OUTCOME_NAMES[o.value]) for o in Outcome]
    )
    form.post.choices = choices([(NONE, _l("Alle begrotingsposten")), *lines])
    return form


def _page_number() -> int:
    page = request.args.get("pagina", default=1, type=int)
    return min(max(page or 1, 1), MAX_PAGE)


def _archive(council_id: int | None, template_values: dict[str, Any]) -> tuple[str, int]:
    actor = current_actor()
    years = queries.decision_years(db.session, actor, council_id)
    lines = queries.budget_lines_of(db.session, council_id)
    form = _form(years, lines)
    valid = form.validate()
    found = None
    if valid:
        filters = queries.DecisionFilters(
            year=form.jaar.data,
            outcome=Outcome(form.uitkomst.data) if form.uitkomst.data else None,
            q=(form.q.data or "").strip(),
            budget_line_id=form.post.data,
        )
        found = queries.decisions_of(
            db.session, actor, council_id, filters, page=_page_number(), per_page=PER_PAGE
        )
    kept = {k: v for k, v in request.args.items() if k in FILTERS and v}
    return render_template(
        "publishing/archive.html",
        form=form,
        found=found,
        searched=bool(kept),
        page_url=lambda n: url_for(
            request.endpoint or "", **(request.view_args or {}), **kept, pagina=n
        ),
        outcome_names=OUTCOME_NAMES,
        **template_values,
    ), 200 if valid else 422


@bp.get("/wijkraden/<slug>/besluiten")
def council_archive(slug: str) -> tuple[str, int]:
    council = council_queries.council_by_slug(db.session, slug)
    return _archive(council.id, {"council": council})


@bp.get("/besluiten")
def archive() -> tuple[str, int]:
    return _archive(None, {"council": None})


@bp.get("/besluiten/<identifier>")
def decision(identifier: str) -> str | Response:
    if not search.is_identifier(identifier):
        raise NotFound("decision-not-found")
    view = queries.decision_by_identifier(db.session, current_actor(), identifier)
    if identifier != view.identifier:
        # One address per decision: ost-2026-014 is OST-2026-014.
        return redirect(url_for("archive.decision", identifier=view.identifier), code=301)
    status = minutes_queries.minutes_status(db.session, view.meeting_id)
    return render_template(
        "publishing/decision.html",
        d=view,
        permalink=external_url("archive.decision", identifier=view.identifier),
        minutes_public=status is not None and status.value == "approved",
        outcome_names=OUTCOME_NAMES,
    )
