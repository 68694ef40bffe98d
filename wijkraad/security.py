"""Security headers on every response, and the request's actor."""

from __future__ import annotations

from flask import Flask, Response, abort, g, has_request_context, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask_login import current_user

from wijkraad import clock
from wijkraad.auth.actor import ANONYMOUS, Actor
from wijkraad.auth.services import load_actor
from wijkraad.extensions import db

# No inline scripts or styles anywhere: everything comes from our own static files.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)


def current_actor() -> Actor:
    """The acting user's rights, loaded once per request (kept on ``g``, which each request
    has to itself)."""
    if not has_request_context():
        return ANONYMOUS
    actor = g.get("actor")
    if actor is None:
        user = current_user._get_current_object() if current_user.is_authenticated else None
        actor = load_actor(db.session, user, clock.today()) if user is not None else ANONYMOUS
        g.actor = actor
    return actor


def set_actor(actor: Actor) -> None:
    g.actor = actor


def is_storable(value: str) -> bool:
    """Text a database can store: no NUL characters, no lone surrogates."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def is_private(session: SessionMixin, response: Response) -> bool:
    """Whether a response is for one person only: it sets a cookie, or answers someone logged
    in (by session or by token). Decided without a query."""
    if "Set-Cookie" in response.headers or "Authorization" in request.headers:
        return True
    actor = g.get("actor")
    return (actor is not None and actor.is_authenticated) or session.get("_user_id") is not None


class SessionInterface(SecureCookieSessionInterface):
    """The signed-cookie session, which also marks private responses ``no-store``: it runs
    after every other response hook (Flask-Login sets its remember cookie in one), so it sees
    every cookie the response sets."""

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        super().save_session(app, session, response)
        if is_private(session, response) and not _kept_by_its_browser_only(response):
            # No browser history, proxy or shared cache keeps a page meant for one person.
            response.headers["Cache-Control"] = "no-store"


def _kept_by_its_browser_only(response: Response) -> bool:
    """A polled fragment that chose ``private, no-cache``: its own browser keeps it to
    revalidate (``If-None-Match``); no shared cache may. Never with a cookie being set."""
    directives = response.cache_control
    return (
        directives.private is not None
        and directives.no_cache is not None
        and "Set-Cookie" not in response.headers
    )


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()

    @app.before_request
    def _storable_input() -> None:
        # A NUL character or a lone surrogate cannot be stored (PostgreSQL refuses them), so
        # nothing stored is named by one: such a path is not found, before any query with it.
        if not is_storable(request.path) or any(
            isinstance(value, str) and not is_storable(value)
            for value in (request.view_args or {}).values()
        ):
            abort(404)
        # Refuse such a form or query up front rather than fail when writing it.
        for values in (request.args, request.form):
            for value in values.values():
                if not is_storable(value):
                    abort(400)

    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config["SESSION_COOKIE_SECURE"]:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.path.startswith("/api/"):
            response.vary.add("Authorization")  # a token may see more than the public
        return response

    @app.context_processor
    def _actor() -> dict[str, object]:
        return {"actor": current_actor()}
