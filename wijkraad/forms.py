"""Helpers shared by the domains' forms."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import format_date
from wtforms import Field, Form
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from wijkraad import clock, dates
from wijkraad.messages import message_for


def choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Select and radio options from (value, label) pairs; labels may be lazy strings."""
    return [SelectChoice(value, label) for value, label in pairs]


LANGUAGES = (("nl", "Nederlands"), ("en", "English"))


def language_choices() -> list[SelectChoice]:
    return choices(LANGUAGES)


class WithinWindow:
    """A date field's date lies within the window the software accepts (``dates.window``)."""

    def __call__(self, form: Form, field: Field) -> None:
        if field.data is None:
            return
        window = dates.window(clock.today())
        if not window.contains(field.data):
            raise ValidationError(
                message_for(
                    "date-out-of-range",
                    earliest=format_date(window.earliest, "long"),
                    latest=format_date(window.latest, "long"),
                )
            )
