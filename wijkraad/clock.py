"""The one place that reads the clock; rules get "now" and "today" as arguments."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """Today's date where the councils meet."""
    return datetime.now(AMSTERDAM).date()
