"""Conditional answers for the polled live fragments (projector, phones, chair's console).

Hundreds of screens ask every second or two whether anything changed. Each fragment carries an
entity tag made of the meeting's live marker (``queries.meeting_marker``: one statement), who is
looking and in which language; a browser revalidates its copy with ``If-None-Match`` and gets an
empty 304 while the tag holds, so an unchanged poll costs that one statement and no rendering.
The tag travels in the ``ETag`` header only, and static/live.js skips the swap of an answer whose
tag the screen already shows (a revalidated copy reaches htmx as the same 200), so screen
readers hear only real changes.
"""

from __future__ import annotations

import hashlib
from enum import StrEnum
from pathlib import Path

from flask import current_app, render_template, request
from werkzeug.wrappers import Response

from wijkraad.auth.actor import Actor
from wijkraad.errors import NotFound
from wijkraad.i18n import select_locale
from wijkraad.meetings import permissions
from wijkraad.meetings.rules import MeetingStatus
from wijkraad.voting.queries import LiveMarker


class Audience(StrEnum):
    """Who may keep a copy: anyone (revalidated every time) or the one browser that asked."""

    PUBLIC = "no-cache"
    PRIVATE = "private, no-cache"


def may_see(actor: Actor, marker: LiveMarker) -> bool:
    """As ``meetings.services.may_see``, from the marker: drafts for those who prepare them."""
    if marker.status is MeetingStatus.DRAFT:
        return permissions.can_see_draft(actor, marker.council_id)
    return True


def visible_marker(actor: Actor, marker: LiveMarker) -> LiveMarker:
    if not may_see(actor, marker):
        raise NotFound("meeting-not-found")
    return marker


_TEMPLATES: str | None = None


def _templates() -> str:
    """A fingerprint of the live templates: a new release never matches an old copy."""
    global _TEMPLATES
    if _TEMPLATES is None:
        root = Path(current_app.root_path).parent / "templates"
        sha = hashlib.sha256()
        for path in sorted([*root.glob("voting/*.html"), *root.glob("meetings/_labels.html")]):
            sha.update(path.read_bytes())
        _TEMPLATES = sha.hexdigest()[:12]
    return _TEMPLATES


def tag(screen: str, marker: LiveMarker, actor: Actor, *extra: object) -> str:
    """The entity tag of a screen as ``actor`` sees it now."""
    parts = (screen, _templates(), select_locale(), repr(actor), marker.fingerprint, extra)
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]


def cached(response: Response, etag: str, audience: Audience) -> Response:
    response.set_etag(etag)
    response.headers["Cache-Control"] = audience.value
    # The language comes from the session cookie (or the account behind it).
    response.vary.add("Cookie")
    return response


def unchanged(etag: str, audience: Audience) -> Response | None:
    """The empty 304 when the caller's copy is the current one, else ``None``."""
    if request.if_none_match.contains_weak(etag):
        return cached(Response(status=304), etag, audience)
    return None


def answer(template: str, context: dict[str, object], etag: str, audience: Audience) -> Response:
    return cached(Response(render_template(template, **context)), etag, audience)
