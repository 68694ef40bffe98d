"""The attendance register at the speed of a room, and members' own apologies.

The chair or the secretary sets each member's presence with a control that stays where it is;
with JavaScript (htmx) a press answers only that member's line, the quorum and a sentence for
screen readers, and "Iedereen aanwezig" answers the whole register; without it the same forms
post and go back to the line on the meeting page. Members send apologies for a published
meeting that has not opened yet (afmelden), from the meeting page or their home page.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from wijkraad import clock
from wijkraad.auth.actor import Actor
from wijkraad.errors import Unauthorized
from wijkraad.extensions import db
from wijkraad.forms import ActionForm
from wijkraad.meetings import apologies, attendance, permissions, queries
from wijkraad.meetings.forms import ApologyForm, AttendanceForm, WithdrawApologyForm
from wijkraad.meetings.models import Meeting
from wijkraad.meetings.register import Register, meeting_for_register, read_register
from wijkraad.meetings.rules import Presence
from wijkraad.security import current_actor
from wijkraad.web import FLASH, KEEP, checked, is_htmx, no_store, safe_next, write

bp = Blueprint("attendance", __name__)


def _register(meeting_id: int) -> tuple[Meeting, Register]:
    """The meeting and its register, read afresh for the one who keeps it."""
    actor = current_actor()
    meeting = meeting_for_register(db.session, actor, meeting_id)
    register, _state = read_register(
        db.session,
        meeting,
        clock.today(),
        may_see_names=actor.is_admin or actor.is_member_of(meeting.council_id),
        sees_reasons=permissions.can_keep_attendance(actor, meeting.council_id),
    )
    return meeting, register


def _fragment(template: str, meeting_id: int, **context: Any) -> Response:
    meeting, register = _register(meeting_id)
    html = render_template(
        template,
        meeting=meeting,
        register=register,
        can_chair=permissions.can_chair(current_actor(), meeting.council_id),
        **context,
    )
    return no_store(Response(html))


def _back(meeting_id: int, anchor: str) -> Response:
    return redirect(url_for("meetings.show", meeting_id=meeting_id, _anchor=anchor), code=303)


@bp.post("/vergaderingen/<int:meeting_id>/aanwezigheid/<int:membership_id>")
def mark(meeting_id: int, membership_id: int) -> Response:
    """One member's presence; with htmx the answer is their line, the quorum and a sentence
    for the live region (a refusal there too, with 200: htmx swaps no 4xx)."""
    actor = current_actor()
    meeting = meeting_for_register(db.session, actor, meeting_id)
    form = checked(AttendanceForm())
    membership = queries.member_of(db.session, meeting.council_id, membership_id)
    presence = Presence(form.presence.data)
    if is_htmx():
        with write(KEEP) as attempt:
            attendance.mark(db.session, actor, meeting, membership_id, presence, clock.now())
        return _fragment(
            "meetings/_register_line.html",
            meeting_id,
            membership_id=membership_id,
            refusal=attempt.refusal.message if attempt.refusal else None,
        )
    with write(FLASH):
        attendance.mark(db.session, actor, meeting, membership_id, presence, clock.now())
        flash(
            {
                Presence.PRESENT: _("%(name)s is aanwezig."),
                Presence.ABSENT_WITH_NOTICE: _("%(name)s is afwezig met bericht."),
                Presence.ABSENT: _("%(name)s is afwezig."),
            }[presence]
            % {"name": membership.person.name},
            "ok",
        )
    return _back(meeting_id, f"lid-{membership_id}")


@bp.post("/vergaderingen/<int:meeting_id>/iedereen-aanwezig")
def everyone_present(meeting_id: int) -> Response:
    """Everyone present who sent no notice, in one write."""
    actor = current_actor()
    meeting = meeting_for_register(db.session, actor, meeting_id)
    checked(ActionForm())
    if is_htmx():
        with write(KEEP) as attempt:
            attendance.everyone_present(
                db.session, actor, meeting, now=clock.now(), on=clock.today()
            )
        return _fragment(
            "meetings/_register_all.html",
            meeting_id,
            refusal=attempt.refusal.message if attempt.refusal else None,
        )
    with write(FLASH):
        attendance.everyone_present(db.session, actor, meeting, now=clock.now(), on=clock.today())
        flash(_("Iedereen is aanwezig, behalve wie zich heeft afgemeld."), "ok")
    return _back(meeting_id, "aanwezigheid")


def _member() -> Actor:
    """Who sends apologies must be logged in (then the service decides whether they sit on the
    council)."""
    actor = current_actor()
    if not actor.is_authenticated:
        raise Unauthorized()
    return actor


def _after_apologies(meeting_id: int, target: str | None) -> Response:
    fallback = url_for("meetings.show", meeting_id=meeting_id, _anchor="afmelden")
    return redirect(safe_next(target, fallback), code=303)


@bp.post("/vergaderingen/<int:meeting_id>/afmelden")
def send_apologies(meeting_id: int) -> Response:
    """The member's own apologies; a reason that is too long is refused with a message."""
    actor = _member()
    meeting = meeting_for_register(db.session, actor, meeting_id)
    form = ApologyForm()
    if not form.validate_on_submit():
        if form.errors.keys() - {"reason"}:
            abort(400)
        for message in form.reason.errors:
            flash(str(message), "error")
        return _after_apologies(meeting_id, form.next.data)
    with write(FLASH):
        apologies.send(db.session, actor, meeting, reason=form.reason.data, now=clock.now())
        flash(_("U hebt zich afgemeld voor '%(title)s'.", title=meeting.title), "ok")
    return _after_apologies(meeting_id, form.next.data)


@bp.post("/vergaderingen/<int:meeting_id>/afmelding-intrekken")
def withdraw_apologies(meeting_id: int) -> Response:
    actor = _member()
    meeting = meeting_for_register(db.session, actor, meeting_id)
    form = checked(WithdrawApologyForm())
    with write(FLASH):
        apologies.withdraw(db.session, actor, meeting, now=clock.now())
        flash(_("Uw afmelding voor '%(title)s' is ingetrokken.", title=meeting.title), "ok")
    return _after_apologies(meeting_id, form.next.data)
