"""The administrators' pages of draws by lot: a council's draws and opt-out register, one
draw's steps (pool, announcement, seed, replies, letters, closing) and the resident panel."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from wijkraad import clock
from wijkraad.auth.actor import Actor
from wijkraad.auth.links import external_url
from wijkraad.councils.queries import council_by_slug
from wijkraad.errors import Conflict, Forbidden
from wijkraad.extensions import db
from wijkraad.forms import ActionForm
from wijkraad.publishing import letterhead as letterheads
from wijkraad.security import current_actor
from wijkraad.sortition import letters, notify, permissions, queries, replies, rules, services
from wijkraad.sortition.forms import (
    AnnounceForm,
    DrawForm,
    EndPanelForm,
    OptOutForm,
    PanelForm,
    PoolForm,
    ReplyForm,
    SeedForm,
)
from wijkraad.sortition.messages import INVITATION_LABELS, PURPOSE_LABELS, STATUS_LABELS
from wijkraad.sortition.models import Draw
from wijkraad.sortition.queries import ReservePage
from wijkraad.sortition.rules import DrawStatus, InvitationStatus, Purpose
from wijkraad.web import FLASH, allow_large_body, checked, form_status, no_store, write

bp = Blueprint("sortition", __name__)

# The pool's upload, on this page and in the API, may carry a whole district's file (and, on the
# page, the form around it).
allow_large_body(lambda: rules.POOL_MAX_BYTES + 64 * 1024, "sortition.upload", "api.upload_pool")


def _admin() -> Actor:
    actor = current_actor()
    if not permissions.can_manage_draws(actor):
        raise Forbidden()
    return actor


@bp.route("/wijkraden/<slug>/lotingen", methods=["GET", "POST"])
def council_draws(slug: str) -> tuple[str, int] | Response:
    """A council's draws, a new one, and the opt-out register; for everyone else, the list of
    the council's announced draws, each with its public record."""
    council = council_by_slug(db.session, slug)
    if request.method == "GET" and not permissions.can_manage_draws(current_actor()):
        return render_template(
            "sortition/council_public.html",
            council=council,
            draws=[
                d
                for d in queries.council_draws(db.session, council.id)
                if d.status is not DrawStatus.OPEN
            ],
            status_labels=STATUS_LABELS,
            purpose_labels=PURPOSE_LABELS,
        ), 200
    actor = _admin()
    form = DrawForm(prefix="draw")
    opt_out = OptOutForm(prefix="optout")
    if request.method == "POST" and "draw-invite" in request.form and form.validate_on_submit():
        with write(form):
            draw = services.create_draw(
                db.session,
                actor,
                council,
                purpose=Purpose(form.purpose.data),
                invite=form.invite.data or 0,
                draw_on=form.draw_on.data or clock.today(),
                quotas=form.quota_data,
            )
            return redirect(url_for("sortition.manage", draw_id=draw.id), code=303)
    elif (
        request.method == "POST"
        and "optout-person_ref" in request.form
        and opt_out.validate_on_submit()
    ):
        with write(opt_out):
            services.add_opt_out(db.session, actor, council, opt_out.person_ref.data or "")
            flash(_("De persoon staat in het register en wordt niet meer geloot."), "ok")
            return redirect(url_for("sortition.council_draws", slug=slug), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "sortition/council.html",
        council=council,
        draws=queries.council_draws(db.session, council.id),
        form=form,
        opt_out=opt_out,
        status_labels=STATUS_LABELS,
        purpose_labels=PURPOSE_LABELS,
    ), status


RESERVES_PER_PAGE = 50


def _reserves(actor: Actor, draw: Draw) -> ReservePage:
    """The page of the reserve list asked for (``?reserves=N``), in ranking order."""
    page = min(max(request.args.get("reserves", default=1, type=int) or 1, 1), 10_000)
    found = queries.ranking_window(
        db.session,
        actor,
        draw,
        offset=(page - 1) * RESERVES_PER_PAGE,
        limit=RESERVES_PER_PAGE,
        reserves_only=True,
    )
    pages = max(1, -(-found.total // RESERVES_PER_PAGE))
    return ReservePage(found.items, found.total, min(page, pages), pages)


def _manage_page(draw_id: int, status: int = 200, **forms: object) -> tuple[str, int]:
    actor = _admin()
    draw = services.get_draw(db.session, draw_id)
    shown = {
        "pool_form": PoolForm(prefix="pool"),
        "announce_form": AnnounceForm(prefix="announce"),
        "seed_form": SeedForm(prefix="seed"),
        **forms,
    }
    return render_template(
        "sortition/manage.html",
        draw=draw,
        invitations=queries.invitations(db.session, actor, draw.id),
        reserves=_reserves(actor, draw),
        status_labels=STATUS_LABELS,
        purpose_labels=PURPOSE_LABELS,
        invitation_labels=INVITATION_LABELS,
        reply_form=ReplyForm(prefix="reply"),
        Status=DrawStatus,
        Invited=InvitationStatus.INVITED,
        **shown,
    ), status


@bp.get("/lotingen/<int:draw_id>/beheer")
def manage(draw_id: int) -> Response:
    page, status = _manage_page(draw_id)
    return no_store(Response(page, status=status, mimetype="text/html"))


def _back(draw_id: int) -> Response:
    return redirect(url_for("sortition.manage", draw_id=draw_id), code=303)


@bp.post("/lotingen/<int:draw_id>/bestand")
def upload(draw_id: int) -> tuple[str, int] | Response:
    actor = _admin()
    form = PoolForm(prefix="pool")
    if form.validate_on_submit():
        with write(form):
            draw = services.get_draw(db.session, draw_id)
            services.upload_pool(db.session, actor, draw, form.file.data.read())
            flash(
                _(
                    "Het bestand is ingelezen: %(size)s inwoners, van wie %(eligible)s mogen "
                    "worden geloot.",
                    size=draw.pool_size,
                    eligible=draw.eligible,
                ),
                "ok",
            )
            return _back(draw_id)
    return _manage_page(draw_id, form_status(form), pool_form=form)


@bp.post("/lotingen/<int:draw_id>/aankondigen")
def announce(draw_id: int) -> tuple[str, int] | Response:
    actor = _admin()
    form = AnnounceForm(prefix="announce")
    if form.validate_on_submit():
        with write(form):
            draw = services.get_draw(db.session, draw_id)
            services.announce(
                db.session, actor, draw, seed_source=form.seed_source.data or "", now=clock.now()
            )
            flash(_("De loting is aangekondigd. Bestand en quota liggen nu vast."), "ok")
            return _back(draw_id)
    return _manage_page(draw_id, form_status(form), announce_form=form)


@bp.post("/lotingen/<int:draw_id>/seed")
def seed(draw_id: int) -> tuple[str, int] | Response:
    actor = _admin()
    form = SeedForm(prefix="seed")
    if form.validate_on_submit():
        with write(form):
            draw = services.get_draw(db.session, draw_id)
            services.enter_seed(db.session, actor, draw, seed=form.seed.data or "", now=clock.now())
            flash(_("Er is geloot: de volgorde ligt vast en de eersten zijn uitgenodigd."), "ok")
            return _back(draw_id)
    return _manage_page(draw_id, form_status(form), seed_form=form)


@bp.post("/lotingen/uitnodigingen/<int:invitation_id>/antwoord")
def reply(invitation_id: int) -> tuple[str, int] | Response:
    actor = _admin()
    invitation = replies.get_invitation(db.session, invitation_id)
    draw_id = invitation.draw_id
    form = ReplyForm(prefix="reply")
    if form.validate_on_submit():
        with write(FLASH):
            replies.reply(
                db.session,
                actor,
                invitation,
                InvitationStatus(form.reply.data),
                email=form.email.data,
                today=clock.today(),
                now=clock.now(),
            )
            notify.after_reply(db.session, invitation)
            flash(_("Het antwoord is vastgelegd."), "ok")
        return _back(draw_id)
    flash(_("Kies een antwoord, en vul bij aannemen het e-mailadres in."), "error")
    return _back(draw_id)


@bp.post("/lotingen/<int:draw_id>/afsluiten")
def close(draw_id: int) -> Response:
    actor = _admin()
    checked(ActionForm())
    with write(FLASH):
        draw = services.get_draw(db.session, draw_id)
        services.close_draw(db.session, actor, draw, now=clock.now())
        flash(_("De loting is afgesloten; de gegevens van wie niet meedoet zijn gewist."), "ok")
    return _back(draw_id)


@bp.get("/lotingen/<int:draw_id>/brieven.pdf")
def letters_pdf(draw_id: int) -> Response:
    """One PDF with a letter for each invited resident who has not answered yet."""
    actor = _admin()
    draw = services.get_draw(db.session, draw_id)
    if draw.status is not DrawStatus.DRAWN:
        # Before the seed nobody is invited; after closing the codes are erased.
        raise Conflict("draw-closed" if draw.status is DrawStatus.CLOSED else "draw-not-drawn")
    rows = queries.open_letters(db.session, actor, draw.id)
    pdf = letters.render(
        draw,
        rows,
        reply_url=external_url("sortition.resident_reply"),
        letterhead=letterheads.current(db.session),
    )
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="brieven-loting-{draw.id}.pdf"'
    return no_store(response)


@bp.route("/wijkraden/<slug>/wijkpanel", methods=["GET", "POST"])
def panel(slug: str) -> tuple[str, int] | Response:
    actor = _admin()
    council = council_by_slug(db.session, slug)
    form = PanelForm()
    if form.validate_on_submit():
        with write(form):
            services.set_panel_target(db.session, actor, council, form.target_size.data or 0)
            flash(_("De beoogde omvang van het wijkpanel is opgeslagen."), "ok")
            return redirect(url_for("sortition.panel", slug=slug), code=303)
    view = queries.panel(db.session, actor, council, clock.today())
    if not form.is_submitted():
        form.target_size.data = view.target_size or None
    return render_template(
        "sortition/panel.html", view=view, form=form, end_form=EndPanelForm(prefix="end")
    ), form_status(form)


@bp.post("/wijkraden/<slug>/wijkpanel/<int:member_id>/beeindigen")
def end_panel_membership(slug: str, member_id: int) -> Response:
    """Ends a panel membership with its reason; back to the panel either way (a refusal is
    flashed)."""
    actor = _admin()
    council = council_by_slug(db.session, slug)
    form = EndPanelForm(prefix="end")
    if not form.validate_on_submit():
        flash(_("Vul de reden in om het lidmaatschap te beëindigen."), "error")
    else:
        with write(FLASH):
            services.end_panel_membership(
                db.session,
                actor,
                council,
                member_id,
                reason=form.reason.data or "",
                today=clock.today(),
            )
            flash(_("Het lidmaatschap van het wijkpanel is beëindigd."), "ok")
    return redirect(url_for("sortition.panel", slug=slug), code=303)
