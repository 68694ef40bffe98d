"""Language and time zone: Dutch by default, English on request; dates in Europe/Amsterdam."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from flask import Flask, current_app, has_request_context, session
from flask_babel import format_date, format_datetime
from flask_login import current_user
from markupsafe import Markup, escape

from wijkraad.clock import AMSTERDAM

# What members write (titles, motions, decisions) is Dutch, whatever language the pages speak.
CONTENT_LANGUAGE = "nl"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the command line speaks the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def local(value: datetime) -> datetime:
    """``value`` in Dutch time. A moment at the edge of what Python holds (the last hours of
    the year 9999) cannot move to Amsterdam's offset; it stays in UTC rather than break the
    page that shows it."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        return value.astimezone(AMSTERDAM)
    except OverflowError:
        return value


def format_local(value: datetime, fmt: str = "medium") -> str:
    """A moment as Dutch time, in the page's language; never an overflow."""
    return format_datetime(local(value), fmt, rebase=False)


def format_day(value: date, fmt: str = "long") -> str:
    if isinstance(value, datetime):
        value = local(value).date()
    return format_date(value, fmt, rebase=False)


def init_app(app: Flask) -> None:
    @app.template_filter("date")
    def _date(value: date | None, fmt: str = "long") -> str:
        return format_day(value, fmt) if value else ""

    @app.template_filter("datetime")
    def _datetime(value: datetime | None, fmt: str = "medium") -> str:
        return format_local(value, fmt) if value else ""

    @app.template_global()
    def content_lang() -> Markup:
        """` lang="nl"` for an element with what members wrote, on a page in another
        language, so that a screen reader reads it as Dutch."""
        if select_locale() == CONTENT_LANGUAGE:
            return Markup("")
        return Markup(' lang="%s"') % CONTENT_LANGUAGE

    @app.template_global()
    def written(text: str) -> Markup:
        """What members wrote, inside a sentence of the page: marked Dutch on a page in another
        language, as is elsewhere."""
        if select_locale() == CONTENT_LANGUAGE:
            return escape(text)
        return Markup('<span lang="%s">%s</span>') % (CONTENT_LANGUAGE, text)

    @app.context_processor
    def _locale() -> dict[str, Any]:
        return {"current_language": select_locale(), "languages": app.config["LANGUAGES"]}
