"""What the pages and the API share: the write boundary, safe redirects, showing domain errors
in forms, polled fragments, and the filters every page may use."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal
from urllib.parse import urlsplit

from flask import Flask, abort, flash, render_template, request, session
from flask_babel import format_currency
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from jinja2 import pass_context
from jinja2.runtime import Context
from werkzeug.wrappers import Response
from wtforms import Field

from wijkraad.errors import DomainError
from wijkraad.extensions import db
from wijkraad.i18n import format_local

FLASH: Literal["flash"] = "flash"
KEEP: Literal["keep"] = "keep"


@dataclass
class Attempt:
    """What came of a write: ``refusal`` is the domain error that refused it, if one did."""

    refusal: DomainError | None = None


@contextmanager
def write(shown: FlaskForm | Literal["flash", "keep"] | None = None) -> Iterator[Attempt]:
    """The write boundary: every write of a page or an API call goes through it, once.

    It commits when the block (or, used as a decorator, the view) ends normally. A
    ``DomainError`` raised inside rolls everything back and is answered by the surface, which
    ``shown`` names:

    - ``@write()`` on an API endpoint: the error goes on to the error handler, which answers
      ``application/problem+json`` with its status and code.
    - ``with write(form):`` on a page with a form: the error goes on the form field it names
      (or is flashed when the form has no such field), and the view goes on to show the form
      again, with 422 (``form_status``).
    - ``with write(FLASH):`` on a page without a form (a button): the error is flashed, and the
      view goes on to redirect back (303), as it does after success.
    - ``with write(KEEP) as attempt:`` for an htmx fragment: the error is kept in
      ``attempt.refusal`` for the fragment to show; it answers 200, as htmx swaps no 4xx answer.

    On the pages, who may not be here at all (``DomainError.denies_access``: 401, 404, a bare
    403) is never answered in place: the error goes on to the login or error page. A message
    flashed inside the block is kept only when the commit succeeds. Services never commit.
    """
    attempt = Attempt()
    # Only pages flash; the API's answers never touch the session.
    flashed = len(session.get("_flashes", [])) if shown is not None else 0
    try:
        yield attempt
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        if shown is not None:
            _forget_flashes(flashed)
        if shown is None or error.denies_access:
            raise
        attempt.refusal = error
        if shown == FLASH:
            flash(error.message, "error")
        elif shown != KEEP:
            show_error(shown, error)
    except BaseException:
        if shown is not None:
            _forget_flashes(flashed)
        raise


def _forget_flashes(count: int) -> None:
    """Drops what was flashed since there were ``count`` messages: it did not happen."""
    flashes = session.get("_flashes")
    if flashes and len(flashes) > count:
        session["_flashes"] = flashes[:count]


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
    """Puts a domain error on the form field it concerns, or flashes it.

    Form fields are named after the service arguments; a form may name, in
    ``refusal_fields``, the field that shows the refusals about an argument it has no field for.
    """

    def field_for(name: str | None) -> Field | None:
        if form is None or not name:
            return None
        field = getattr(form, getattr(form, "refusal_fields", {}).get(name, name), None)
        return field if isinstance(field, Field) else None

    placed = False
    for field_error in error.errors or []:
        if (field := field_for(field_error.field)) is not None:
            field.errors = [*field.errors, field_error.message]
            placed = True
    if not placed and (field := field_for(error.field)) is not None:
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


@pass_context
def shows_form_errors(context: Context) -> bool:
    """Whether the page shows any of its forms with errors, whatever the form is called: its
    title then starts with "Fout: ", the first thing a screen reader reads of a new page."""
    return any(
        isinstance(value, FlaskForm) and bool(value.errors) for value in context.get_all().values()
    )


# The routes whose request may be larger than MAX_CONTENT_LENGTH (an upload), each with its
# own limit in bytes: ``allow_large_body`` names them, ``_room_for_a_large_body`` applies the
# limit before any other hook reads the body (the CSRF check and the storable-input check read
# the form, and the size is checked when the body is first read).
LARGE_BODIES: dict[str, Callable[[], int]] = {}


def allow_large_body(limit: Callable[[], int], *endpoints: str) -> None:
    for endpoint in endpoints:
        LARGE_BODIES[endpoint] = limit


def _room_for_a_large_body() -> None:
    limit = LARGE_BODIES.get(request.endpoint or "")
    if limit is not None and request.method in ("POST", "PUT"):
        request.max_content_length = limit()


def init_app(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, _room_for_a_large_body)
    app.add_template_filter(euros, "euros")
    app.add_template_global(shows_form_errors, "shows_form_errors")
