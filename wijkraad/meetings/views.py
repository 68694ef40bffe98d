"""The meeting pages: the list of meetings, a new meeting, and the meeting page with its agenda,
attendance and recusals, where the secretary prepares and the chair runs the meeting.

Motions have their pages in ``motions.views``; vote rounds, the members' phones and the
projector in ``voting.views``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from wijkraad import clock, confirmations
from wijkraad.confirmations import Confirmation
from wijkraad.councils import services as council_services
from wijkraad.councils.models import Council
from wijkraad.documents import queries as document_queries
from wijkraad.errors import DomainError, Forbidden, Invalid, NotFound
from wijkraad.extensions import db
from wijkraad.forms import NONE, ActionForm, ConfirmForm, choices
from wijkraad.i18n import format_local
from wijkraad.meetings import agenda_sent, permissions, queries, services
from wijkraad.meetings.forms import (
    AgendaItemForm,
    CurrentItemForm,
    MeetingForm,
    MoveForm,
    RecusalForm,
)
from wijkraad.meetings.models import AgendaItem, Meeting
from wijkraad.meetings.rules import MeetingStatus
from wijkraad.messages import OUTCOME_NAMES, message_for
from wijkraad.minutes import queries as minutes_queries
from wijkraad.motions import services as motion_services
from wijkraad.security import current_actor
from wijkraad.voting import meeting_page
from wijkraad.voting import services as voting
from wijkraad.voting.forms import OpenRoundForm
from wijkraad.web import FLASH, checked, form_status, moment, write

bp = Blueprint("meetings", __name__)


# ------------------------------------------------------------------ helpers


def visible_meeting(meeting_id: int) -> Meeting:
    """The meeting, or 404 for a draft the actor may not see (its existence is not public)."""
    meeting = services.get_meeting(db.session, meeting_id)
    if not services.may_see(current_actor(), meeting):
        raise NotFound("meeting-not-found")
    return meeting


def visible_item(item_id: int) -> AgendaItem:
    """The agenda item, or 404 when its meeting or the item itself is hidden from the actor."""
    return queries.visible_item(db.session, current_actor(), item_id)


def back(meeting: Meeting, anchor: str | None = None) -> Response:
    """To the meeting page (at ``anchor``) after a post."""
    return redirect(url_for("meetings.show", meeting_id=meeting.id, _anchor=anchor), code=303)


def back_url(meeting: Meeting, anchor: str | None = None) -> str:
    return url_for("meetings.show", meeting_id=meeting.id, _anchor=anchor)


def later_items(meeting: Meeting) -> list[tuple[int, str]]:
    """Where a postponed motion can go: the items of this council's later, unfinished meetings."""
    return [
        (item.id, f"{format_local(m.starts_at, 'd MMM y')} · {number}. {item.title}")
        for m in queries.later_meetings(db.session, meeting)
        for number, item in services.ordered_items(m)
    ]


# ----------------------------------------------------------------- meetings


@bp.get("/wijkraden/<slug>/vergaderingen")
def index(slug: str) -> str:
    council = council_services.get_council(db.session, slug)
    actor = current_actor()
    meetings = queries.meetings_of(db.session, actor, council)
    return render_template(
        "meetings/index.html",
        council=council,
        meetings=list(meetings),
        can_manage=permissions.can_manage_meeting(actor, council.id),
    )


def _follow_up_choices(council: Council) -> list[SelectChoice]:
    """Published meetings that never opened: the ones that may have lacked quorum."""
    candidates = queries.follow_up_candidates(db.session, council)
    return choices(
        [(NONE, _("Geen: een gewone vergadering"))]
        + [(m.id, f"{m.title} ({moment(m.starts_at)})") for m in candidates]
    )


@bp.route("/wijkraden/<slug>/vergaderingen/nieuw", methods=["GET", "POST"])
def create(slug: str) -> tuple[str, int] | Response:
    actor = current_actor()
    council = council_services.get_council(db.session, slug)
    if not permissions.can_manage_meeting(actor, council.id):
        raise Forbidden()
    form = MeetingForm()
    form.follow_up_of.choices = _follow_up_choices(council)
    if form.validate_on_submit():
        starts_at = datetime.combine(
            form.starts_on.data, form.starts_time.data, tzinfo=clock.AMSTERDAM
        ).astimezone(UTC)
        with write(form):
            meeting = motion_services.create_meeting(
                db.session,
                actor,
                council,
                title=form.title.data or "",
                starts_at=starts_at,
                location=form.location.data or "",
                follow_up_of_id=form.follow_up_of.data,
            )
            flash(_("De vergadering is aangemaakt als concept."), "ok")
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return render_template("meetings/form.html", form=form, council=council), form_status(form)


def _meeting_page(
    meeting_id: int, *, item_form: AgendaItemForm | None = None, status: int = 200
) -> tuple[str, int]:
    """The meeting page; with ``item_form`` the new item's form shown again with its errors."""
    page = meeting_page.meeting_page(db.session, current_actor(), meeting_id, clock.today())
    if item_form is None:
        item_form = AgendaItemForm(formdata=None)
    item_form.parent_id.choices = choices(
        [(NONE, _("Geen: een hoofdpunt"))]
        + [
            (entry.item.id, f"{entry.item.number}. {entry.item.title}")
            for entry in page.items
            if entry.item.parent_id is None
        ]
    )
    current_form = CurrentItemForm(formdata=None, item_id=page.meeting.current_item_id)
    current_form.item_id.choices = choices(
        [(NONE, _("Geen"))]
        + [(entry.item.id, f"{entry.item.number}. {entry.item.title}") for entry in page.items]
    )
    return render_template(
        "meetings/show.html",
        page=page,
        meeting=page.meeting,
        council=page.council,
        form=item_form,
        item_form=item_form,
        current_form=current_form,
        open_round_form=OpenRoundForm(formdata=None),
        minutes_status=minutes_queries.minutes_status(db.session, meeting_id),
        documents=document_queries.on_meeting_page(db.session, current_actor(), page),
        message_for=message_for,
        outcome_names=OUTCOME_NAMES,
        confirmations=confirmations,
    ), status


@bp.get("/vergaderingen/<int:meeting_id>")
def show(meeting_id: int) -> tuple[str, int]:
    return _meeting_page(meeting_id)


@bp.post("/vergaderingen/<int:meeting_id>/agendapunten")
def add_item(meeting_id: int) -> tuple[str, int] | Response:
    actor = current_actor()
    meeting = visible_meeting(meeting_id)
    if not permissions.can_manage_meeting(actor, meeting.council_id):
        raise Forbidden()
    form = AgendaItemForm()
    form.parent_id.choices = choices([(NONE, "")] + [(i.id, i.title) for i in meeting.items])
    if form.validate_on_submit():
        with write(form):
            item = services.add_item(
                db.session,
                actor,
                meeting,
                title=form.title.data or "",
                description=form.description.data or "",
                is_formality=bool(form.is_formality.data),
                is_confidential=bool(form.is_confidential.data),
                parent_id=form.parent_id.data,
            )
            flash(_("Agendapunt '%(title)s' is toegevoegd.", title=item.title), "ok")
            return back(meeting, f"punt-{item.id}")
    return _meeting_page(meeting.id, item_form=form, status=422)


@bp.post("/agendapunten/<int:item_id>/verplaatsen")
def move_item(item_id: int) -> Response:
    actor = current_actor()
    item = visible_item(item_id)
    form = checked(MoveForm())
    with write(FLASH):
        services.move_item(db.session, actor, item, -1 if form.direction.data == "up" else 1)
        flash(_("Agendapunt '%(title)s' is verplaatst.", title=item.title), "ok")
    return back(item.meeting, f"punt-{item.id}")


def _acted_on(meeting_id: int) -> Meeting:
    """The meeting a button posts to, its CSRF token checked."""
    meeting = visible_meeting(meeting_id)
    checked(ActionForm())
    return meeting


@bp.post("/vergaderingen/<int:meeting_id>/publiceren")
def publish(meeting_id: int) -> Response:
    meeting = _acted_on(meeting_id)
    with write(FLASH):
        services.publish(db.session, current_actor(), meeting, clock.now())
        flash(_("De agenda is gepubliceerd."), "ok")
    return back(meeting)


@bp.post("/vergaderingen/<int:meeting_id>/agenda-versturen")
def resend_agenda(meeting_id: int) -> Response:
    meeting = _acted_on(meeting_id)
    with write(FLASH):
        agenda_sent.resend(db.session, current_actor(), meeting, clock.now())
        flash(_("De gewijzigde agenda is naar de leden verstuurd."), "ok")
    return back(meeting)


def confirm_page(meeting: Meeting, c: Confirmation, subject: str, back_url: str) -> str:
    """The confirmation page of a drastic button (its dialog asks the same with script)."""
    return render_template(
        "confirm.html",
        meeting=meeting,
        c=c,
        subject=subject,
        action=request.path,
        back=back_url,
    )


def refused(refusal: DomainError, back_url: str) -> Response:
    """A drastic button's question that cannot be answered with yes: the answer its confirmed
    post would give instead, the refusal flashed, back where the button was."""
    flash(refusal.message, "error")
    return redirect(back_url, code=303)


def _confirmed(may: bool) -> bool:
    """Whether the post carries the confirmation; the caller's permission is checked first, so
    that no one is sent to a question they may not answer."""
    if not may:
        raise Forbidden()
    return checked(ConfirmForm()).is_confirmed()  # type: ignore[attr-defined, no-any-return]


@bp.route("/vergaderingen/<int:meeting_id>/annuleren", methods=["GET", "POST"])
def cancel(meeting_id: int) -> str | Response:
    meeting = visible_meeting(meeting_id)
    may = permissions.can_manage_meeting(current_actor(), meeting.council_id)
    if request.method == "GET":
        if not may:
            raise Forbidden()
        if (refusal := services.move_refusal(meeting, MeetingStatus.CANCELLED)) is not None:
            return refused(refusal, back_url(meeting))
        return confirm_page(
            meeting, confirmations.cancel_meeting(), meeting.title, back_url(meeting)
        )
    if not _confirmed(may):
        return redirect(request.path, code=303)
    with write(FLASH):
        services.cancel(db.session, current_actor(), meeting, clock.now())
        flash(_("De vergadering is geannuleerd."), "ok")
    return back(meeting)


@bp.post("/vergaderingen/<int:meeting_id>/openen")
def open_meeting(meeting_id: int) -> Response:
    meeting = _acted_on(meeting_id)
    with write(FLASH):
        services.open_meeting(db.session, current_actor(), meeting, clock.now(), clock.today())
        flash(_("De vergadering is geopend."), "ok")
    return back(meeting)


@bp.route("/vergaderingen/<int:meeting_id>/sluiten", methods=["GET", "POST"])
def close_meeting(meeting_id: int) -> str | Response:
    meeting = visible_meeting(meeting_id)
    may = permissions.can_chair(current_actor(), meeting.council_id)
    if request.method == "GET":
        if not may:
            raise Forbidden()
        if (refusal := voting.close_meeting_refusal(db.session, meeting)) is not None:
            return refused(refusal, back_url(meeting))
        return confirm_page(
            meeting, confirmations.close_meeting(), meeting.title, back_url(meeting)
        )
    if not _confirmed(may):
        return redirect(request.path, code=303)
    with write(FLASH):
        voting.close_meeting(db.session, current_actor(), meeting, clock.now())
        flash(_("De vergadering is gesloten."), "ok")
    return back(meeting)


@bp.post("/vergaderingen/<int:meeting_id>/huidig-agendapunt")
def set_current_item(meeting_id: int) -> Response:
    actor = current_actor()
    meeting = visible_meeting(meeting_id)
    form = CurrentItemForm()
    form.item_id.choices = choices([(NONE, "")] + [(i.id, i.title) for i in meeting.items])
    if not form.validate_on_submit():
        abort(400)
    item = services.get_item(db.session, form.item_id.data) if form.item_id.data else None
    with write(FLASH):
        services.set_current_item(db.session, actor, meeting, item)
        flash(
            _("Nu in behandeling: %(title)s.", title=item.title)
            if item
            else _("Er is geen agendapunt meer in behandeling."),
            "ok",
        )
    return back(meeting)


@bp.post("/agendapunten/<int:item_id>/verschoningen")
def add_recusal(item_id: int) -> Response:
    actor = current_actor()
    item = visible_item(item_id)
    form = RecusalForm()
    form.member_id.choices = choices(
        [(NONE, "")] + [(m.id, m.person.name) for m in item.meeting.council.memberships]
    )
    if not form.validate_on_submit():
        abort(400)
    with write(FLASH):
        if form.member_id.data is None:
            raise Invalid("recusal-member-required", field="member_id")
        recusal = services.add_recusal(db.session, actor, item, form.member_id.data, clock.today())
        name = recusal.membership.person.name
        flash(_("%(name)s stemt niet mee over '%(title)s'.", name=name, title=item.title), "ok")
    return back(item.meeting, f"punt-{item.id}")
