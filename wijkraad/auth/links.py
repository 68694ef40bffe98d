"""Links that leave the site (invitations, password resets), on its configured address."""

from __future__ import annotations

from flask import current_app, request, url_for

from wijkraad.errors import DomainError


def external_url(endpoint: str, **values: object) -> str:
    """An absolute URL on ``BASE_URL``. Without it, only a debug or test server falls back to
    the request's own address: in production a forged Host header must not decide where an
    invitation points (it would hand the token to whoever controls that host)."""
    base = current_app.config.get("BASE_URL")
    if base:
        path = url_for(endpoint, **values)
        return base.rstrip("/") + path.removeprefix(request.script_root)
    if current_app.debug or current_app.testing:
        return url_for(endpoint, _external=True, **values)
    raise DomainError("base-url-missing", status=503)
