"""The words the open-data exports use, in one place.

The exports are data files: their words are the council's (Dutch) whatever the language of
whoever downloads them, so that the same record always gives the same file (and ETag), and
machine codes stand beside the words wherever a program needs them. Pure: no Flask, no database.
"""

from __future__ import annotations

from datetime import UTC, datetime

from wijkraad.clock import AMSTERDAM
from wijkraad.councils.rules import DecisionRule, Role, Seat
from wijkraad.motions.rules import Requirement
from wijkraad.voting.rules import Outcome

# The requirement (Popolo's ``requirement``, "in words"), by the council's rule (DOMAIN.md 3.6).
REQUIREMENT_WORDS: dict[tuple[DecisionRule, Requirement], str] = {
    (DecisionRule.COOPERATIVE, Requirement.MAJORITY): (
        "Dubbele meerderheid: meer stemmen voor dan tegen, onder alle uitgebrachte stemmen én "
        "onder die van de bewoners; onthoudingen tellen niet mee."
    ),
    (DecisionRule.COOPERATIVE, Requirement.TWO_THIRDS): (
        "Dubbele tweederdemeerderheid: ten minste twee derde van de stemmen voor en tegen is "
        "voor, onder alle uitgebrachte stemmen én onder die van de bewoners; onthoudingen "
        "tellen niet mee."
    ),
    (DecisionRule.SIMPLE, Requirement.MAJORITY): (
        "Meerderheid: meer stemmen voor dan tegen; onthoudingen tellen niet mee."
    ),
    (DecisionRule.SIMPLE, Requirement.TWO_THIRDS): (
        "Tweederdemeerderheid: ten minste twee derde van de stemmen voor en tegen is voor; "
        "onthoudingen tellen niet mee."
    ),
}

# The same, short, for a spreadsheet column.
REQUIREMENT_SHORT: dict[tuple[DecisionRule, Requirement], str] = {
    (DecisionRule.COOPERATIVE, Requirement.MAJORITY): "dubbele meerderheid",
    (DecisionRule.COOPERATIVE, Requirement.TWO_THIRDS): "dubbele tweederdemeerderheid",
    (DecisionRule.SIMPLE, Requirement.MAJORITY): "meerderheid",
    (DecisionRule.SIMPLE, Requirement.TWO_THIRDS): "tweederdemeerderheid",
}

OUTCOME_WORDS = {
    Outcome.ADOPTED: "aangenomen",
    Outcome.REJECTED: "verworpen",
    Outcome.POSTPONED: "uitgesteld",
    Outcome.INVALID: "ongeldig",
}

ROLE_WORDS = {Role.CHAIR: "Voorzitter", Role.SECRETARY: "Secretaris", Role.MEMBER: "Lid"}
SEAT_WORDS = {Seat.RESIDENT: "Bewoner", Seat.COUNCILLOR: "Raadslid"}
GROUP_NAMES = {Seat.RESIDENT: "Bewoners", Seat.COUNCILLOR: "Raadsleden"}

# What a resident whose name the council does not publish is called.
UNNAMED = "bewoner"


def utc(moment: datetime) -> str:
    """A moment as ``2026-05-04T17:30:00Z``: UTC, whole seconds (what Popolo's event pattern
    and JSON Schema's date-time both accept)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def local_date(moment: datetime) -> str:
    """The date of a moment where the councils meet, as ``2026-05-04``."""
    return moment.astimezone(AMSTERDAM).date().isoformat()


def clip(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters: cut at a word where it can be, with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.") + "…"
