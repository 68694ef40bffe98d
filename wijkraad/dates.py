"""The dates the software accepts: a sane window around today, the same for every form and API
field (meetings, memberships). Pure: "today" is an argument.

Without a window, a meeting in the year 9999 or 1 is stored and then breaks every page that
turns it into Dutch time (which overflows Python's dates).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

EARLIEST = date(2000, 1, 1)
YEARS_AHEAD = 10


@dataclass(frozen=True)
class DateWindow:
    earliest: date
    latest: date

    def contains(self, value: date | datetime) -> bool:
        """Whether a date, or a moment (on any offset), lies within the window's days."""
        if isinstance(value, datetime):
            tz = UTC if value.tzinfo is not None else None
            start = datetime.combine(self.earliest, time.min, tzinfo=tz)
            end = datetime.combine(self.latest + timedelta(days=1), time.min, tzinfo=tz)
            # Aware moments compare across offsets without converting them, so year 1 at
            # +14:00 is simply early, not an overflow.
            return start <= value < end
        return self.earliest <= value <= self.latest


def window(today: date) -> DateWindow:
    """From 1 January 2000 up to ``YEARS_AHEAD`` years after today."""
    try:
        latest = today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        latest = today.replace(year=today.year + YEARS_AHEAD, day=28)
    return DateWindow(EARLIEST, latest)
