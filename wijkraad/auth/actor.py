"""Who is acting, as plain data, so permission predicates stay pure."""

from __future__ import annotations

from dataclasses import dataclass, field

from wijkraad.councils.rules import Role, Seat


@dataclass(frozen=True)
class CouncilSeat:
    membership_id: int
    seat: Seat
    role: Role


@dataclass(frozen=True)
class Actor:
    user_id: int | None = None
    is_admin: bool = False
    person_id: int | None = None
    # The actor's current seats, by council id.
    seats: dict[int, CouncilSeat] = field(default_factory=dict)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def role_in(self, council_id: int) -> Role | None:
        seat = self.seats.get(council_id)
        return seat.role if seat else None

    def is_member_of(self, council_id: int) -> bool:
        return council_id in self.seats


ANONYMOUS = Actor()
