from __future__ import annotations

import logging
from datetime import timedelta

import click
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from wijkraad import clock
from wijkraad.auth import accounts, mails, queries, recovery, services, sessions, throttle
from wijkraad.auth.devices import current_device, remember_device
from wijkraad.auth.forms import (
    ChangePasswordForm,
    EmptyForm,
    ForgotPasswordForm,
    LanguageForm,
    LoginForm,
    PreferencesForm,
    SetPasswordForm,
    TokenForm,
)
from wijkraad.auth.models import User
from wijkraad.auth.rules import SessionPolicy, ThrottlePolicy
from wijkraad.errors import DomainError, TooManyRequests, Unauthorized
from wijkraad.extensions import db, login_manager
from wijkraad.mail.compose import absolute_url
from wijkraad.web import FLASH, client_addr, form_status, safe_next, show_error, write

bp = Blueprint("auth", __name__)


@bp.record_once
def _warn_without_base_url(state: object) -> None:
    app = state.app  # type: ignore[attr-defined]
    if not app.config.get("BASE_URL") and not (app.debug or app.testing):
        logging.getLogger(__name__).warning(
            "WIJKRAAD_BASE_URL is not set: invitation and password links cannot be made"
        )


@login_manager.user_loader
def load_user(cookie_value: str) -> User | None:
    """Sessions and remember-me cookies hold "user id:token" (``User.get_id``): the user and
    the login session come in one query, and an ended or expired session, or a disabled
    account, is refused."""
    # "Last seen" is written only when nothing else is under way, so that it can be committed
    # by itself at once: it is kept even when the request writes nothing (reading pages is
    # using the session), and no lock is left in the request's own transaction. At the start
    # of a request nothing is; otherwise a later request writes it.
    idle = not db.session().in_transaction()
    found = sessions.resolve(
        db.session, cookie_value, now=clock.now(), policy=session_policy(), may_touch=idle
    )
    if found is None:
        return None
    user, touched = found
    if touched:
        # The one commit outside the write boundary: "last seen" stands by itself, whatever
        # the request goes on to do (and a request that only reads keeps it too).
        db.session.commit()
    return user


def session_policy() -> SessionPolicy:
    return SessionPolicy.from_config(current_app.config)


def _log_in(user: User, *, remember: bool) -> None:
    """Begins a login session for ``user`` (in the request's transaction: the caller commits)
    and puts it in this browser's cookies. A session this browser was in before ends: on a
    shared computer, whoever forgot to log out is logged out now, remember-me cookie and all."""
    if current_user.is_authenticated:
        previous: User = current_user._get_current_object()
        sessions.end(db.session, previous.id, previous, previous.login_session.id)
    sessions.start(
        db.session,
        user,
        remember=remember,
        user_agent=request.headers.get("User-Agent", ""),
        now=clock.now(),
    )
    login_user(user, remember=remember)


def login_policy() -> ThrottlePolicy:
    return ThrottlePolicy.from_config(current_app.config)


@bp.route("/aanmelden", methods=["GET", "POST"])
def login() -> Response | tuple[str, int, dict[str, str]]:
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    status, headers, refused = 200, {}, False
    if form.validate_on_submit():
        # The attempt is counted in a transaction of its own (``throttle``), committed before
        # the password is checked: a refusal rolls back only the request's own writes. The
        # refusal is this page's answer (a 401 here is no "log in first"), so the page shows it.
        try:
            with write():
                user = services.authenticate(
                    db.session,
                    form.email.data or "",
                    form.password.data or "",
                    remote_addr=client_addr(),
                    now=clock.now(),
                    policy=login_policy(),
                    device=current_device(),
                )
                _log_in(user, remember=bool(form.remember.data))
        except (Unauthorized, TooManyRequests) as error:
            # Shown in the form's error summary; a refused password marks both fields.
            form.form_errors.append(error.message)
            refused = isinstance(error, Unauthorized)
            status = error.status
            if isinstance(error, TooManyRequests) and error.retry_after is not None:
                headers["Retry-After"] = str(error.retry_after)
        else:
            session.pop("lang", None)  # the account's own language preference applies
            flash(_("U bent aangemeld als %(name)s.", name=user.name), "ok")
            response = redirect(safe_next(form.next.data, url_for("home.mine")))
            remember_device(response, user.id)
            return response
    elif request.method == "POST":
        status = 422
    return render_template("auth/login.html", form=form, refused=refused), status, headers


@bp.post("/afmelden")
def logout() -> Response:
    form = EmptyForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            # Ends this session on the server too: a copy of its cookie, or of the remember-me
            # cookie, no longer logs anyone in. The user's sessions elsewhere go on.
            user = current_user._get_current_object()
            with write():
                sessions.end(db.session, user.id, user, user.login_session.id)
        logout_user()
        flash(_("U bent afgemeld."), "ok")
    return redirect(url_for("councils.index"))


@bp.post("/taal")
def language() -> Response:
    form = LanguageForm()
    if form.validate_on_submit():
        session["lang"] = form.lang.data
        if current_user.is_authenticated:
            user = current_user._get_current_object()
            with write(FLASH):
                accounts.update_details(db.session, user.id, user, language=form.lang.data)
    return redirect(safe_next(form.next.data, url_for("councils.index")))


@bp.route("/uitnodiging/<token>", methods=["GET", "POST"])
def accept_invite(token: str) -> str | Response:
    try:
        user = services.user_for_invite(db.session, token, current_app.config["SECRET_KEY"])
    except DomainError as error:
        return render_template("errors/error.html", status=400, message=error.message), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        with write(form) as attempt:
            services.set_password(
                db.session, user.id, user, form.password.data or "", now=clock.now()
            )
            _log_in(user, remember=False)
        if attempt.refusal is None:
            flash(_("Uw wachtwoord is ingesteld. Welkom, %(name)s.", name=user.name), "ok")
            response = redirect(url_for("home.mine"))
            remember_device(response, user.id)
            return response
    return render_template("auth/set_password.html", form=form, user=user)


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
def forgot_password() -> Response | tuple[str, int, dict[str, str]]:
    """A link by mail to choose a new password. The answer is the same whether or not the
    address has an account; only asking too often from one place is refused."""
    form = ForgotPasswordForm()
    status, headers = 200, {}
    if form.validate_on_submit():
        # Checked for every address alike, so that a missing setting reveals no account.
        if absolute_url("auth.login") is None:
            raise DomainError("base-url-missing", status=503)
        now = clock.now()
        try:
            with write():
                found = recovery.request_link(
                    db.session,
                    form.email.data or "",
                    remote_addr=client_addr(),
                    now=now,
                    policy=login_policy(),
                )
                if found is not None:
                    user, token = found
                    link = absolute_url("auth.reset_password", token=token)
                    mails.password_reset(db.session, user, link or "", now=now)
        except TooManyRequests as error:
            show_error(None, error)
            status = error.status
            if error.retry_after is not None:
                headers["Retry-After"] = str(error.retry_after)
        else:
            flash(
                _(
                    "Als er een account met dit e-mailadres is, ontvangt u binnen enkele "
                    "minuten een e-mail met een link om een nieuw wachtwoord te kiezen. "
                    "De link is een uur geldig."
                ),
                "ok",
            )
            return redirect(url_for("auth.forgot_password"), 303)
    elif request.method == "POST":
        status = 422
    return render_template("auth/forgot_password.html", form=form), status, headers


@bp.route("/wachtwoord-herstellen/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Response | tuple[str, int]:
    """The page a mailed link opens: a new password, once, within the hour. It ends every
    other session of the user and logs this browser in."""
    try:
        user = recovery.user_for_link(db.session, token, clock.now())
    except DomainError as error:
        return render_template("errors/error.html", status=400, message=error.message), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        with write(form) as attempt:
            user = recovery.choose_password(
                db.session, token, form.password.data or "", now=clock.now()
            )
            _log_in(user, remember=False)
        if attempt.refusal is None:
            flash(
                _(
                    "Uw nieuwe wachtwoord is ingesteld. U bent afgemeld op uw andere "
                    "apparaten en hier aangemeld."
                ),
                "ok",
            )
            response = redirect(url_for("home.mine"), 303)
            remember_device(response, user.id)
            return response
    return render_template("auth/set_password.html", form=form, user=user), form_status(form)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> str | Response | tuple[str, int]:
    user: User = current_user._get_current_object()
    prefs = PreferencesForm(obj=user, prefix="prefs")
    password_form = ChangePasswordForm(prefix="pw")
    token_form = TokenForm(prefix="token")
    new_token = None
    status = 200
    action = request.form.get("action")
    if request.method == "POST":
        status = 422
        if action == "prefs" and prefs.validate_on_submit():
            with write(prefs) as attempt:
                accounts.update_details(
                    db.session,
                    user.id,
                    user,
                    name=prefs.name.data or "",
                    language=prefs.language.data or "nl",
                )
            if attempt.refusal is None:
                session.pop("lang", None)
                flash(_("Uw gegevens zijn bewaard."), "ok")
                return redirect(url_for("auth.account"))
        if action == "password" and password_form.validate_on_submit():
            with write(password_form) as attempt:
                kept = accounts.change_own_password(
                    db.session,
                    user,
                    password_form.current_password.data or "",
                    password_form.password.data or "",
                    remote_addr=client_addr(),
                    now=clock.now(),
                    policy=login_policy(),
                    keep_session_id=user.login_session.id,
                )
            if attempt.refusal is not None:
                status = attempt.refusal.status
            else:
                # This browser stays logged in under the new token; every other session ended.
                if kept is not None:
                    login_user(user, remember=kept.remember)
                flash(
                    _(
                        "Uw wachtwoord is gewijzigd. U bent afgemeld op uw andere apparaten "
                        "en uw API-tokens zijn ingetrokken."
                    ),
                    "ok",
                )
                return redirect(url_for("auth.account"))
        if action == "token" and token_form.validate_on_submit():
            with write():
                new_token = services.issue_token(
                    db.session, user.id, user, token_form.label.data or ""
                )
            status = 200
    shown = queries.own_account(db.session, user, now=clock.now(), policy=session_policy())
    return render_template(
        "auth/account.html",
        prefs=prefs,
        password_form=password_form,
        token_form=token_form,
        tokens=shown.tokens,
        new_token=new_token,
        revoke_form=EmptyForm(),
        login_sessions=shown.login_sessions,
    ), status


@bp.post("/account/tokens/<int:token_id>/intrekken")
@login_required
def revoke_token(token_id: int) -> Response:
    form = EmptyForm()
    token = queries.get_own_token(db.session, current_user.id, token_id)
    if form.validate_on_submit():
        with write(FLASH):
            services.revoke_token(db.session, current_user.id, token, clock.now())
            flash(_("Het token is ingetrokken."), "ok")
    return redirect(url_for("auth.account"))


@bp.post("/account/sessies/<int:session_id>/beeindigen")
@login_required
def end_session(session_id: int) -> Response:
    """Ends one of the user's sessions from the list; ending this one logs out here."""
    form = EmptyForm()
    if form.validate_on_submit():
        user: User = current_user._get_current_object()
        current = user.login_session.id == session_id
        with write(FLASH):
            ended = sessions.end(db.session, user.id, user, session_id)
            if current:
                flash(_("U bent afgemeld."), "ok")
            elif ended:
                flash(_("U bent op dat apparaat afgemeld."), "ok")
            else:
                flash(_("Die sessie was al beëindigd."), "ok")
        if current:
            logout_user()
            return redirect(url_for("councils.index"))
    return redirect(url_for("auth.account", _anchor="sessions-title"))


@bp.post("/account/sessies/andere-beeindigen")
@login_required
def end_other_sessions() -> Response:
    form = EmptyForm()
    if form.validate_on_submit():
        user: User = current_user._get_current_object()
        with write(FLASH):
            sessions.end_others(db.session, user.id, user, user.login_session.id)
            flash(_("U bent op al uw andere apparaten afgemeld."), "ok")
    return redirect(url_for("auth.account", _anchor="sessions-title"))


@bp.cli.command("prune")
def prune_command() -> None:
    """Delete what no longer counts: login counters whose window has ended (logins also do
    this as they go), and login sessions that ended or expired."""
    window = login_policy().window_seconds
    now = clock.now()
    before = now - timedelta(seconds=window)
    total = 0
    while deleted := throttle.prune(db.session, before):
        total += deleted
    click.echo(f"deleted {total} login counters")
    total = 0
    while True:
        with write():  # a pass at a time: no long lock on the table
            deleted = sessions.prune(db.session, now, session_policy())
        total += deleted
        if not deleted:
            break
    click.echo(f"deleted {total} login sessions")
