"""The motion pages: a member writes a motion or amendment (or a draft of one), submits or
withdraws it, asks for a vote on a formality; the secretary puts a postponed motion on a later
meeting's agenda."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from wijkraad import clock, confirmations
from wijkraad.budget import queries as budget_queries
from wijkraad.budget import services as budget
from wijkraad.errors import Forbidden, Invalid
from wijkraad.extensions import db
from wijkraad.forms import NONE, ActionForm, ConfirmForm, choices
from wijkraad.i18n import format_local
from wijkraad.meetings import permissions
from wijkraad.meetings import queries as meeting_queries
from wijkraad.meetings import services as meetings
from wijkraad.meetings.views import (
    back,
    back_url,
    confirm_page,
    later_items,
    refused,
    visible_item,
)
from wijkraad.motions import queries as motion_queries
from wijkraad.motions import rules, services
from wijkraad.motions.forms import MotionForm, ScheduleForm
from wijkraad.motions.models import Motion
from wijkraad.motions.rules import Requirement
from wijkraad.security import current_actor
from wijkraad.voting import meeting_reads
from wijkraad.web import FLASH, checked, euros, form_status, write

bp = Blueprint("motions", __name__)


def visible_motion(motion_id: int) -> Motion:
    """The motion, or 404 when its meeting, its (confidential) item or the motion itself (a
    draft) is not for the actor."""
    return meeting_reads.visible_motion(db.session, current_actor(), motion_id)


def back_to(motion: Motion) -> Response:
    """To the motion on its meeting page."""
    return back(motion.agenda_item.meeting, f"voorstel-{motion.id}")


@bp.route("/agendapunten/<int:item_id>/voorstellen/nieuw", methods=["GET", "POST"])
def submit_motion(item_id: int) -> tuple[str, int] | Response:
    actor = current_actor()
    item = visible_item(item_id)
    meeting = item.meeting
    council = meeting.council
    if not permissions.can_submit_motion(actor, council.id):
        raise Forbidden()
    number = meetings.numbers(meeting).get(item.id, "")
    form = MotionForm()
    open_motions = [
        m for m in motion_queries.motions_of_items(db.session, [item.id]) if m.amends_id is None
    ]
    # What can be amended: motions still undecided, submitted (a draft cannot be amended) and
    # visible to this member (someone else's draft is not even named).
    form.amends_id.choices = choices(
        [(NONE, _("Geen: een zelfstandig voorstel"))]
        + [
            (m.id, m.title)
            for m in open_motions
            if m.status not in rules.FINAL
            and m.status is not rules.MotionStatus.DRAFT
            and services.may_see(actor, m)
        ]
    )
    year = meeting.starts_at.year
    lines = [
        (
            line.id,
            _(
                "%(code)s %(name)s (nog %(remaining)s)",
                code=line.code,
                name=line.name,
                remaining=euros(line.remaining_cents),
            ),
        )
        for line in budget_queries.lines_for(db.session, council.id, year)
    ]
    form.budget_line_id.choices = choices(
        [(NONE, _("Geen: het voorstel vraagt geen geld")), *lines]
    )
    form.source_line_id.choices = choices(
        [(NONE, _("Geen: het voorstel verschuift geen geld")), *lines]
    )
    form.supplements_decision_id.choices = choices(
        [(NONE, _("Geen: een nieuw besluit"))]
        + [
            (
                d.decision_id,
                _(
                    "%(identifier)s %(text)s (%(code)s, %(committed)s toegezegd)",
                    identifier=d.identifier,
                    text=d.text,
                    code=d.line_code,
                    committed=euros(d.committed_cents),
                ),
            )
            for d in budget_queries.open_decisions_for(db.session, council.id, year)
        ]
    )
    seat = actor.seats.get(council.id)
    form.cosigners.choices = choices(
        (m.id, m.person.name)
        for m in sorted(
            meeting_queries.seated_with_persons(db.session, council, clock.today()),
            key=lambda m: m.person.name,
        )
        if seat is None or m.id != seat.membership_id
    )
    if form.validate_on_submit():
        with write(form):
            motion = budget.submit_motion(
                db.session,
                actor,
                item,
                title=form.title.data or "",
                text=form.text.data or "",
                requirement=Requirement(form.requirement.data),
                amount_cents=form.amount_cents.cents,
                budget_line_id=form.budget_line_id.data,
                source_line_id=form.source_line_id.data,
                supplements_decision_id=form.supplements_decision_id.data,
                amends_id=form.amends_id.data,
                cosigner_ids=form.cosigners.data or [],
                on=clock.today(),
                draft=request.form.get("draft") == "1",
            )
            if motion.status is rules.MotionStatus.DRAFT:
                flash(
                    _(
                        "Uw voorstel '%(title)s' is als concept bewaard. Alleen u, de mede-"
                        "indieners, de voorzitter en de secretaris zien het tot u het indient.",
                        title=motion.title,
                    ),
                    "ok",
                )
            else:
                flash(_("Uw voorstel '%(title)s' is ingediend.", title=motion.title), "ok")
            return back(meeting, f"voorstel-{motion.id}")
    return render_template(
        "motions/form.html", form=form, item=item, number=number, meeting=meeting
    ), form_status(form)


@bp.post("/voorstellen/<int:motion_id>/indienen")
def submit_draft(motion_id: int) -> Response:
    actor = current_actor()
    motion = visible_motion(motion_id)
    checked(ActionForm())
    with write(FLASH):
        services.submit_draft(db.session, actor, motion)
        flash(_("Uw voorstel '%(title)s' is ingediend.", title=motion.title), "ok")
    return back_to(motion)


def _may_withdraw(motion: Motion) -> bool:
    actor = current_actor()
    council_id = motion.agenda_item.meeting.council_id
    seat = actor.seats.get(council_id)
    is_submitter = seat is not None and seat.membership_id == motion.submitted_by_id
    return is_submitter or permissions.can_chair(actor, council_id)


@bp.route("/voorstellen/<int:motion_id>/intrekken", methods=["GET", "POST"])
def withdraw(motion_id: int) -> str | Response:
    """Asks first (a page, or with script its dialog); acts on the confirmed post only."""
    actor = current_actor()
    motion = visible_motion(motion_id)
    meeting = motion.agenda_item.meeting
    if not _may_withdraw(motion):
        raise Forbidden()
    if request.method == "GET":
        there = back_url(meeting, f"voorstel-{motion.id}")
        if (refusal := services.move_refusal(motion, rules.MotionStatus.WITHDRAWN)) is not None:
            return refused(refusal, there)
        return confirm_page(
            meeting, confirmations.withdraw_motion(motion.title), motion.title, there
        )
    if not checked(ConfirmForm()).is_confirmed():  # type: ignore[attr-defined]
        return redirect(request.path, code=303)
    with write(FLASH):
        services.withdraw(db.session, actor, motion)
        flash(_("'%(title)s' is ingetrokken.", title=motion.title), "ok")
    return back_to(motion)


@bp.post("/voorstellen/<int:motion_id>/stemming-vragen")
def request_vote(motion_id: int) -> Response:
    actor = current_actor()
    motion = visible_motion(motion_id)
    checked(ActionForm())
    with write(FLASH):
        services.request_vote(db.session, actor, motion)
        flash(_("U hebt om stemming gevraagd over '%(title)s'.", title=motion.title), "ok")
    return back_to(motion)


@bp.post("/voorstellen/<int:motion_id>/agenderen")
def schedule(motion_id: int) -> Response:
    """Puts a postponed motion on an agenda item of a later meeting."""
    actor = current_actor()
    motion = visible_motion(motion_id)
    form = ScheduleForm()
    form.agenda_item_id.choices = choices(later_items(motion.agenda_item.meeting))
    with write(FLASH):
        if not form.validate_on_submit() or form.agenda_item_id.data is None:
            raise Invalid("not-a-later-meeting", field="agenda_item_id")
        item = meetings.get_item(db.session, form.agenda_item_id.data)
        services.reschedule(db.session, actor, motion, item)
        flash(
            _(
                "'%(title)s' staat nu op de agenda van %(meeting)s.",
                title=motion.title,
                meeting=format_local(item.meeting.starts_at, "d MMMM y"),
            ),
            "ok",
        )
    return back_to(motion)
