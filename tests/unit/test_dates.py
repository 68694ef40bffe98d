"""The window of dates the software accepts, and Dutch time that never overflows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijkraad import dates
from wijkraad.i18n import local

TODAY = date(2026, 12, 1)
WINDOW = dates.window(TODAY)


def test_the_window_runs_from_2000_to_ten_years_ahead():
    assert dates.DateWindow(date(2000, 1, 1), date(2036, 12, 1)) == WINDOW
    assert dates.window(date(2028, 2, 29)).latest == date(2038, 2, 28)


@pytest.mark.parametrize(
    ("value", "inside"),
    [
        (date(2000, 1, 1), True),
        (date(1999, 12, 31), False),
        (date(2036, 12, 1), True),
        (date(2036, 12, 2), False),
        (date.min, False),
        (date.max, False),
        (datetime(2000, 1, 1, tzinfo=UTC), True),
        (datetime(1999, 12, 31, 23, 59, tzinfo=UTC), False),
        (datetime(2036, 12, 1, 23, 59, tzinfo=UTC), True),
        (datetime(2036, 12, 2, tzinfo=UTC), False),
        (datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))), False),
        (datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-14))), False),
        (datetime(2026, 12, 1, 19, 30), True),  # naive: the API refuses it for another reason
        (datetime(1, 1, 1), False),
    ],
)
def test_what_lies_inside(value, inside):
    assert WINDOW.contains(value) is inside


offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)


@given(st.datetimes(timezones=offsets), st.dates(max_value=date(9989, 1, 1)))
def test_no_moment_breaks_the_check(moment, today):
    window = dates.window(today)
    inside = window.contains(moment)  # never an overflow, whatever the offset
    day = moment.date()  # on its own offset: at most a day from its UTC date
    if window.earliest < day < window.latest:
        assert inside
    if not window.earliest - timedelta(days=1) <= day <= window.latest + timedelta(days=1):
        assert not inside


@given(st.datetimes(timezones=st.just(UTC)) | st.datetimes())
def test_any_stored_moment_can_be_shown_in_dutch_time(moment):
    shown = local(moment)
    assert shown.tzinfo is not None
    assert shown == (moment if moment.tzinfo else moment.replace(tzinfo=UTC))
