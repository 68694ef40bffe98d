"""The meeting pages: meetings and agenda, attendance, motions, the chair's console, the members'
voting page and the projector.

The live parts (chair's counts, voting panel, projector) poll a fragment. Each fragment carries a
key of the state it shows and sends it back as ``since``; when nothing changed the answer is an
empty 204, which htmx does not swap. So screen readers hear only real changes, and every answer
comes from the database, whichever worker serves it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_currency
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from wijkraad import clock
from wijkraad.auth.actor import Actor
from wijkraad.councils import services as council_services
from wijkraad.councils.models import Council, Membership
from wijkraad.councils.rules import Seat
from wijkraad.errors import DomainError, Forbidden, NotFound, Unauthorized
from wijkraad.extensions import db
from wijkraad.forms import choices
from wijkraad.i18n import format_local
from wijkraad.meetings import permissions, services
from wijkraad.meetings.forms import (
    NONE,
    ActionForm,
    AgendaItemForm,
    AttendanceForm,
    CountsForm,
    CurrentItemForm,
    MeetingForm,
    MotionForm,
    MoveForm,
    OpenRoundForm,
    RecusalForm,
    ScheduleForm,
    VoteForm,
)
from wijkraad.meetings.models import AgendaItem, Attendance, Meeting
from wijkraad.meetings.rules import MeetingStatus, Presence
from wijkraad.messages import OUTCOME_NAMES, message_for
from wijkraad.motions import permissions as motion_permissions
from wijkraad.motions import rules as motion_rules
from wijkraad.motions import services as motion_services
from wijkraad.motions.models import Motion
from wijkraad.security import current_actor
from wijkraad.voting import services as voting
from wijkraad.voting.models import Decision, RoundMode, RoundStatus, Vote, VoteRound
from wijkraad.voting.rules import Choice, GroupCounts, Requirement, Tally
from wijkraad.web import show_error

bp = Blueprint("meetings", __name__)

# How often the live parts ask for news, in the hx-trigger syntax.
CHAIR_POLL = "every 1s"
PROJECTOR_POLL = "every 1s"
VOTER_POLL = "every 2s"


# ------------------------------------------------------------------ helpers


def _is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def _refuse(error: DomainError, form: FlaskForm | None = None) -> None:
    """Undoes the request's writes and shows the refusal. Who may not act here at all gets the
    error page, or the login page when not logged in."""
    db.session.rollback()
    if isinstance(error, (Forbidden, NotFound, Unauthorized)):
        raise error
    show_error(form, error)


def _status(form: FlaskForm) -> int:
    """422 when a submitted form is shown again with errors."""
    return 422 if form.is_submitted() else 200


def _checked(form: FlaskForm) -> FlaskForm:
    """A button form whose values come from our own buttons: anything else is a bad request."""
    if not form.validate_on_submit():
        abort(400)
    return form


def _visible_meeting(meeting_id: int) -> Meeting:
    """The meeting, or 404 for a draft the actor may not see (its existence is not public)."""
    meeting = services.get_meeting(db.session, meeting_id)
    if not services.may_see(current_actor(), meeting):
        raise NotFound("meeting-not-found")
    return meeting


def _visible_item(item_id: int) -> AgendaItem:
    """The agenda item, or 404 when its meeting is a draft the actor may not see."""
    item = services.get_item(db.session, item_id)
    _visible_meeting(item.meeting_id)
    return item


def _hidden(item: AgendaItem | None, actor: Actor) -> bool:
    """Confidential items, and the sub-items of one, are for members only."""
    if item is None or permissions.can_see_confidential(actor, item.meeting.council_id):
        return False
    parent = db.session.get(AgendaItem, item.parent_id) if item.parent_id else None
    return item.is_confidential or bool(parent and parent.is_confidential)


def _local(value: datetime) -> str:
    return format_local(value, _("EEEE d MMMM y 'om' HH:mm"))


def _euros_to_cents(value: Decimal | None) -> int | None:
    if value is None:
        return None
    return int((value * 100).quantize(Decimal(1)))


def _needed(entitled: int) -> int:
    """Votes needed for a valid round: more than half of the present, entitled members (3.5)."""
    return entitled // 2 + 1


def _tally_rows(tally: Tally) -> list[tuple[str, GroupCounts]]:
    return [
        (_("Bewoners"), tally.residents),
        (_("Raadsleden"), tally.councillors),
        (_("Totaal"), tally.total),
    ]


def _latest_round(meeting_id: int, *, open_only: bool = False) -> VoteRound | None:
    query = sa.select(VoteRound).where(VoteRound.meeting_id == meeting_id)
    if open_only:
        query = query.where(VoteRound.status == RoundStatus.OPEN)
    return db.session.scalar(
        query.order_by(VoteRound.opened_at.desc(), VoteRound.id.desc()).limit(1)
    )


def _decision_of(vote_round: VoteRound) -> Decision | None:
    return db.session.scalar(sa.select(Decision).where(Decision.round_id == vote_round.id))


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def _digest(*parts: object) -> str:
    """A short key of a shown state: equal keys, equal pages."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def _fragment(template: str, context: dict[str, Any]) -> Response:
    """A polled fragment: empty 204 (no swap) when the caller already shows this state."""
    if request.args.get("since") == context["key"]:
        return _no_store(Response(status=204))
    return _no_store(Response(render_template(template, **context)))


# ----------------------------------------------------------------- meetings


@bp.get("/wijkraden/<slug>/vergaderingen")
def index(slug: str) -> str:
    council = council_services.get_council(db.session, slug)
    actor = current_actor()
    query = sa.select(Meeting).where(Meeting.council_id == council.id)
    if not permissions.can_see_draft(actor, council.id):
        query = query.where(Meeting.status != MeetingStatus.DRAFT)
    meetings = db.session.scalars(query.order_by(Meeting.starts_at.desc(), Meeting.id.desc()))
    return render_template(
        "meetings/index.html",
        council=council,
        meetings=list(meetings),
        can_manage=permissions.can_manage_meeting(actor, council.id),
    )


def _follow_up_choices(council: Council) -> list[SelectChoice]:
    """Published meetings that never opened: the ones that may have lacked quorum."""
    candidates = db.session.scalars(
        sa.select(Meeting)
        .where(
            Meeting.council_id == council.id,
            Meeting.status == MeetingStatus.PUBLISHED,
            Meeting.opened_at.is_(None),
        )
        .order_by(Meeting.starts_at.desc())
    )
    return choices(
        [(NONE, _("Geen: een gewone vergadering"))]
        + [(m.id, f"{m.title} ({_local(m.starts_at)})") for m in candidates]
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
        try:
            meeting = services.create_meeting(
                db.session,
                actor,
                council,
                title=form.title.data or "",
                starts_at=starts_at,
                location=form.location.data or "",
                follow_up_of_id=form.follow_up_of.data,
            )
        except DomainError as error:
            _refuse(error, form)
        else:
            db.session.commit()
            flash(_("De vergadering is aangemaakt als concept."), "ok")
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return render_template("meetings/form.html", form=form, council=council), _status(form)


@dataclass
class MotionView:
    motion: Motion
    amendments: list[MotionView] = field(default_factory=list)
    open_round: VoteRound | None = None
    last_round: VoteRound | None = None
    decision: Decision | None = None
    blockers: list[str] = field(default_factory=list)
    may_withdraw: bool = False
    may_submit: bool = False


@dataclass
class ItemView:
    number: str
    item: AgendaItem
    motions: list[MotionView]
    recused: list[Membership]
    is_first: bool
    is_last: bool


def _item_views(meeting: Meeting, actor: Actor) -> list[ItemView]:
    council_id = meeting.council_id
    today = clock.today()
    visible = [(n, i) for n, i in services.ordered_items(meeting) if not _hidden(i, actor)]
    ids = [i.id for _, i in visible]
    motions = list(
        db.session.scalars(
            sa.select(Motion).where(Motion.agenda_item_id.in_(ids)).order_by(Motion.id)
        )
    )
    rounds = db.session.scalars(
        sa.select(VoteRound)
        .where(VoteRound.motion_id.in_([m.id for m in motions]))
        .order_by(VoteRound.opened_at, VoteRound.id)
    )
    last_round: dict[int, VoteRound] = {}
    for vote_round in rounds:
        last_round[vote_round.motion_id] = vote_round
    decisions = {
        d.motion_id: d
        for d in db.session.scalars(
            sa.select(Decision).where(Decision.motion_id.in_([m.id for m in motions]))
        )
    }
    chairing = permissions.can_chair(actor, council_id) and meeting.status is MeetingStatus.OPEN
    seat = actor.seats.get(council_id)

    def view(motion: Motion) -> MotionView:
        latest = last_round.get(motion.id)
        is_open = latest is not None and latest.status is RoundStatus.OPEN
        votable = motion_rules.votable(motion.status)
        return MotionView(
            motion=motion,
            open_round=latest if is_open else None,
            last_round=latest if latest is not None and not is_open else None,
            decision=decisions.get(motion.id),
            blockers=voting.blockers(db.session, motion, today) if chairing and votable else [],
            may_submit=motion.status is motion_rules.MotionStatus.DRAFT
            and motion_permissions.can_submit_draft(actor, council_id, motion.submitted_by_id),
            may_withdraw=motion_rules.may_move(motion.status, motion_rules.MotionStatus.WITHDRAWN)
            and (
                permissions.can_chair(actor, council_id)
                or (seat is not None and seat.membership_id == motion.submitted_by_id)
            ),
        )

    motions = [m for m in motions if motion_services.may_see(actor, m)]
    views = {m.id: view(m) for m in motions}
    by_item: dict[int, list[MotionView]] = {i: [] for i in ids}
    for motion in motions:
        if motion.amends_id in views:
            views[motion.amends_id].amendments.append(views[motion.id])
        else:
            by_item[motion.agenda_item_id].append(views[motion.id])

    result = []
    for number, item in visible:
        siblings = sorted(
            (i for i in meeting.items if i.parent_id == item.parent_id),
            key=lambda i: (i.position, i.id),
        )
        result.append(
            ItemView(
                number=number,
                item=item,
                motions=by_item[item.id],
                recused=[r.membership for r in item.recusals],
                is_first=siblings[0].id == item.id,
                is_last=siblings[-1].id == item.id,
            )
        )
    return result


def _meeting_page(
    meeting: Meeting, *, item_form: AgendaItemForm | None = None, status: int = 200
) -> tuple[str, int]:
    actor = current_actor()
    council = meeting.council
    council_id = council.id
    today = clock.today()
    can_manage = permissions.can_manage_meeting(actor, council_id)
    editable = meeting.status not in (MeetingStatus.CLOSED, MeetingStatus.CANCELLED)
    items = _item_views(meeting, actor)

    if item_form is None:
        item_form = AgendaItemForm(formdata=None)
    item_form.parent_id.choices = choices(
        [(NONE, _("Geen: een hoofdpunt"))]
        + [
            (view.item.id, f"{view.number}. {view.item.title}")
            for view in items
            if view.item.parent_id is None
        ]
    )
    current_form = CurrentItemForm(formdata=None, item_id=meeting.current_item_id)
    current_form.item_id.choices = choices(
        [(NONE, _("Geen"))]
        + [(view.item.id, f"{view.number}. {view.item.title}") for view in items]
    )

    seated = sorted(
        services.seated(council, today), key=lambda m: (m.seat is not Seat.RESIDENT, m.person.name)
    )
    presence_rows = db.session.scalars(
        sa.select(Attendance).where(Attendance.meeting_id == meeting.id)
    )
    presence_of = {row.membership_id: row.presence for row in presence_rows}
    state = services.presences(db.session, meeting, today)
    may_see_names = actor.is_admin or actor.is_member_of(council_id)

    current_item = next((v for v in items if v.item.id == meeting.current_item_id), None)

    def with_amendments(views: list[MotionView]) -> list[MotionView]:
        return [w for v in views for w in (v, *with_amendments(v.amendments))]

    open_rounds = [
        (view, mv)
        for view in items
        for mv in with_amendments(view.motions)
        if mv.open_round is not None
    ]
    return render_template(
        "meetings/show.html",
        meeting=meeting,
        council=council,
        items=items,
        later_items=_later_items(meeting) if can_manage else [],
        current_item=current_item,
        current_hidden=meeting.current_item_id is not None and current_item is None,
        open_rounds=open_rounds,
        form=item_form,
        item_form=item_form,
        current_form=current_form,
        open_round_form=OpenRoundForm(formdata=None),
        seated=seated,
        presence_of=presence_of,
        present_count=len(state.present),
        seated_count=len(state.seated),
        quorum_needed=len(state.seated) // 2 + 1,
        has_quorum=services.quorum(meeting, state),
        editable=editable,
        can_manage=can_manage,
        can_chair=permissions.can_chair(actor, council_id),
        can_submit=permissions.can_submit_motion(actor, council_id) and editable,
        is_member=actor.is_member_of(council_id),
        may_see_names=may_see_names,
        public_name=council_services.public_name,
        message_for=message_for,
        outcome_names=OUTCOME_NAMES,
        Presence=Presence,
        MeetingStatus=MeetingStatus,
    ), status


@bp.get("/vergaderingen/<int:meeting_id>")
def show(meeting_id: int) -> tuple[str, int]:
    return _meeting_page(_visible_meeting(meeting_id))


def _back(meeting: Meeting, anchor: str | None = None) -> Response:
    return redirect(url_for("meetings.show", meeting_id=meeting.id, _anchor=anchor), code=303)


@bp.post("/vergaderingen/<int:meeting_id>/agendapunten")
def add_item(meeting_id: int) -> tuple[str, int] | Response:
    actor = current_actor()
    meeting = _visible_meeting(meeting_id)
    if not permissions.can_manage_meeting(actor, meeting.council_id):
        raise Forbidden()
    form = AgendaItemForm()
    form.parent_id.choices = choices([(NONE, "")] + [(i.id, i.title) for i in meeting.items])
    if form.validate_on_submit():
        try:
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
        except DomainError as error:
            _refuse(error, form)
        else:
            db.session.commit()
            flash(_("Agendapunt '%(title)s' is toegevoegd.", title=item.title), "ok")
            return _back(meeting, f"punt-{item.id}")
    return _meeting_page(meeting, item_form=form, status=422)


@bp.post("/agendapunten/<int:item_id>/verplaatsen")
def move_item(item_id: int) -> Response:
    actor = current_actor()
    item = _visible_item(item_id)
    form = _checked(MoveForm())
    try:
        services.move_item(db.session, actor, item, -1 if form.direction.data == "up" else 1)
    except DomainError as error:
        _refuse(error)
    else:
        db.session.commit()
        flash(_("Agendapunt '%(title)s' is verplaatst.", title=item.title), "ok")
    return _back(item.meeting, f"punt-{item.id}")


def _meeting_action(meeting_id: int, action: str) -> Response:
    actor = current_actor()
    meeting = _visible_meeting(meeting_id)
    _checked(ActionForm())
    now, today = clock.now(), clock.today()
    try:
        if action == "publish":
            services.publish(db.session, actor, meeting, now)
            done = _("De agenda is gepubliceerd.")
        elif action == "cancel":
            services.cancel(db.session, actor, meeting, now)
            done = _("De vergadering is geannuleerd.")
        elif action == "open":
            services.open_meeting(db.session, actor, meeting, now, today)
            done = _("De vergadering is geopend.")
        else:
            services.close_meeting(db.session, actor, meeting, now)
            done = _("De vergadering is gesloten.")
    except DomainError as error:
        _refuse(error)
    else:
        db.session.commit()
        flash(done, "ok")
    return _back(meeting)


@bp.post("/vergaderingen/<int:meeting_id>/publiceren")
def publish(meeting_id: int) -> Response:
    return _meeting_action(meeting_id, "publish")


@bp.post("/vergaderingen/<int:meeting_id>/annuleren")
def cancel(meeting_id: int) -> Response:
    return _meeting_action(meeting_id, "cancel")


@bp.post("/vergaderingen/<int:meeting_id>/openen")
def open_meeting(meeting_id: int) -> Response:
    return _meeting_action(meeting_id, "open")


@bp.post("/vergaderingen/<int:meeting_id>/sluiten")
def close_meeting(meeting_id: int) -> Response:
    return _meeting_action(meeting_id, "close")


@bp.post("/vergaderingen/<int:meeting_id>/huidig-agendapunt")
def set_current_item(meeting_id: int) -> Response:
    actor = current_actor()
    meeting = _visible_meeting(meeting_id)
    form = CurrentItemForm()
    form.item_id.choices = choices([(NONE, "")] + [(i.id, i.title) for i in meeting.items])
    if not form.validate_on_submit():
        abort(400)
    item = services.get_item(db.session, form.item_id.data) if form.item_id.data else None
    try:
        services.set_current_item(db.session, actor, meeting, item)
    except DomainError as error:
        _refuse(error)
    else:
        db.session.commit()
        flash(
            _("Nu in behandeling: %(title)s.", title=item.title)
            if item
            else _("Er is geen agendapunt meer in behandeling."),
            "ok",
        )
    return _back(meeting)


@bp.post("/vergaderingen/<int:meeting_id>/aanwezigheid/<int:membership_id>")
def mark_attendance(meeting_id: int, membership_id: int) -> Response:
    actor = current_actor()
    meeting = _visible_meeting(meeting_id)
    form = _checked(AttendanceForm())
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.council_id != meeting.council_id:
        raise NotFound("member-not-found")
    try:
        services.mark(
            db.session, actor, meeting, membership_id, Presence(form.presence.data), clock.now()
        )
    except DomainError as error:
        _refuse(error)
    else:
        db.session.commit()
        flash(
            {
                "present": _("%(name)s is aanwezig."),
                "absent_with_notice": _("%(name)s is afwezig met bericht."),
                "absent": _("%(name)s is afwezig."),
            }[form.presence.data]
            % {"name": membership.person.name},
            "ok",
        )
    return _back(meeting, "aanwezigheid")


@bp.post("/agendapunten/<int:item_id>/verschoningen")
def add_recusal(item_id: int) -> Response:
    actor = current_actor()
    item = _visible_item(item_id)
    form = RecusalForm()
    form.member_id.choices = choices(
        [(NONE, "")] + [(m.id, m.person.name) for m in item.meeting.council.memberships]
    )
    if not form.validate_on_submit():
        abort(400)
    if form.member_id.data is None:
        flash(_("Kies het lid dat zich verschoont."), "error")
        return _back(item.meeting, f"punt-{item.id}")
    try:
        services.add_recusal(db.session, actor, item, form.member_id.data, clock.today())
    except DomainError as error:
        _refuse(error)
    else:
        db.session.commit()
        name = db.session.get(Membership, form.member_id.data).person.name  # type: ignore[union-attr]
        flash(_("%(name)s stemt niet mee over '%(title)s'.", name=name, title=item.title), "ok")
    return _back(item.meeting, f"punt-{item.id}")


# ------------------------------------------------------------------- motions


@bp.route("/agendapunten/<int:item_id>/voorstellen/nieuw", methods=["GET", "POST"])
def submit_motion(item_id: int) -> tuple[str, int] | Response:
    actor = current_actor()
    item = _visible_item(item_id)
    meeting = item.meeting
    council = meeting.council
    if not permissions.can_submit_motion(actor, council.id):
        raise Forbidden()
    number = services.numbers(meeting).get(item.id, "")
    form = MotionForm()
    open_motions = db.session.scalars(
        sa.select(Motion)
        .where(Motion.agenda_item_id == item.id, Motion.amends_id.is_(None))
        .order_by(Motion.id)
    )
    # What can be amended: motions still undecided, submitted (a draft cannot be amended) and
    # visible to this member (someone else's draft is not even named).
    form.amends_id.choices = choices(
        [(NONE, _("Geen: een zelfstandig voorstel"))]
        + [
            (m.id, m.title)
            for m in open_motions
            if m.status not in motion_rules.FINAL
            and m.status is not motion_rules.MotionStatus.DRAFT
            and motion_services.may_see(actor, m)
        ]
    )
    seat = actor.seats.get(council.id)
    form.cosigners.choices = choices(
        (m.id, m.person.name)
        for m in sorted(services.seated(council, clock.today()), key=lambda m: m.person.name)
        if seat is None or m.id != seat.membership_id
    )
    if form.validate_on_submit():
        try:
            motion = motion_services.submit_motion(
                db.session,
                actor,
                item,
                title=form.title.data or "",
                text=form.text.data or "",
                requirement=Requirement(form.requirement.data),
                amount_cents=_euros_to_cents(form.amount_cents.data),
                amends_id=form.amends_id.data,
                cosigner_ids=form.cosigners.data or [],
                on=clock.today(),
                draft=request.form.get("draft") == "1",
            )
        except DomainError as error:
            if error.field == "budget_line_id":
                # No budget line field yet (the budget issue adds it): the amount is the cause.
                form.amount_cents.errors = [*form.amount_cents.errors, error.message]
                db.session.rollback()
            else:
                _refuse(error, form)
        else:
            db.session.commit()
            if motion.status is motion_rules.MotionStatus.DRAFT:
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
            return _back(meeting, f"voorstel-{motion.id}")
    return render_template(
        "meetings/motion_form.html", form=form, item=item, number=number, meeting=meeting
    ), _status(form)


def _motion(motion_id: int) -> Motion:
    motion = motion_services.get_motion(db.session, motion_id)
    actor = current_actor()
    if not services.may_see(actor, motion.agenda_item.meeting) or not motion_services.may_see(
        actor, motion
    ):
        raise NotFound("motion-not-found")
    return motion


def _back_to(motion: Motion) -> Response:
    return _back(motion.agenda_item.meeting, f"voorstel-{motion.id}")


@bp.post("/voorstellen/<int:motion_id>/stemming")
def open_round(motion_id: int) -> Response:
    actor = current_actor()
    motion = _motion(motion_id)
    form = _checked(OpenRoundForm())
    try:
        vote_round = voting.open_round(
            db.session,
            actor,
            motion,
            mode=RoundMode(form.mode.data),
            now=clock.now(),
            on=clock.today(),
        )
    except DomainError as error:
        _refuse(error)
        return _back_to(motion)
    db.session.commit()
    flash(_("De stemming over '%(title)s' is geopend.", title=motion.title), "ok")
    return redirect(url_for("meetings.console", round_id=vote_round.id), code=303)


@bp.post("/voorstellen/<int:motion_id>/hamerslag")
def adopt_formality(motion_id: int) -> Response:
    actor = current_actor()
    motion = _motion(motion_id)
    _checked(ActionForm())
    try:
        decision = voting.adopt_formality(db.session, actor, motion, on=clock.today())
    except DomainError as error:
        _refuse(error)
    else:
        db.session.commit()
        flash(
            _(
                "Hamerslag: '%(title)s' is aangenomen (besluit %(identifier)s).",
                title=motion.title,
                identifier=decision.identifier,
            ),
            "ok",
        )
    return _back_to(motion)


@bp.post("/voorstellen/<int:motion_id>/stemming-vragen")
def request_vote(motion_id: int) -> Response:
    actor = current_actor()
    motion = _motion(motion_id)
    _checked(ActionForm())
    try:
        motion_services.request_vote(db.session, actor, motion)
    except DomainError as error:
        _refuse(error)
    else:
        db.session.commit()
        flash(_("U hebt om stemming gevraagd over '%(title)s'.", title=motion.title), "ok")
    return _back_to(motion)


@bp.post("/voorstellen/<int:motion_id>/indienen")
def submit_draft(motion_id: int) -> Response:
    actor = current_actor()
    motion = _motion(motion_id)
    _checked(ActionForm())
    try:
        motion_services.submit_draft(db.session, actor, motion)
    except DomainError as error:
        _refuse(error)
    else:
        db.session.commit()
        flash(_("Uw voorstel '%(title)s' is ingediend.", title=motion.title), "ok")
    return _back_to(motion)


@bp.post("/voorstellen/<int:motion_id>/intrekken")
def withdraw(motion_id: int) -> Response:
    actor = current_actor()
    motion = _motion(motion_id)
    _checked(ActionForm())
    try:
        motion_services.withdraw(db.session, actor, motion)
    except DomainError as error:
        _refuse(error)
    else:
        db.session.commit()
        flash(_("'%(title)s' is ingetrokken.", title=motion.title), "ok")
    return _back_to(motion)


def _later_items(meeting: Meeting) -> list[tuple[int, str]]:
    """Where a postponed motion can go: the items of this council's later, unfinished meetings."""
    return [
        (item.id, f"{format_local(m.starts_at, 'd MMM y')} · {number}. {item.title}")
        for m in services.later_meetings(db.session, meeting)
        for number, item in services.ordered_items(m)
    ]


@bp.post("/voorstellen/<int:motion_id>/agenderen")
def schedule(motion_id: int) -> Response:
    """Puts a postponed motion on an agenda item of a later meeting."""
    actor = current_actor()
    motion = _motion(motion_id)
    form = ScheduleForm()
    form.agenda_item_id.choices = choices(_later_items(motion.agenda_item.meeting))
    if not form.validate_on_submit() or form.agenda_item_id.data is None:
        flash(_("Kies een agendapunt van een latere vergadering."), "error")
        return _back_to(motion)
    try:
        item = services.get_item(db.session, form.agenda_item_id.data)
        motion_services.reschedule(db.session, actor, motion, item)
    except DomainError as error:
        _refuse(error)
        return _back_to(motion)
    db.session.commit()
    flash(
        _(
            "'%(title)s' staat nu op de agenda van %(meeting)s.",
            title=motion.title,
            meeting=format_local(item.meeting.starts_at, "d MMMM y"),
        ),
        "ok",
    )
    return _back_to(motion)


# ------------------------------------------------------------ chair console


def _chaired_round(round_id: int) -> VoteRound:
    vote_round = voting.get_round(db.session, round_id)
    if not permissions.can_chair(current_actor(), vote_round.motion.agenda_item.meeting.council_id):
        raise Forbidden()
    return vote_round


def _console_stand(vote_round: VoteRound) -> dict[str, Any]:
    tally = voting.live_tally(db.session, vote_round)
    names = {s["id"]: s["name"] for s in vote_round.snapshot.get("seated", [])}
    waiting = (
        [names.get(i, "?") for i in voting.not_voted(db.session, vote_round)]
        if vote_round.mode is RoundMode.NAMED and vote_round.status is RoundStatus.OPEN
        else []
    )
    key = _digest(vote_round.id, vote_round.status.value, tally, waiting)
    entitled = len(vote_round.snapshot.get("entitled", []))
    return {
        "vote_round": vote_round,
        "tally": tally,
        "rows": _tally_rows(tally),
        "waiting": sorted(waiting),
        "entitled": entitled,
        "needed": _needed(entitled),
        "decision": _decision_of(vote_round) if vote_round.status is RoundStatus.CLOSED else None,
        "outcome_names": OUTCOME_NAMES,
        "key": key,
    }


def _console_page(
    vote_round: VoteRound, counts_form: CountsForm | None = None, status: int = 200
) -> tuple[str, int]:
    motion = vote_round.motion
    meeting = motion.agenda_item.meeting
    if counts_form is None:
        stored = vote_round.stored_tally
        counts_form = CountsForm(
            formdata=None,
            residents_yes=stored.residents.yes,
            residents_no=stored.residents.no,
            residents_abstain=stored.residents.abstain,
            councillors_yes=stored.councillors.yes,
            councillors_no=stored.councillors.no,
            councillors_abstain=stored.councillors.abstain,
        )
    number = services.numbers(meeting).get(motion.agenda_item_id, "")
    seat_of = {s["id"]: s["seat"] for s in vote_round.snapshot.get("seated", [])}
    entitled_seats = [seat_of.get(i) for i in vote_round.snapshot.get("entitled", [])]
    entitled_by_seat = {seat.value: entitled_seats.count(seat.value) for seat in Seat}
    return render_template(
        "meetings/console.html",
        meeting=meeting,
        motion=motion,
        number=number,
        entitled_by_seat=entitled_by_seat,
        form=counts_form,
        counts_form=counts_form,
        poll=CHAIR_POLL,
        **_console_stand(vote_round),
    ), status


@bp.get("/stemmingen/<int:round_id>/voorzitter")
def console(round_id: int) -> tuple[str, int]:
    return _console_page(_chaired_round(round_id))


@bp.get("/stemmingen/<int:round_id>/voorzitter/stand")
def console_stand(round_id: int) -> Response:
    vote_round = _chaired_round(round_id)
    stand = _console_stand(vote_round)
    return _fragment("meetings/_console_stand.html", {"oob": True, **stand})


@bp.post("/stemmingen/<int:round_id>/aantallen")
def set_counts(round_id: int) -> tuple[str, int] | Response:
    actor = current_actor()
    vote_round = _chaired_round(round_id)
    form = CountsForm()
    if form.validate_on_submit():
        tally = Tally(
            residents=GroupCounts(
                form.residents_yes.data, form.residents_no.data, form.residents_abstain.data
            ),
            councillors=GroupCounts(
                form.councillors_yes.data, form.councillors_no.data, form.councillors_abstain.data
            ),
        )
        try:
            voting.set_counts(db.session, actor, vote_round, tally)
        except DomainError as error:
            _refuse(error, form)
        else:
            db.session.commit()
            flash(_("De aantallen zijn ingevoerd."), "ok")
            return redirect(url_for("meetings.console", round_id=vote_round.id), code=303)
    return _console_page(vote_round, form, 422)


@bp.post("/stemmingen/<int:round_id>/sluiten")
def close_round(round_id: int) -> Response:
    actor = current_actor()
    vote_round = _chaired_round(round_id)
    _checked(ActionForm())
    try:
        decision = voting.close_round(
            db.session, actor, vote_round, now=clock.now(), on=clock.today()
        )
    except DomainError as error:
        _refuse(error)
    else:
        db.session.commit()
        outcome = OUTCOME_NAMES[vote_round.outcome.value] if vote_round.outcome else ""
        if decision is not None:
            flash(
                _(
                    "De stemming is gesloten: %(outcome)s. Besluit %(identifier)s.",
                    outcome=outcome,
                    identifier=decision.identifier,
                ),
                "ok",
            )
        else:
            flash(_("De stemming is gesloten: %(outcome)s.", outcome=outcome), "ok")
    return redirect(url_for("meetings.console", round_id=vote_round.id), code=303)


# --------------------------------------------------------- members' phones


@dataclass
class VoterState:
    meeting: Meeting
    vote_round: VoteRound | None
    last_closed: VoteRound | None
    is_member: bool
    hidden: bool
    choice: Choice | None = None
    entitled: bool = False

    @property
    def key(self) -> str:
        r, c = self.vote_round, self.last_closed
        return _digest(
            r.id if r else None,
            self.hidden,
            self.choice,
            self.entitled,
            c.id if c else None,
            self.is_member,
        )


def _voter_state(meeting: Meeting) -> VoterState:
    actor = current_actor()
    council_id = meeting.council_id
    seat = actor.seats.get(council_id)
    vote_round = _latest_round(meeting.id, open_only=True)
    last = _latest_round(meeting.id)
    state = VoterState(
        meeting=meeting,
        vote_round=vote_round,
        last_closed=last if last is not None and last.status is RoundStatus.CLOSED else None,
        is_member=seat is not None,
        hidden=vote_round is not None and _hidden(vote_round.motion.agenda_item, actor),
    )
    if vote_round is not None and seat is not None:
        state.choice = db.session.scalar(
            sa.select(Vote.choice).where(
                Vote.round_id == vote_round.id, Vote.membership_id == seat.membership_id
            )
        )
        presence = db.session.scalar(
            sa.select(Attendance.presence).where(
                Attendance.meeting_id == meeting.id,
                Attendance.membership_id == seat.membership_id,
            )
        )
        state.entitled = (
            vote_round.mode is RoundMode.NAMED
            and seat.membership_id in vote_round.snapshot.get("entitled", [])
            and presence is Presence.PRESENT
        )
    return state


def _voter_meeting(meeting_id: int) -> Meeting:
    if not current_actor().is_authenticated:
        raise Unauthorized()
    return _visible_meeting(meeting_id)


def _panel_context(state: VoterState, **extra: Any) -> dict[str, Any]:
    return {
        "state": state,
        "key": state.key,
        "outcome_names": OUTCOME_NAMES,
        "panel_url": url_for("meetings.vote_panel", meeting_id=state.meeting.id),
        "message_for_not_entitled": message_for("not-entitled"),
        "poll": VOTER_POLL,
        **extra,
    }


@bp.get("/vergaderingen/<int:meeting_id>/stemmen")
def vote_page(meeting_id: int) -> str:
    meeting = _voter_meeting(meeting_id)
    return render_template("meetings/vote.html", **_panel_context(_voter_state(meeting)))


@bp.get("/vergaderingen/<int:meeting_id>/stemmen/paneel")
def vote_panel(meeting_id: int) -> Response:
    state = _voter_state(_voter_meeting(meeting_id))
    return _fragment("meetings/_vote_panel.html", _panel_context(state, oob=True))


@bp.post("/stemmingen/<int:round_id>/stem")
def cast_vote(round_id: int) -> Response:
    actor = current_actor()
    vote_round = voting.get_round(db.session, round_id)
    meeting = _voter_meeting(vote_round.meeting_id)
    form = _checked(VoteForm())
    choice = Choice(form.choice.data)
    error_message = None
    try:
        voting.cast_vote(db.session, actor, vote_round.id, choice, clock.now())
    except DomainError as error:
        db.session.rollback()
        if not actor.is_authenticated or isinstance(error, NotFound):
            raise
        error_message = error.message
    else:
        db.session.commit()
    if _is_htmx():
        # Errors are answered with 200 too: htmx swaps no 4xx answer into the page.
        state = _voter_state(meeting)
        html = render_template(
            "meetings/_vote_panel.html",
            **_panel_context(
                state, error_message=error_message, just_voted=None if error_message else choice
            ),
        )
        return _no_store(Response(html))
    if error_message:
        flash(error_message, "error")
    else:
        flash(_("U hebt gestemd: %(choice)s.", choice=choice_label(choice)), "ok")
    return redirect(url_for("meetings.vote_page", meeting_id=meeting.id), code=303)


def choice_label(choice: Choice) -> str:
    return {Choice.YES: _("Voor"), Choice.NO: _("Tegen"), Choice.ABSTAIN: _("Onthouden")}[choice]


# ---------------------------------------------------------------- projector


@dataclass
class ProjectorState:
    meeting: Meeting
    number: str | None
    item: AgendaItem | None
    item_hidden: bool
    vote_round: VoteRound | None
    round_hidden: bool
    tally: Tally | None
    decision: Decision | None

    @property
    def key(self) -> str:
        r = self.vote_round
        return _digest(
            self.meeting.status,
            self.number,
            self.item.title if self.item and not self.item_hidden else None,
            r.id if r else None,
            r.status if r else None,
            r.outcome if r else None,
            self.round_hidden,
            self.tally,
            self.decision.identifier if self.decision else None,
        )


def _projector_state(meeting: Meeting) -> ProjectorState:
    actor = current_actor()
    item = db.session.get(AgendaItem, meeting.current_item_id) if meeting.current_item_id else None
    vote_round = _latest_round(meeting.id)
    round_hidden = vote_round is not None and _hidden(vote_round.motion.agenda_item, actor)
    show_round = vote_round is not None and not round_hidden
    return ProjectorState(
        meeting=meeting,
        number=services.numbers(meeting).get(item.id) if item else None,
        item=item,
        item_hidden=_hidden(item, actor),
        vote_round=vote_round,
        round_hidden=round_hidden,
        tally=voting.live_tally(db.session, vote_round) if show_round else None,  # type: ignore[arg-type]
        decision=_decision_of(vote_round)  # type: ignore[arg-type]
        if show_round and vote_round.status is RoundStatus.CLOSED  # type: ignore[union-attr]
        else None,
    )


def _projector_context(state: ProjectorState) -> dict[str, Any]:
    r = state.vote_round
    entitled = len(r.snapshot.get("entitled", [])) if r else 0
    return {
        "state": state,
        "key": state.key,
        "rows": _tally_rows(state.tally) if state.tally else [],
        "entitled": entitled,
        "needed": _needed(entitled),
        # A result stays up until the chair moves on to another agenda item or closes the
        # meeting.
        "show_round": r is not None
        and (
            r.status is RoundStatus.OPEN
            or (
                state.meeting.status is MeetingStatus.OPEN
                and (state.item is None or r.motion.agenda_item_id == state.item.id)
            )
        ),
        "decision_rule": state.meeting.council.decision_rule.value,
        "outcome_names": OUTCOME_NAMES,
        "poll": PROJECTOR_POLL,
    }


@bp.get("/vergaderingen/<int:meeting_id>/projector")
def projector(meeting_id: int) -> str:
    meeting = _visible_meeting(meeting_id)
    return render_template(
        "meetings/projector.html", **_projector_context(_projector_state(meeting))
    )


@bp.get("/vergaderingen/<int:meeting_id>/projector/stand")
def projector_stand(meeting_id: int) -> Response:
    meeting = _visible_meeting(meeting_id)
    context = _projector_context(_projector_state(meeting))
    return _fragment("meetings/_projector_stand.html", {"oob": True, **context})


@bp.app_template_global()
def vote_choice_label(choice: Choice | str) -> str:
    return choice_label(Choice(choice))


@bp.app_template_filter("euros")
def euros(cents: int | None) -> str:
    """Cents as an amount in euros in the page's language: € 1.250,00."""
    if cents is None:
        return ""
    return format_currency(Decimal(cents) / 100, "EUR")
