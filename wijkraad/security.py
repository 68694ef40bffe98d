"""Security headers on every response, and the request's actor."""

from __future__ import annotations

from flask import Flask, Response, g
from flask_login import current_user

from wijkraad import clock
from wijkraad.auth.actor import ANONYMOUS, Actor
from wijkraad.extensions import db

# No inline scripts or styles anywhere: everything comes from our own static files.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)


def current_actor() -> Actor:
    """The acting user's rights, loaded once per request."""
    if "actor" not in g:
        from wijkraad.auth.services import load_actor

        user = g.get("api_user")
        if user is None and current_user.is_authenticated:
            user = current_user._get_current_object()
        g.actor = load_actor(db.session, user, clock.today()) if user is not None else ANONYMOUS
    return g.actor


def init_app(app: Flask) -> None:
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
        return response

    @app.context_processor
    def _actor() -> dict[str, object]:
        return {"actor": current_actor()}
