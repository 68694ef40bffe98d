"""Helpers shared by the domains' forms."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms.fields.choices import SelectChoice


def choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Select and radio options from (value, label) pairs; labels may be lazy strings."""
    return [SelectChoice(value, label) for value, label in pairs]


LANGUAGES = (("nl", "Nederlands"), ("en", "English"))


def language_choices() -> list[SelectChoice]:
    return choices(LANGUAGES)
