"""Helpers shared by the domains' forms."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import format_date
from flask_wtf import FlaskForm
from wtforms import Field, Form, HiddenField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from wijkraad import clock, dates
from wijkraad.messages import message_for

# Blank choice of an optional select; coerced to None.
NONE = ""


def optional_int(value: object) -> int | None:
    if value in (None, NONE, "None"):
        return None
    return int(value)  # type: ignore[call-overload]


class ActionForm(FlaskForm):
    """A button that changes state: only the CSRF token."""


CONFIRMED = "yes"


class ConfirmForm(FlaskForm):
    """A drastic button's second step: it acts only when ``confirmed`` comes along (the form of
    a confirmation page or dialog); without it, the view answers with the confirmation page."""

    confirmed = HiddenField()

    def is_confirmed(self) -> bool:
        return self.confirmed.data == CONFIRMED


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
