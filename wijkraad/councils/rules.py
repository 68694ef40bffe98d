"""Pure rules about councils, seats and memberships (DOMAIN.md 3.1).

No Flask, no SQLAlchemy, no clock: the date is always an argument.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class Seat(StrEnum):
    RESIDENT = "resident"
    COUNCILLOR = "councillor"


class Role(StrEnum):
    CHAIR = "chair"
    SECRETARY = "secretary"
    MEMBER = "member"


class DecisionRule(StrEnum):
    COOPERATIVE = "cooperative"
    SIMPLE = "simple"


class MembershipStatus(StrEnum):
    """Where the invitation behind a membership stands. It never decides who is seated: a
    membership holds its seat from ``starts_on`` up to ``ends_on``, whatever its status.

    ``invited``: the link is not answered yet. ``accepted``: the account with the invited
    address confirmed the seat (an account made by the appointment, by choosing its password),
    and the membership is its own. ``declined``: whoever held the link refused the seat, which
    ended the membership then (on its first day when it had not started). ``withdrawn``: the
    appointer ended the membership before the link was answered. Memberships made before
    invitations existed are ``accepted``.
    """

    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


# How long a seat invitation link works; the appointer can make a new one after that.
INVITATION_DAYS = 14


# A sanity bound, not a policy: councils have 5 to 17 seats, but a resident panel (wijkpanel)
# of 400 drawn residents can be run as a council with the simple rule.
MAX_SEATS = 500
CODE_PATTERN = r"^[A-Z][A-Z0-9]{1,7}$"


def default_code(slug: str) -> str:
    """A decision prefix from the slug: initials of its parts, or its first three letters."""
    parts = [p for p in slug.upper().split("-") if p]
    code = "".join(p[0] for p in parts) if len(parts) >= 2 else (parts[0][:3] if parts else "")
    code = "".join(ch for ch in code if ch.isalnum())
    if not code or not code[0].isalpha():
        code = "W" + code
    return code[:8].ljust(2, "R")


SLUG_MAX = 40


@dataclass(frozen=True)
class Period:
    """A membership's time in its seat: from ``starts_on`` up to, not including, ``ends_on``."""

    starts_on: date
    ends_on: date | None = None

    def is_current(self, on: date) -> bool:
        return self.starts_on <= on and (self.ends_on is None or on < self.ends_on)

    @property
    def is_empty(self) -> bool:
        """A seat that never ran: it ended on its first day."""
        return self.ends_on is not None and self.ends_on <= self.starts_on

    def overlaps(self, other: Period) -> bool:
        if self.is_empty or other.is_empty:
            return False
        self_end = self.ends_on or date.max
        other_end = other.ends_on or date.max
        return self.starts_on < other_end and other.starts_on < self_end


@dataclass(frozen=True)
class SeatHolder:
    seat: Seat
    role: Role
    period: Period


@dataclass(frozen=True)
class Problem:
    """A refusal: a stable machine code, the field it concerns (if any), and its parameters."""

    code: str
    field: str | None = None
    params: tuple[tuple[str, object], ...] = ()


def council_seat_problems(
    rule: DecisionRule, resident_seats: int, councillor_seats: int
) -> list[Problem]:
    """What is wrong with a council's seat numbers, if anything."""
    problems = []
    if not 1 <= resident_seats <= MAX_SEATS:
        problems.append(Problem("seats-out-of-range", "resident_seats"))
    if not 0 <= councillor_seats <= MAX_SEATS:
        problems.append(Problem("seats-out-of-range", "councillor_seats"))
    if rule is DecisionRule.COOPERATIVE and resident_seats <= councillor_seats:
        problems.append(Problem("residents-not-majority", "resident_seats"))
    return problems


def max_concurrent(periods: Iterable[Period], within: Period) -> int:
    """The largest number of ``periods`` that hold at one moment inside ``within``."""
    events: list[tuple[date, int]] = []
    for p in periods:
        if not p.overlaps(within):
            continue
        start = max(p.starts_on, within.starts_on)
        events.append((start, 1))
        end = min(p.ends_on or date.max, within.ends_on or date.max)
        if end != date.max:
            events.append((end, -1))
    # An end and a start on the same day do not overlap: ends (-1) sort first.
    events.sort()
    current = peak = 0
    for _, step in events:
        current += step
        peak = max(peak, current)
    return peak


def appointment_problems(
    holders: Iterable[SeatHolder],
    new: SeatHolder,
    *,
    resident_seats: int,
    councillor_seats: int,
) -> list[Problem]:
    """Why ``new`` cannot join a council whose memberships are ``holders``.

    Seats of a kind are never exceeded at any moment of the new period; the chair is a
    resident; a council has one chair and one secretary at a time.
    """
    holders = list(holders)
    problems = []
    if new.period.ends_on is not None and new.period.ends_on <= new.period.starts_on:
        problems.append(Problem("ends-before-start", "ends_on"))
        return problems
    seats = resident_seats if new.seat is Seat.RESIDENT else councillor_seats
    same_kind = [h.period for h in holders if h.seat is new.seat]
    if max_concurrent(same_kind, new.period) + 1 > seats:
        problems.append(Problem("seats-full", "seat", (("seat", new.seat.value), ("seats", seats))))
    if new.role is Role.CHAIR and new.seat is not Seat.RESIDENT:
        problems.append(Problem("chair-not-resident", "role"))
    if new.role in (Role.CHAIR, Role.SECRETARY):
        same_role = [h.period for h in holders if h.role is new.role]
        if max_concurrent(same_role, new.period) >= 1:
            problems.append(Problem("role-taken", "role", (("role", new.role.value),)))
    return problems


def seat_counts(holders: Iterable[SeatHolder], on: date) -> dict[Seat, int]:
    counts = {Seat.RESIDENT: 0, Seat.COUNCILLOR: 0}
    for h in holders:
        if h.period.is_current(on):
            counts[h.seat] += 1
    return counts


def residents_outnumber_councillors(holders: Iterable[SeatHolder], on: date) -> bool:
    """Whether the seated residents outnumber the seated councillors on ``on`` (3.1)."""
    counts = seat_counts(holders, on)
    return counts[Seat.RESIDENT] > counts[Seat.COUNCILLOR]


def invitation_problem(status: MembershipStatus, expires_at: datetime, now: datetime) -> str | None:
    """Why a seat invitation can no longer be answered, if it cannot: answered, withdrawn or
    expired invitations are closed."""
    if status is not MembershipStatus.INVITED or now >= expires_at:
        return "seat-invite-closed"
    return None


def declined_ends_on(period: Period, today: date) -> date:
    """When a declined membership ends: on its first day if it has not started (a seat that
    never ran), else today; never later than the end it already had."""
    ends_on = max(period.starts_on, today)
    return ends_on if period.ends_on is None else min(ends_on, period.ends_on)


def end_problems(period: Period, ends_on: date, *, open_invitation: bool = False) -> list[Problem]:
    """Why a membership cannot end on ``ends_on``: only an end at or after its start, once.

    One whose invitation is still open may also end before the end it was appointed with:
    the appointer withdraws it.
    """
    if period.ends_on is not None and not (open_invitation and ends_on <= period.ends_on):
        return [Problem("already-ended", "ends_on")]
    if ends_on < period.starts_on:
        return [Problem("ends-before-start", "ends_on")]
    return []
