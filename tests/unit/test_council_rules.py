"""The rules about councils, seats and memberships (DOMAIN.md 3.1), without app or database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijkraad.councils.rules import (
    DecisionRule,
    Period,
    Problem,
    Role,
    Seat,
    SeatHolder,
    appointment_problems,
    council_seat_problems,
    end_problems,
    max_concurrent,
    residents_outnumber_councillors,
    seat_counts,
)

COOP = DecisionRule.COOPERATIVE
SIMPLE = DecisionRule.SIMPLE
RES = Seat.RESIDENT
CLR = Seat.COUNCILLOR
CHAIR = Role.CHAIR
SEC = Role.SECRETARY
MEMBER = Role.MEMBER

BASE = date(2025, 1, 1)


def d(days: int) -> date:
    """The day ``days`` after BASE (negative: before)."""
    return BASE + timedelta(days=days)


def p(start: int, end: int | None = None) -> Period:
    return Period(d(start), None if end is None else d(end))


def h(seat: Seat, role: Role, start: int, end: int | None = None) -> SeatHolder:
    return SeatHolder(seat, role, p(start, end))


def seats_full(seat: Seat, seats: int) -> Problem:
    return Problem("seats-full", "seat", (("seat", seat.value), ("seats", seats)))


def role_taken(role: Role) -> Problem:
    return Problem("role-taken", "role", (("role", role.value),))


CHAIR_NOT_RESIDENT = Problem("chair-not-resident", "role")
ENDS_BEFORE_START = Problem("ends-before-start", "ends_on")
RESIDENTS_NOT_MAJORITY = Problem("residents-not-majority", "resident_seats")
RESIDENTS_OUT_OF_RANGE = Problem("seats-out-of-range", "resident_seats")
COUNCILLORS_OUT_OF_RANGE = Problem("seats-out-of-range", "councillor_seats")


# --- council seat numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "residents", "councillors", "expected"),
    [
        (COOP, 11, 6, []),
        (COOP, 7, 6, []),
        (COOP, 6, 6, [RESIDENTS_NOT_MAJORITY]),
        (COOP, 5, 6, [RESIDENTS_NOT_MAJORITY]),
        (COOP, 1, 0, []),
        (SIMPLE, 6, 6, []),
        (SIMPLE, 1, 9, []),
        (SIMPLE, 0, 0, [RESIDENTS_OUT_OF_RANGE]),
        (COOP, 0, 6, [RESIDENTS_OUT_OF_RANGE, RESIDENTS_NOT_MAJORITY]),
        (COOP, 500, 499, []),
        (COOP, 501, 6, [RESIDENTS_OUT_OF_RANGE]),
        (SIMPLE, 11, 501, [COUNCILLORS_OUT_OF_RANGE]),
        (COOP, 11, -1, [COUNCILLORS_OUT_OF_RANGE]),
        (SIMPLE, -3, -1, [RESIDENTS_OUT_OF_RANGE, COUNCILLORS_OUT_OF_RANGE]),
    ],
    ids=[
        "coop-groningen-11-6-ok",
        "coop-7-6-ok",
        "coop-6-6-not-majority",
        "coop-5-6-not-majority",
        "coop-1-0-ok",
        "simple-6-6-ok",
        "simple-councillors-may-outnumber",
        "simple-0-residents-refused",
        "coop-0-residents-refused-twice",
        "coop-500-499-max-ok",
        "coop-501-residents-refused",
        "simple-501-councillors-refused",
        "coop-negative-councillors-refused",
        "simple-both-negative",
    ],
)
def test_council_seat_problems(
    rule: DecisionRule, residents: int, councillors: int, expected: list[Problem]
) -> None:
    assert council_seat_problems(rule, residents, councillors) == expected


# --- periods ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "on", "expected"),
    [
        (p(0, 10), d(0), True),
        (p(0, 10), d(9), True),
        (p(0, 10), d(10), False),
        (p(0, 10), d(-1), False),
        (p(0), d(10_000), True),
        (p(0), d(-1), False),
    ],
    ids=["first-day", "last-day", "end-day-excluded", "day-before", "open-ended", "open-before"],
)
def test_period_is_current(period: Period, on: date, expected: bool) -> None:
    assert period.is_current(on) is expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (p(0, 10), p(10, 20), False),
        (p(0, 10), p(9, 20), True),
        (p(0, 10), p(2, 3), True),
        (p(0, 10), p(20, 30), False),
        (p(0), p(500), True),
        (p(0), p(-10, 0), False),
        (p(0), p(-10, 1), True),
        (p(0), p(-10), True),
    ],
    ids=[
        "back-to-back",
        "one-day-shared",
        "nested",
        "disjoint",
        "open-vs-later",
        "open-vs-ending-on-its-start",
        "open-vs-ending-day-after",
        "both-open",
    ],
)
def test_period_overlaps(a: Period, b: Period, expected: bool) -> None:
    assert a.overlaps(b) is expected
    assert b.overlaps(a) is expected


# --- max_concurrent ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("periods", "within", "expected"),
    [
        ([], p(0, 10), 0),
        ([p(2, 5)], p(0, 10), 1),
        ([p(-20, -10), p(10, 20)], p(0, 10), 0),
        ([p(0, 10), p(10, 20)], p(0, 20), 1),
        ([p(0, 10), p(2, 8), p(4, 6)], p(0, 10), 3),
        ([p(0, 10), p(5, 15), p(12, 20)], p(0, 20), 2),
        ([p(0, 10), p(5, 15), p(12, 20)], p(15, 20), 1),
        ([p(0, 10), p(5, 15)], p(10, 20), 1),
        ([p(0, 10), p(0, 10)], p(0, 10), 2),
        ([p(0), p(5), p(10)], p(0), 3),
        ([p(0), p(5), p(10)], p(0, 10), 2),
        ([p(0, 5), p(5, 10), p(10)], p(0), 1),
        ([p(0, 3), p(1, 4), p(2, 5), p(3, 6)], p(0, 6), 3),
        ([p(0, 3), p(1, 4), p(2, 5), p(3, 6)], p(4, 6), 2),
    ],
    ids=[
        "none",
        "one-inside",
        "all-outside",
        "back-to-back-is-one",
        "nested-three",
        "staggered-peak-two",
        "staggered-clipped-by-within",
        "ending-on-within-start-not-counted",
        "same-period-twice",
        "open-ended-all",
        "open-ended-clipped",
        "chain-of-handovers",
        "sliding-window-peak-three",
        "sliding-window-tail",
    ],
)
def test_max_concurrent(periods: list[Period], within: Period, expected: int) -> None:
    assert max_concurrent(periods, within) == expected


# --- appointments -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("holders", "new", "residents", "councillors", "expected"),
    [
        ([h(RES, MEMBER, -10)] * 2, h(RES, MEMBER, 0), 2, 1, [seats_full(RES, 2)]),
        ([h(CLR, MEMBER, -10)], h(CLR, MEMBER, 0), 2, 1, [seats_full(CLR, 1)]),
        ([h(CLR, MEMBER, -10)], h(RES, MEMBER, 0), 1, 1, []),
        ([h(RES, MEMBER, -10)], h(CLR, MEMBER, 0), 1, 1, []),
        ([h(RES, MEMBER, -100, -1)], h(RES, MEMBER, 0), 1, 0, []),
        ([h(RES, MEMBER, -100, 0)], h(RES, MEMBER, 0), 1, 0, []),
        ([h(RES, MEMBER, -100, 1)], h(RES, MEMBER, 0), 1, 0, [seats_full(RES, 1)]),
        ([h(RES, MEMBER, 30)], h(RES, MEMBER, 0, 60), 1, 0, [seats_full(RES, 1)]),
        ([h(RES, MEMBER, 365)], h(RES, MEMBER, 0), 1, 0, [seats_full(RES, 1)]),
        ([h(RES, MEMBER, 60)], h(RES, MEMBER, 0, 60), 1, 0, []),
        ([h(RES, MEMBER, 0, 10), h(RES, MEMBER, 10, 20)], h(RES, MEMBER, 0, 20), 2, 0, []),
        (
            [h(RES, MEMBER, 0, 10), h(RES, MEMBER, 10, 20)],
            h(RES, MEMBER, 0, 20),
            1,
            0,
            [seats_full(RES, 1)],
        ),
        ([], h(CLR, MEMBER, 0), 11, 0, [seats_full(CLR, 0)]),
        ([], h(CLR, CHAIR, 0), 11, 6, [CHAIR_NOT_RESIDENT]),
        ([h(RES, CHAIR, -10)], h(RES, CHAIR, 0), 11, 6, [role_taken(CHAIR)]),
        ([h(CLR, SEC, -10)], h(RES, SEC, 0), 11, 6, [role_taken(SEC)]),
        ([h(RES, SEC, -10)], h(CLR, SEC, 0), 11, 6, [role_taken(SEC)]),
        ([h(RES, CHAIR, -400, -1)], h(RES, CHAIR, 0), 11, 6, []),
        ([h(RES, CHAIR, -400, 0)], h(RES, CHAIR, 0), 11, 6, []),
        ([h(RES, CHAIR, 100)], h(RES, CHAIR, 0, 200), 11, 6, [role_taken(CHAIR)]),
        ([h(RES, CHAIR, -10)], h(RES, SEC, 0), 11, 6, []),
        ([h(RES, MEMBER, -10)] * 3, h(RES, MEMBER, 0), 11, 6, []),
        ([], h(RES, MEMBER, 0, 0), 11, 6, [ENDS_BEFORE_START]),
        ([], h(RES, MEMBER, 0, -1), 11, 6, [ENDS_BEFORE_START]),
        ([h(RES, CHAIR, -10)], h(CLR, CHAIR, 5, 5), 11, 0, [ENDS_BEFORE_START]),
        (
            [h(RES, CHAIR, -10), h(CLR, MEMBER, -10)],
            h(CLR, CHAIR, 0),
            11,
            1,
            [seats_full(CLR, 1), CHAIR_NOT_RESIDENT, role_taken(CHAIR)],
        ),
    ],
    ids=[
        "resident-seats-full",
        "councillor-seats-full",
        "other-kind-does-not-take-resident-seat",
        "other-kind-does-not-take-councillor-seat",
        "seat-freed-by-ended-membership",
        "seat-freed-on-the-day-new-starts",
        "seat-freed-only-the-day-after",
        "future-membership-overlaps",
        "future-membership-overlaps-open-new",
        "back-to-back-with-future-membership",
        "two-handovers-fit-two-seats",
        "two-handovers-refused-for-one-seat",
        "zero-councillor-seats-full",
        "councillor-as-chair",
        "second-current-chair",
        "second-secretary",
        "second-secretary-councillor",
        "chair-term-ended-new-chair-ok",
        "chair-term-ends-on-new-start-ok",
        "future-chair-overlaps",
        "chair-and-secretary-coexist",
        "members-have-no-role-limit",
        "ends-on-start",
        "ends-before-start",
        "ends-before-start-stops-other-checks",
        "all-three-problems-in-order",
    ],
)
def test_appointment_problems(
    holders: list[SeatHolder],
    new: SeatHolder,
    residents: int,
    councillors: int,
    expected: list[Problem],
) -> None:
    got = appointment_problems(holders, new, resident_seats=residents, councillor_seats=councillors)
    assert got == expected


def test_appointment_problems_accepts_a_generator() -> None:
    holders = (x for x in [h(RES, CHAIR, -10), h(RES, MEMBER, -10)])
    got = appointment_problems(holders, h(RES, CHAIR, 0), resident_seats=2, councillor_seats=0)
    assert got == [seats_full(RES, 2), role_taken(CHAIR)]


# --- seated counts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("holders", "on", "expected"),
    [
        ([], d(0), False),
        ([h(RES, MEMBER, -1)], d(0), True),
        ([h(RES, MEMBER, -1)] * 2 + [h(CLR, MEMBER, -1)] * 2, d(0), False),
        ([h(RES, MEMBER, -1)] * 3 + [h(CLR, MEMBER, -1)] * 2, d(0), True),
        (
            [h(RES, MEMBER, -1)] * 2 + [h(RES, MEMBER, -50, -1)] + [h(CLR, MEMBER, -1)] * 2,
            d(0),
            False,
        ),
        ([h(RES, MEMBER, -50, 0), h(CLR, MEMBER, -1)], d(0), False),
        ([h(RES, MEMBER, 0)], d(0), True),
        ([h(RES, MEMBER, -1), h(RES, MEMBER, 1), h(CLR, MEMBER, -1)], d(0), False),
        ([h(RES, MEMBER, -1), h(CLR, MEMBER, -50, -1)], d(0), True),
        ([h(RES, MEMBER, -1), h(CLR, MEMBER, 1)], d(0), True),
        ([h(RES, MEMBER, -1), h(CLR, MEMBER, 1)], d(1), False),
    ],
    ids=[
        "empty-council",
        "one-resident",
        "equal-counts",
        "three-to-two",
        "ended-resident-not-counted",
        "resident-ending-today-not-counted",
        "resident-starting-today-counted",
        "future-resident-not-counted",
        "ended-councillor-not-counted",
        "future-councillor-not-counted",
        "future-councillor-counted-once-started",
    ],
)
def test_residents_outnumber_councillors(
    holders: list[SeatHolder], on: date, expected: bool
) -> None:
    assert residents_outnumber_councillors(holders, on) is expected


def test_seat_counts() -> None:
    holders = [
        h(RES, CHAIR, -10),
        h(RES, MEMBER, -10, 0),
        h(RES, MEMBER, 0, 1),
        h(RES, MEMBER, 1),
        h(CLR, SEC, -10, 5),
        h(CLR, MEMBER, -3),
    ]
    assert seat_counts(holders, d(0)) == {RES: 2, CLR: 2}
    assert seat_counts(holders, d(1)) == {RES: 2, CLR: 2}
    assert seat_counts(holders, d(5)) == {RES: 2, CLR: 1}
    assert seat_counts(holders, d(-11)) == {RES: 0, CLR: 0}


# --- ending a membership ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "ends_on", "expected"),
    [
        (p(0, 30), d(10), [Problem("already-ended", "ends_on")]),
        (p(0, 30), d(-5), [Problem("already-ended", "ends_on")]),
        (p(0), d(-1), [ENDS_BEFORE_START]),
        (p(0), d(0), []),
        (p(0), d(1), []),
        (p(0), d(1000), []),
    ],
    ids=[
        "already-ended",
        "already-ended-wins-over-before-start",
        "before-start",
        "same-day-as-start-allowed",
        "day-after-start",
        "far-future",
    ],
)
def test_end_problems(period: Period, ends_on: date, expected: list[Problem]) -> None:
    assert end_problems(period, ends_on) == expected


# --- properties -------------------------------------------------------------------------------

# Every date lies in [BASE, BASE + HORIZON); after that nothing changes any more, so checking
# each day up to HORIZON covers open-ended periods too.
SPAN = 60
HORIZON = 2 * SPAN + 2
DAYS = [d(i) for i in range(-1, HORIZON)]

periods_st = st.builds(
    lambda start, length: Period(d(start), None if length is None else d(start + length)),
    st.integers(0, SPAN),
    st.one_of(st.none(), st.integers(1, SPAN)),
)
holders_st = st.builds(
    SeatHolder, st.sampled_from(list(Seat)), st.sampled_from(list(Role)), periods_st
)


def current_count(periods: list[Period], on: date) -> int:
    return sum(q.is_current(on) for q in periods)


@given(st.lists(periods_st, max_size=8), periods_st)
def test_max_concurrent_is_the_brute_force_peak(periods: list[Period], within: Period) -> None:
    got = max_concurrent(periods, within)
    assert 0 <= got <= len(periods)
    assert (got >= 1) is any(q.overlaps(within) for q in periods)
    brute = max(current_count(periods, day) for day in DAYS if within.is_current(day))
    assert got == brute


@given(st.lists(holders_st, max_size=8), holders_st, st.integers(0, 4))
def test_no_seats_full_means_seats_are_never_exceeded(
    holders: list[SeatHolder], new: SeatHolder, seats: int
) -> None:
    problems = appointment_problems(holders, new, resident_seats=seats, councillor_seats=seats)
    same_kind = [x.period for x in holders if x.seat is new.seat]
    new_days = [day for day in DAYS if new.period.is_current(day)]
    fits = all(current_count(same_kind, day) + 1 <= seats for day in new_days)
    assert ("seats-full" not in {pr.code for pr in problems}) is fits


@given(st.lists(holders_st, max_size=8), holders_st)
def test_no_role_taken_means_one_chair_and_one_secretary(
    holders: list[SeatHolder], new: SeatHolder
) -> None:
    problems = appointment_problems(holders, new, resident_seats=99, councillor_seats=99)
    codes = [pr.code for pr in problems]
    assert codes.count("role-taken") <= 1
    same_role = [x.period for x in holders if x.role is new.role]
    clash = any(current_count(same_role, day) >= 1 for day in DAYS if new.period.is_current(day))
    assert ("role-taken" in codes) is (new.role is not MEMBER and clash)
    assert ("chair-not-resident" in codes) is (new.role is CHAIR and new.seat is CLR)
    assert "seats-full" not in codes


@given(periods_st, periods_st)
def test_overlaps_is_symmetric(a: Period, b: Period) -> None:
    assert a.overlaps(b) is b.overlaps(a)
    assert a.overlaps(a) is True


@given(periods_st, periods_st)
def test_overlaps_iff_some_day_is_in_both(a: Period, b: Period) -> None:
    shared = any(a.is_current(day) and b.is_current(day) for day in DAYS)
    assert a.overlaps(b) is shared
