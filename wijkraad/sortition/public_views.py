"""The public pages of draws by lot: a draw's record (commitment, seed, ranking by position,
the shares per stratum, the record to download, a resident's own position by the code on their
letter) and the page on which an invited resident answers with that code."""

from __future__ import annotations

import json

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from wijkraad import clock
from wijkraad.errors import Invalid
from wijkraad.extensions import db
from wijkraad.security import current_actor
from wijkraad.sortition import kept, notify, permissions, record, replies, rules, services
from wijkraad.sortition.forms import ResidentReplyForm
from wijkraad.sortition.messages import PURPOSE_LABELS, STATUS_LABELS
from wijkraad.sortition.models import Draw
from wijkraad.sortition.rules import InvitationStatus
from wijkraad.sortition.views import bp
from wijkraad.web import KEEP, form_status, no_store, write

# The reserve list shown on the page; the whole ranking is in the record to download.
SHOWN_RESERVES = 100


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def _record(draw: Draw) -> bytes:
    """The draw's public record, kept once made (the first read of a new state keeps it)."""
    with write(KEEP):
        content = kept.record_bytes(db.session, draw)
    return content


@bp.get("/lotingen/<int:draw_id>")
def show(draw_id: int) -> str:
    draw = services.get_draw(db.session, draw_id)
    public = json.loads(_record(draw))
    ranking = public["ranking"] or []
    invited = ranking[: draw.invite]
    strata = [
        (
            column,
            [
                (
                    value,
                    counts["pool"],
                    _percent(counts["pool"], public["eligible"]),
                    counts["drawn"],
                    _percent(counts["drawn"], len(invited)),
                )
                for value, counts in sorted(values.items())
            ],
        )
        for column, values in sorted(public["strata"].items())
    ]
    checked_code = request.args.get("code", "").strip()
    own = None
    if checked_code:
        code = rules.normal_code(checked_code)
        position = record.position_for_code(public, code) if code else None
        place = record.place_in_ranking(public, position) if position else None
        own = {
            "position": position,
            "place": place,
            "invited": bool(place and place <= draw.invite),
        }
    return render_template(
        "sortition/show.html",
        draw=draw,
        public=public,
        invited=invited,
        reserves=ranking[draw.invite : draw.invite + SHOWN_RESERVES],
        more_reserves=max(0, len(ranking) - draw.invite - SHOWN_RESERVES),
        strata=strata,
        own=own,
        checked_code=checked_code,
        can_manage=permissions.can_manage_draws(current_actor()),
        status_labels=STATUS_LABELS,
        purpose_labels=PURPOSE_LABELS,
    )


@bp.get("/lotingen/<int:draw_id>/verslag.json")
def download(draw_id: int) -> Response:
    """The public record, exactly the bytes the API answers and ``flask draw verify`` checks."""
    draw = services.get_draw(db.session, draw_id)
    response = Response(_record(draw), mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="loting-{draw.id}.json"'
    return response


@bp.route("/loting/antwoord", methods=["GET", "POST"])
def resident_reply() -> tuple[str, int] | Response:
    """An invited resident answers with the code on their letter: yes (with an e-mail address
    for their account) or no."""
    form = ResidentReplyForm()
    if form.validate_on_submit():
        with write(form):
            invitation = replies.invitation_for_code(db.session, form.code.data or "")
            if invitation is None:
                raise Invalid("code-unknown", field="code")
            answer = InvitationStatus(form.reply.data)
            replies.reply(
                db.session,
                replies.RESIDENT,
                invitation,
                answer,
                email=form.email.data if answer is InvitationStatus.ACCEPTED else None,
                today=clock.today(),
                now=clock.now(),
                by_code=True,
            )
            notify.after_reply(db.session, invitation)
            if answer is InvitationStatus.ACCEPTED:
                flash(
                    _("Dank u wel! U doet mee. U krijgt een e-mail om uw account te maken."), "ok"
                )
            else:
                flash(_("Dank u wel voor uw antwoord. We nodigen iemand anders uit."), "ok")
            return redirect(url_for("sortition.resident_reply"), code=303)
    page = render_template("sortition/reply.html", form=form)
    return no_store(Response(page, status=form_status(form), mimetype="text/html"))
