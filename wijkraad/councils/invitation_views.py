"""Seat invitation pages: the invitee's (behind the link) and the appointer's (the link)."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from wijkraad import clock
from wijkraad.auth import rules as auth_rules
from wijkraad.auth.actor import Actor
from wijkraad.auth.links import external_url
from wijkraad.auth.models import User
from wijkraad.councils import invitations, mails, permissions, services
from wijkraad.councils.forms import ChoosePasswordForm, EmptyForm
from wijkraad.councils.models import Council, Membership, SeatInvitation
from wijkraad.councils.rules import MembershipStatus
from wijkraad.councils.views import bp, membership_of
from wijkraad.errors import Conflict, Forbidden, NotFound
from wijkraad.extensions import db
from wijkraad.security import current_actor
from wijkraad.web import KEEP, show_error, write


def invitation_url(invitation: SeatInvitation) -> str:
    """The link the appointer hands over; the same shape for every address."""
    token = invitations.token_for(invitation, current_app.config["SECRET_KEY"])
    return external_url("councils.seat_invitation", token=token)


def mail_invitation(membership: Membership) -> str:
    """Queues the mail with the invitation's current link to the invited address (in the
    caller's transaction), for every address alike; returns the link."""
    invitation = membership.invitation
    assert invitation is not None
    link = invitation_url(invitation)
    mails.seat_invitation(db.session, membership, invitation, link, now=clock.now())
    return link


def _invitation(token: str) -> SeatInvitation:
    return invitations.find(db.session, token, current_app.config["SECRET_KEY"])


def _current_user() -> User | None:
    return current_user._get_current_object() if current_user.is_authenticated else None


# ------------------------------------------------------------------ the invitee


def _private(body: str, status: int = 200) -> Response:
    """A page that shows an invitation link: kept out of every cache."""
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/zetel-uitnodiging/<token>")
def seat_invitation(token: str) -> Response:
    return _invitation_page(_invitation(token), token, ChoosePasswordForm())


def _invitation_page(
    invitation: SeatInvitation, token: str, password_form: ChoosePasswordForm, status: int = 200
) -> Response:
    user = _current_user()
    membership = invitation.membership
    is_open = invitations.is_open(invitation, clock.now())
    # Whether the account logged in is the invited one: never whether one exists.
    is_invitee = user is not None and auth_rules.normalise_email(user.email) == invitation.email
    # The invitee who confirmed (by choosing their password, or here) sees that it is done.
    confirmed = (
        is_invitee
        and membership.status is MembershipStatus.ACCEPTED
        and membership.person.user_id == user.id
    )
    if not is_open and not confirmed and status == 200:
        status = 409
    return _private(
        render_template(
            "councils/seat_invitation.html",
            invitation=invitation,
            membership=membership,
            council=membership.council,
            token=token,
            is_open=is_open,
            is_invitee=is_invitee,
            confirmed=confirmed,
            password_form=password_form,
        ),
        status,
    )


@bp.post("/zetel-uitnodiging/<token>/aannemen")
def accept_seat(token: str) -> Response:
    invitation = _invitation(token)
    user = _current_user()
    _checked()
    if user is None:
        # Log in first (with the invited address), then come back to this page.
        return redirect(url_for("auth.login", next=url_for(".seat_invitation", token=token)))
    # A refusal (another account, a closed link) is the error page with its status, as the link's
    # page itself answers.
    with write():
        membership = invitations.accept(db.session, user, invitation, clock.now())
    flash(_("U hebt de zetel in %(council)s aangenomen.", council=membership.council.name), "ok")
    return redirect(url_for("councils.show", slug=membership.council.slug))


@bp.post("/zetel-uitnodiging/<token>/afwijzen")
def decline_seat(token: str) -> Response:
    invitation = _invitation(token)
    _checked()
    user = _current_user()
    with write():
        invitations.decline(
            db.session, user.id if user else None, invitation, clock.now(), clock.today()
        )
    flash(_("U hebt de zetel afgewezen. Uw lidmaatschap is beëindigd."), "ok")
    return redirect(url_for("councils.index"))


@bp.post("/zetel-uitnodiging/<token>/wachtwoord")
def choose_password(token: str) -> Response:
    invitation = _invitation(token)
    form = ChoosePasswordForm()
    if not form.validate_on_submit():
        return _invitation_page(invitation, token, form, 422)
    with write(KEEP) as attempt:
        invitations.choose_password(db.session, invitation, form.password.data or "", clock.now())
    if (refusal := attempt.refusal) is not None:
        if refusal.status != 422:
            raise refusal  # a closed link: the error page, as the link's page itself answers
        show_error(form, refusal)
        return _invitation_page(invitation, token, form, 422)
    # The same answer whether or not the address had an account (see choose_password).
    flash(
        _(
            "Meld u nu aan met %(email)s en uw wachtwoord. Had u al een account met dit adres? "
            "Dan blijft uw bestaande wachtwoord gelden, en bevestigt u de zetel na het "
            "aanmelden.",
            email=invitation.email,
        ),
        "ok",
    )
    return redirect(url_for("auth.login", next=url_for(".seat_invitation", token=token)))


def _checked() -> None:
    """A button's form: only its CSRF token, which must be right."""
    if not EmptyForm().validate_on_submit():
        abort(400)


# ---------------------------------------------------------------- the appointer


def _managed(slug: str, membership_id: int) -> tuple[Actor, Council, Membership]:
    """The membership behind an appointer's invitation page, for those who may manage it
    (the chair's seat: administrators only)."""
    actor = current_actor()
    council = services.get_council(db.session, slug)
    membership = membership_of(council, membership_id)
    if not permissions.can_manage_role(actor, council.id, membership.role):
        raise Forbidden()
    if membership.invitation is None:  # seated before invitations existed
        raise NotFound("not-invited")
    return actor, council, membership


@bp.get("/wijkraden/<slug>/leden/<int:membership_id>/uitnodiging")
def invitation(slug: str, membership_id: int) -> Response:
    _, council, membership = _managed(slug, membership_id)
    invitation = membership.invitation
    assert invitation is not None
    is_open = invitations.is_open(invitation, clock.now())
    return _private(
        render_template(
            "councils/invitation.html",
            council=council,
            membership=membership,
            invitation=invitation,
            is_open=is_open,
            is_pending=membership.status is MembershipStatus.INVITED,
            ends=max(clock.today(), membership.starts_on),
            link=invitation_url(invitation) if is_open else None,
        )
    )


@bp.post("/wijkraden/<slug>/leden/<int:membership_id>/uitnodiging/vernieuwen")
def renew_invitation(slug: str, membership_id: int) -> Response:
    actor, council, membership = _managed(slug, membership_id)
    _checked()
    with write():
        invitations.renew(db.session, actor, membership, clock.now())
        mail_invitation(membership)
    flash(
        _(
            "Er is een nieuwe uitnodigingslink, ook per e-mail verstuurd. De vorige werkt niet "
            "meer."
        ),
        "ok",
    )
    return redirect(url_for(".invitation", slug=council.slug, membership_id=membership.id))


@bp.post("/wijkraden/<slug>/leden/<int:membership_id>/uitnodiging/intrekken")
def withdraw_invitation(slug: str, membership_id: int) -> Response:
    """Withdraws an invitation not yet answered: the membership ends today, or on its first
    day when it has not started."""
    actor, council, membership = _managed(slug, membership_id)
    _checked()
    if membership.status is not MembershipStatus.INVITED:
        raise Conflict("not-invited")
    ends_on = max(clock.today(), membership.starts_on)
    with write():
        services.end_membership(db.session, actor, membership, ends_on)
    flash(
        _(
            "De uitnodiging van %(name)s is ingetrokken en het lidmaatschap is beëindigd.",
            name=membership.name,
        ),
        "ok",
    )
    return redirect(url_for("councils.show", slug=council.slug))
