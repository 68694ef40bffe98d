"""Helpers shared by the HTML views: safe redirects, showing domain errors in forms, polled
fragments, and the filters every page may use."""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, abort, flash, render_template, request
from flask_babel import format_currency
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from wijkraad.errors import DomainError
from wijkraad.i18n import format_local


def safe_next(target: str | None, fallback: str) -> str:
    """``target`` only when it is a path on this site; never another host (open redirect)."""
    if not target:
        return fallback
    target = target.strip()
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith(("//", "/\\"))
    ):
        return fallback
    if any(ch in target for ch in "\r\n\\"):
        return fallback
    return target


def show_error(form: FlaskForm | None, error: DomainError) -> None:
    """Puts a domain error on the form field it concerns, or flashes it."""
    placed = False
    if form is not None:
        for field_error in error.errors or []:
            field = getattr(form, field_error.field, None) if field_error.field else None
            if field is not None:
                field.errors = [*field.errors, field_error.message]
                placed = True
        if not placed and error.field and (field := getattr(form, error.field, None)) is not None:
            field.errors = [*field.errors, error.message]
            placed = True
    if not placed:
        flash(error.message, "error")


def client_addr() -> str:
    return request.remote_addr or "unknown"


def form_status(form: FlaskForm) -> int:
    """422 when a submitted form is shown again with errors."""
    return 422 if form.is_submitted() else 200


def checked(form: FlaskForm) -> FlaskForm:
    """A button form whose values come from our own buttons: anything else is a bad request."""
    if not form.validate_on_submit():
        abort(400)
    return form


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def digest(*parts: object) -> str:
    """A short key of a shown state: equal keys, equal pages."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def fragment(template: str, context: dict[str, Any]) -> Response:
    """A polled fragment: empty 204 (no swap) when the caller already shows this state.

    The fragment carries the key of the state it shows (``context["key"]``) and the page sends
    it back as ``since``; so screen readers hear only real changes, and every answer comes from
    the database, whichever worker serves it.
    """
    if request.args.get("since") == context["key"]:
        return no_store(Response(status=204))
    return no_store(Response(render_template(template, **context)))


def moment(value: datetime) -> str:
    """A moment as the pages write it: "dinsdag 1 december 2026 om 19:30", Dutch time."""
    return format_local(value, _("EEEE d MMMM y 'om' HH:mm"))


def euros(cents: int | None) -> str:
    """Cents as an amount in euros in the page's language: € 1.250,00."""
    if cents is None:
        return ""
    return format_currency(Decimal(cents) / 100, "EUR")


def init_app(app: Flask) -> None:
    app.add_template_filter(euros, "euros")
