"""The budget pages: a council's budget of a year in public (charts, lines, each line's
decisions and how their execution goes), and the page on which the chair or the secretary
records a decision's progress."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from wijkraad import clock
from wijkraad.budget import charts, permissions, queries
from wijkraad.budget import services as budget
from wijkraad.budget.forms import ProgressForm
from wijkraad.budget.messages import EXECUTION_NAMES
from wijkraad.budget.rules import ExecutionStatus
from wijkraad.councils.queries import council_by_slug
from wijkraad.errors import Forbidden, NotFound
from wijkraad.extensions import db
from wijkraad.security import current_actor
from wijkraad.web import form_status, write

bp = Blueprint("budget", __name__)


def _page(slug: str, year: int | None) -> tuple[str, int]:
    actor = current_actor()
    council = council_by_slug(db.session, slug)
    view = None
    try:
        if year is None:
            year = queries.latest_year(db.session, council.id)
        view = queries.budget_view(db.session, actor, council.id, year, decisions=True)
    except NotFound:
        if year is not None:
            raise
    lines = list(view.lines) if view else []
    return render_template(
        "budget/show.html",
        council=council,
        view=view,
        line_bars=list(zip(lines, charts.bars([line.figures for line in lines]), strict=True)),
        chart_width=charts.WIDTH,
        chart_row=charts.ROW,
        chart_height=charts.height(len(lines)),
        can_record=permissions.can_record_progress(actor, council.id),
        status_names=EXECUTION_NAMES,
    ), 200


@bp.get("/wijkraden/<slug>/begroting")
def latest(slug: str) -> tuple[str, int]:
    """The council's most recent budget (or word that it has none yet)."""
    return _page(slug, None)


@bp.get("/wijkraden/<slug>/begroting/<int:year>")
def show(slug: str, year: int) -> tuple[str, int]:
    return _page(slug, year)


@bp.route("/begroting/besluiten/<int:decision_id>/voortgang", methods=["GET", "POST"])
def progress(decision_id: int) -> tuple[str, int] | Response:
    actor = current_actor()
    view = queries.execution_view(db.session, decision_id)
    if not permissions.can_record_progress(actor, view.council_id):
        raise Forbidden()
    form = ProgressForm()
    if form.validate_on_submit():
        with write(form):
            execution = budget.execution_of(db.session, decision_id)
            budget.record_progress(
                db.session,
                actor,
                execution,
                status=ExecutionStatus(form.status.data),
                spent_cents=form.spent.cents or 0,
                note=form.note.data or "",
                on=clock.today(),
                now=clock.now(),
            )
            flash(
                _(
                    "De voortgang van besluit %(identifier)s is vastgelegd.",
                    identifier=view.identifier,
                ),
                "ok",
            )
            target = url_for(
                "budget.show",
                slug=view.council_slug,
                year=view.year,
                _anchor=f"besluit-{decision_id}",
            )
            return redirect(target, code=303)
    elif not form.is_submitted():
        form.status.data = view.status.value
    return render_template(
        "budget/progress.html", form=form, view=view, status_names=EXECUTION_NAMES
    ), form_status(form)
