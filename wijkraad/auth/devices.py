"""The device cookie: a signed note that this browser logged in to these accounts before.

Login attempts from such a browser on those accounts are counted by themselves, apart from the
client address and the account (see ``rules``), so no attack on the account or from the same
network keeps its rightful user out. The cookie grants nothing else: the password is still
needed, and five wrong ones refuse the device for a while like any client.
"""

from __future__ import annotations

import secrets

from flask import current_app, request
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.wrappers import Response

from wijkraad.auth.throttle import Device

COOKIE = "wijkraad_device"
MAX_AGE = 365 * 24 * 3600
MAX_ACCOUNTS = 5  # a shared computer in a community centre: a few accounts, newest first


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="wijkraad-device")


def current_device() -> Device | None:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        data = _serializer().loads(raw, max_age=MAX_AGE)
        return Device(str(data["d"]), tuple(int(u) for u in data["u"][:MAX_ACCOUNTS]))
    except (BadData, KeyError, TypeError, ValueError):
        return None


def remember_device(response: Response, user_id: int) -> None:
    """Adds ``user_id`` to this browser's device cookie (made on its first login)."""
    device = current_device()
    device_id = device.device_id if device else secrets.token_urlsafe(16)
    others = [u for u in (device.user_ids if device else ()) if u != user_id]
    value = _serializer().dumps({"d": device_id, "u": [user_id, *others][:MAX_ACCOUNTS]})
    response.set_cookie(
        COOKIE,
        value,
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
    )
