"""The pages that correct a meeting before it opens (its title, start and place; its items'
texts; removing an item), and the chair's gavel on a formality item, with the member's request
for a vote on one.

Moving items up and down stays on the meeting page (``meetings.views.move_item``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from wijkraad import clock
from wijkraad.errors import Forbidden
from wijkraad.extensions import db
from wijkraad.forms import ActionForm
from wijkraad.i18n import local
from wijkraad.meetings import corrections, permissions
from wijkraad.meetings import services as meetings
from wijkraad.meetings.forms import AgendaItemEditForm, MeetingEditForm
from wijkraad.meetings.models import AgendaItem, Meeting
from wijkraad.meetings.views import back, visible_item, visible_meeting
from wijkraad.messages import message_for
from wijkraad.motions import agenda
from wijkraad.security import current_actor
from wijkraad.voting import decisions
from wijkraad.web import FLASH, checked, form_status, safe_next, write

bp = Blueprint("corrections", __name__)


def _managed(meeting: Meeting) -> Response | None:
    """403 for whoever does not prepare the council's meetings; back to the meeting page with
    the reason when it can no longer be corrected."""
    if not permissions.can_manage_meeting(current_actor(), meeting.council_id):
        raise Forbidden()
    if problem := corrections.correction_problem(meeting):
        flash(message_for(problem), "error")
        return back(meeting)
    return None


@bp.route("/vergaderingen/<int:meeting_id>/wijzigen", methods=["GET", "POST"])
def edit_meeting(meeting_id: int) -> tuple[str, int] | Response:
    meeting = visible_meeting(meeting_id)
    if (refused := _managed(meeting)) is not None:
        return refused
    starts = local(meeting.starts_at)
    form = MeetingEditForm(
        data={
            "title": meeting.title,
            "starts_on": starts.date(),
            "starts_time": starts.time().replace(second=0, microsecond=0),
            "location": meeting.location,
        }
    )
    if form.validate_on_submit():
        starts_at = datetime.combine(
            form.starts_on.data, form.starts_time.data, tzinfo=clock.AMSTERDAM
        ).astimezone(UTC)
        with write(form):
            moved = corrections.edit_meeting(
                db.session,
                current_actor(),
                meeting,
                title=form.title.data or "",
                starts_at=starts_at,
                location=form.location.data or "",
                now=clock.now(),
            )
            if moved:
                flash(
                    _("De vergadering is gewijzigd. De leden krijgen bericht van de verplaatsing."),
                    "ok",
                )
            else:
                flash(_("De vergadering is gewijzigd."), "ok")
            return back(meeting)
    return render_template(
        "meetings/edit.html", form=form, meeting=meeting, council=meeting.council
    ), form_status(form)


def _item_page(item: AgendaItem) -> Response | None:
    return _managed(item.meeting)


@bp.route("/agendapunten/<int:item_id>/wijzigen", methods=["GET", "POST"])
def edit_item(item_id: int) -> tuple[str, int] | Response:
    item = visible_item(item_id)
    if (refused := _item_page(item)) is not None:
        return refused
    form = AgendaItemEditForm(obj=item)
    if form.validate_on_submit():
        with write(form):
            corrections.edit_item(
                db.session,
                current_actor(),
                item,
                title=form.title.data or "",
                description=form.description.data or "",
                is_formality=bool(form.is_formality.data),
                is_confidential=bool(form.is_confidential.data),
            )
            flash(_("Agendapunt '%(title)s' is gewijzigd.", title=item.title), "ok")
            return back(item.meeting, f"punt-{item.id}")
    return render_template(
        "meetings/item_edit.html",
        form=form,
        item=item,
        number=meetings.numbers(item.meeting).get(item.id, ""),
        meeting=item.meeting,
        council=item.meeting.council,
    ), form_status(form)


@bp.route("/agendapunten/<int:item_id>/verwijderen", methods=["GET", "POST"])
def remove_item(item_id: int) -> tuple[str, int] | Response:
    """A page that asks to confirm, and says beforehand why the item cannot go, if it cannot."""
    item = visible_item(item_id)
    meeting = item.meeting
    if (refused := _item_page(item)) is not None:
        return refused
    form = ActionForm()
    if request.method == "POST":
        checked(form)
        title = item.title
        with write(FLASH) as attempt:
            drafts = agenda.remove_item(db.session, current_actor(), item)
            if drafts:
                flash(
                    _(
                        "Agendapunt '%(title)s' is verwijderd, met de concepten erbij.",
                        title=title,
                    ),
                    "ok",
                )
            else:
                flash(_("Agendapunt '%(title)s' is verwijderd.", title=title), "ok")
        if attempt.refusal is not None and attempt.refusal.code == "agenda-item-not-found":
            return back(meeting)
        return back(meeting, "agenda" if attempt.refusal is None else f"punt-{item_id}")
    problem = agenda.removal_problem(db.session, item)
    drafts = [m for m in agenda.motions_on(db.session, item)] if problem is None else []
    return render_template(
        "meetings/item_remove.html",
        form=form,
        item=item,
        number=meetings.numbers(meeting).get(item.id, ""),
        problem=message_for(problem) if problem else None,
        drafts=drafts,
        meeting=meeting,
        council=meeting.council,
    ), 200


@bp.post("/agendapunten/<int:item_id>/hamerslag")
def gavel(item_id: int) -> Response:
    item = visible_item(item_id)
    checked(ActionForm())
    title = item.title
    with write(FLASH):
        decision = decisions.gavel(db.session, current_actor(), item, on=clock.today())
        flash(
            _(
                "Hamerslag: '%(title)s' is aangenomen (besluit %(identifier)s).",
                title=title,
                identifier=decision.identifier,
            ),
            "ok",
        )
    return back(item.meeting, f"punt-{item_id}")


@bp.post("/agendapunten/<int:item_id>/stemming-vragen")
def request_vote(item_id: int) -> Response:
    item = visible_item(item_id)
    checked(ActionForm())
    title = item.title
    with write(FLASH):
        agenda.request_vote_on_item(db.session, current_actor(), item)
        flash(
            _(
                "U hebt om stemming gevraagd over '%(title)s'. De voorzitter brengt het in "
                "stemming.",
                title=title,
            ),
            "ok",
        )
    # From the member's phone, back there; else to the item on the meeting page.
    fallback = url_for("meetings.show", meeting_id=item.meeting_id, _anchor=f"punt-{item_id}")
    return redirect(safe_next(request.form.get("next"), fallback), code=303)
