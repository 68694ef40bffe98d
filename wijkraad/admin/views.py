"""Administration of accounts (councils and members live in the councils blueprint)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from wijkraad.admin.forms import AccountForm
from wijkraad.auth import services as auth_services
from wijkraad.auth.forms import EmptyForm
from wijkraad.auth.models import User
from wijkraad.councils.permissions import can_manage_accounts
from wijkraad.errors import DomainError, Forbidden, NotFound
from wijkraad.extensions import db
from wijkraad.security import current_actor
from wijkraad.web import show_error

bp = Blueprint("admin", __name__, url_prefix="/beheer")


@bp.before_request
def _only_admins() -> None:
    if not can_manage_accounts(current_actor()):
        raise Forbidden()


@bp.get("/accounts")
def accounts() -> str:
    users = db.session.scalars(sa.select(User).order_by(User.name)).all()
    return render_template("admin/accounts.html", users=users)


@bp.route("/accounts/nieuw", methods=["GET", "POST"])
def create_account() -> tuple[str, int] | Response:
    form = AccountForm()
    if form.validate_on_submit():
        try:
            user = auth_services.create_user(
                db.session,
                current_actor().user_id,
                email=form.email.data or "",
                name=form.name.data or "",
                password=form.password.data or None,
                is_admin=bool(form.is_admin.data),
                language=form.language.data or "nl",
            )
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Account voor %(name)s is aangemaakt.", name=user.name), "ok")
            return redirect(url_for("admin.account", user_id=user.id))
    return render_template(
        "admin/account_form.html", form=form
    ), 422 if form.is_submitted() else 200


@bp.get("/accounts/<int:user_id>")
def account(user_id: int) -> str:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    return render_template(
        "admin/account.html", user=user, invite_form=EmptyForm(), invite_url=None
    )


@bp.post("/accounts/<int:user_id>/uitnodiging")
def invite(user_id: int) -> str:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    form = EmptyForm()
    invite_url = None
    if form.validate_on_submit():
        token = auth_services.invite_token(user, current_app.config["SECRET_KEY"])
        invite_url = url_for("auth.accept_invite", token=token, _external=True)
    return render_template("admin/account.html", user=user, invite_form=form, invite_url=invite_url)
