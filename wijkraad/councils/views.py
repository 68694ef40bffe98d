from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from wijkraad import clock
from wijkraad.councils import permissions, queries, services
from wijkraad.councils.forms import AppointForm, CouncilForm, EndMembershipForm
from wijkraad.councils.models import Council, Membership
from wijkraad.councils.rules import DecisionRule, Role, Seat
from wijkraad.errors import Forbidden
from wijkraad.extensions import db
from wijkraad.messages import OUTCOME_NAMES
from wijkraad.publishing import site
from wijkraad.security import current_actor
from wijkraad.web import form_status, write

bp = Blueprint("councils", __name__)


@bp.get("/")
def index() -> str:
    return render_template("councils/index.html", councils=queries.council_list(db.session))


def _page(slug: str) -> queries.CouncilPage:
    return queries.council_page(
        db.session,
        slug,
        current_actor(),
        today=clock.today(),
        now=clock.now(),
        secret_key=current_app.config["SECRET_KEY"],
    )


@bp.get("/wijkraden/<slug>")
def show(slug: str) -> str:
    page = _page(slug)
    actor = current_actor()
    council = page.council
    return render_template(
        "councils/show.html",
        council=council,
        members=page.members,
        upcoming=page.upcoming,
        vacancies=page.vacancies,
        invitations=page.invitations,
        may_see_names=page.may_see_names,
        can_manage=permissions.can_manage_members(actor, council.id),
        can_manage_role=lambda role: permissions.can_manage_role(actor, council.id, role),
        can_edit=permissions.can_edit_council(actor, council.id),
        front=site.council_front(db.session, actor, council.id, clock.now()),
        outcome_names=OUTCOME_NAMES,
    )


def _council_data(form: CouncilForm) -> services.CouncilData:
    return services.CouncilData(
        name=form.name.data or "",
        municipality=form.municipality.data or "",
        description=form.description.data or "",
        resident_seats=form.resident_seats.data or 0,
        councillor_seats=form.councillor_seats.data or 0,
        decision_rule=DecisionRule(form.decision_rule.data),
        publishes_resident_names=bool(form.publishes_resident_names.data),
        code=(form.code.data or "").strip().upper(),
    )


@bp.route("/beheer/wijkraden/nieuw", methods=["GET", "POST"])
def create() -> tuple[str, int] | Response:
    actor = current_actor()
    if not permissions.can_create_council(actor):
        raise Forbidden()
    form = CouncilForm()
    if form.validate_on_submit():
        with write(form):
            council = services.create_council(
                db.session, actor, form.slug.data or "", _council_data(form)
            )
            flash(_("Wijkraad %(name)s is aangemaakt.", name=council.name), "ok")
            return redirect(url_for("councils.show", slug=council.slug))
    return render_template("councils/form.html", form=form, council=None), form_status(form)


@bp.route("/wijkraden/<slug>/bewerken", methods=["GET", "POST"])
def edit(slug: str) -> tuple[str, int] | Response:
    actor = current_actor()
    council = services.get_council(db.session, slug)
    if not permissions.can_edit_council(actor, council.id):
        raise Forbidden()
    form = CouncilForm(obj=council)
    form.slug.data = council.slug  # the slug is part of public addresses and stays
    if form.validate_on_submit():
        with write(form):
            services.update_council(db.session, actor, council, _council_data(form), clock.today())
            flash(_("De wijziging is bewaard."), "ok")
            return redirect(url_for("councils.show", slug=council.slug))
    return render_template("councils/form.html", form=form, council=council), form_status(form)


@bp.route("/wijkraden/<slug>/leden/nieuw", methods=["GET", "POST"])
def appoint(slug: str) -> tuple[str, int] | Response:
    actor = current_actor()
    council = services.get_council(db.session, slug)
    if not permissions.can_manage_members(actor, council.id):
        raise Forbidden()
    form = AppointForm()
    if not permissions.can_manage_role(actor, council.id, Role.CHAIR):
        form.role.choices = [c for c in form.role.choices if c.value != Role.CHAIR.value]
        if form.is_submitted() and request.form.get("role") == Role.CHAIR.value:
            raise Forbidden()
    if not form.is_submitted():
        form.starts_on.data = clock.today()
    if form.validate_on_submit():
        with write(form):
            membership = services.appoint_member(
                db.session,
                actor,
                council,
                name=form.name.data or "",
                email=form.email.data or "",
                seat=Seat(form.seat.data),
                role=Role(form.role.data),
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
            )
            invitation_views.mail_invitation(membership)
            flash(
                _(
                    "%(name)s is benoemd. De uitnodigingslink om de zetel te bevestigen is per "
                    "e-mail verstuurd; u kunt hem hieronder ook zelf doorgeven.",
                    name=membership.person.name,
                ),
                "ok",
            )
            return redirect(
                url_for("councils.invitation", slug=council.slug, membership_id=membership.id)
            )
    return render_template(
        "councils/appoint.html", form=form, council=council, vacancies=_page(slug).vacancies
    ), form_status(form)


def membership_of(council: Council, membership_id: int) -> Membership:
    membership = services.get_membership(db.session, membership_id)
    if membership.council_id != council.id:
        abort(404)
    return membership


@bp.route("/wijkraden/<slug>/leden/<int:membership_id>/beeindigen", methods=["GET", "POST"])
def end(slug: str, membership_id: int) -> tuple[str, int] | Response:
    actor = current_actor()
    council = services.get_council(db.session, slug)
    membership = membership_of(council, membership_id)
    if not permissions.can_manage_role(actor, council.id, membership.role):
        raise Forbidden()
    form = EndMembershipForm()
    if not form.is_submitted():
        form.ends_on.data = max(clock.today(), membership.starts_on)
    if form.validate_on_submit():
        with write(form):
            services.end_membership(db.session, actor, membership, form.ends_on.data)
            flash(
                _("Het lidmaatschap van %(name)s is beëindigd.", name=membership.person.name), "ok"
            )
            return redirect(url_for("councils.show", slug=council.slug))
    return render_template(
        "councils/end.html", form=form, council=council, membership=membership
    ), form_status(form)


from wijkraad.councils import invitation_views  # noqa: E402  (its routes register on bp)
