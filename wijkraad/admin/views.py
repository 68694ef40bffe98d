"""Administration of accounts (councils and members live in the councils blueprint)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from wijkraad import clock
from wijkraad.admin.forms import AccountDetailsForm, AccountForm
from wijkraad.auth import accounts as changes
from wijkraad.auth import mails, queries
from wijkraad.auth import services as auth_services
from wijkraad.auth.forms import EmptyForm
from wijkraad.auth.links import external_url
from wijkraad.auth.models import User
from wijkraad.auth.rules import SessionPolicy
from wijkraad.councils.permissions import can_manage_accounts
from wijkraad.errors import Forbidden
from wijkraad.extensions import db
from wijkraad.mail import outbox
from wijkraad.mail import queries as mail_queries
from wijkraad.security import current_actor
from wijkraad.web import FLASH, form_status, write

bp = Blueprint("admin", __name__, url_prefix="/beheer")


@bp.before_request
def _only_admins() -> None:
    if not can_manage_accounts(current_actor()):
        raise Forbidden()


def _user(user_id: int) -> User:
    return queries.get_user(db.session, user_id)


@bp.get("/accounts")
def accounts() -> str:
    return render_template("admin/accounts.html", users=queries.accounts(db.session))


@bp.route("/accounts/nieuw", methods=["GET", "POST"])
def create_account() -> tuple[str, int] | Response:
    form = AccountForm()
    if form.validate_on_submit():
        with write(form):
            user = auth_services.create_user(
                db.session,
                current_actor().user_id,
                email=form.email.data or "",
                name=form.name.data or "",
                password=form.password.data or None,
                is_admin=bool(form.is_admin.data),
                language=form.language.data or "nl",
            )
            flash(_("Account voor %(name)s is aangemaakt.", name=user.name), "ok")
            return redirect(url_for("admin.account", user_id=user.id))
    return render_template("admin/account_form.html", form=form), form_status(form)


def _account_page(
    user: User,
    *,
    details_form: AccountDetailsForm | None = None,
    invite_url: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    shown = queries.account_detail(
        db.session, user, now=clock.now(), policy=SessionPolicy.from_config(current_app.config)
    )
    return render_template(
        "admin/account.html",
        user=shown.account,
        details_form=details_form or AccountDetailsForm(obj=shown.account, prefix="details"),
        invite_form=EmptyForm(),
        invite_url=invite_url,
        is_self=user.id == current_actor().user_id,
        session_count=shown.session_count,
    ), status


@bp.get("/accounts/<int:user_id>")
def account(user_id: int) -> tuple[str, int]:
    return _account_page(_user(user_id))


@bp.post("/accounts/<int:user_id>/gegevens")
def update_account(user_id: int) -> tuple[str, int] | Response:
    user = _user(user_id)
    form = AccountDetailsForm(prefix="details")
    if form.validate_on_submit():
        with write(form):
            changes.update_details(
                db.session,
                current_actor().user_id,
                user,
                name=form.name.data or "",
                email=form.email.data or "",
                language=form.language.data or "nl",
            )
            flash(_("De gegevens van %(name)s zijn bewaard.", name=user.name), "ok")
            return redirect(url_for("admin.account", user_id=user.id))
    return _account_page(user, details_form=form, status=422)


@bp.post("/accounts/<int:user_id>/uitnodiging")
def invite(user_id: int) -> tuple[str, int] | Response:
    """A link to choose a password, shown here and mailed to the account's address. For an
    account that has one, this is a reset: the old password stops working and every session
    and API token ends."""
    user = _user(user_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        return _account_page(user, status=400)
    actor_id = current_actor().user_id
    reset = user.password_hash is not None
    with write(FLASH) as attempt:
        if reset:
            changes.reset_password(db.session, actor_id, user, now=clock.now())
        token = changes.make_link_token(
            db.session, actor_id, user, current_app.config["SECRET_KEY"], reset=reset
        )
        # Without a base URL no link can be made: then the reset does not happen either.
        invite_url = external_url("auth.accept_invite", token=token)
        mails.invitation(db.session, user, invite_url, reset=reset, now=clock.now())
        flash(_("De link is ook per e-mail naar %(email)s gestuurd.", email=user.email), "ok")
    if attempt.refusal is not None:
        return _account_page(user, status=attempt.refusal.status)
    return _account_page(user, invite_url=invite_url)


def _set_enabled(user_id: int, enabled: bool) -> Response | tuple[str, int]:
    user = _user(user_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        return _account_page(user, status=400)
    with write(FLASH) as attempt:
        changes.set_enabled(db.session, current_actor().user_id, user, enabled, now=clock.now())
        if enabled:
            flash(_("Het account van %(name)s is weer ingeschakeld.", name=user.name), "ok")
        else:
            flash(
                _(
                    "Het account van %(name)s is uitgeschakeld: afgemeld en API-tokens "
                    "ingetrokken.",
                    name=user.name,
                ),
                "ok",
            )
    if attempt.refusal is not None:
        return _account_page(user, status=attempt.refusal.status)
    return redirect(url_for("admin.account", user_id=user.id))


@bp.post("/accounts/<int:user_id>/uitschakelen")
def disable(user_id: int) -> Response | tuple[str, int]:
    return _set_enabled(user_id, False)


@bp.post("/accounts/<int:user_id>/inschakelen")
def enable(user_id: int) -> Response | tuple[str, int]:
    return _set_enabled(user_id, True)


@bp.get("/e-mail")
def mail() -> str:
    """The outbox: failed mail, and mail waiting for its next attempt, each to send again."""
    return render_template(
        "admin/mail.html", messages=mail_queries.waiting_and_failed(db.session), form=EmptyForm()
    )


@bp.post("/e-mail/<int:message_id>/opnieuw")
def retry_mail(message_id: int) -> Response:
    checked_form = EmptyForm()
    if checked_form.validate_on_submit():
        with write(FLASH):
            outbox.retry(db.session, current_actor().user_id, message_id, clock.now())
            flash(_("Het bericht wordt zo snel mogelijk opnieuw verstuurd."), "ok")
    return redirect(url_for("admin.mail"), 303)
