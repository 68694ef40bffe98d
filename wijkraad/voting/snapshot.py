"""A round's snapshot: who was seated, present, recused and entitled when it opened, and, once a
named round closed, how each voted (DOMAIN.md 3.11).

Pure: no Flask, no SQLAlchemy. Stored as JSON on the round (``VoteRound.snapshot``) in the
format rounds have always had::

    {"seated": [{"id": 7, "seat": "resident", "name": "Anna Bakker"}, ...],
     "present": [7, ...], "absent_with_notice": [...], "recused": [...], "entitled": [7, ...],
     "votes": {"7": "yes", ...}}

``votes`` only for a closed named round; ids in ascending order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from wijkraad.councils.rules import Seat
from wijkraad.voting.rules import Choice


@dataclass(frozen=True)
class SeatedMember:
    id: int
    seat: Seat
    name: str


@dataclass(frozen=True)
class RoundSnapshot:
    seated: tuple[SeatedMember, ...] = ()
    present: tuple[int, ...] = ()
    absent_with_notice: tuple[int, ...] = ()
    recused: tuple[int, ...] = ()
    entitled: tuple[int, ...] = ()
    # How each member voted, by membership id: only once a named round has closed.
    votes: Mapping[int, Choice] | None = None

    @classmethod
    def taken(
        cls,
        seated: Iterable[SeatedMember],
        *,
        present: Iterable[int],
        absent_with_notice: Iterable[int],
        recused: Iterable[int],
    ) -> RoundSnapshot:
        """The snapshot of a round opening now: the recused count only among the seated, and
        who is present and not recused is entitled to vote (3.3)."""
        seated = tuple(seated)
        present, recused = set(present), set(recused)
        return cls(
            seated=seated,
            present=tuple(sorted(present)),
            absent_with_notice=tuple(sorted(absent_with_notice)),
            recused=tuple(sorted(recused & {m.id for m in seated})),
            entitled=tuple(sorted(present - recused)),
        )

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> RoundSnapshot:
        data = data or {}
        votes = data.get("votes")
        return cls(
            seated=tuple(
                SeatedMember(int(s["id"]), Seat(s["seat"]), str(s["name"]))
                for s in data.get("seated", [])
            ),
            present=tuple(int(i) for i in data.get("present", [])),
            absent_with_notice=tuple(int(i) for i in data.get("absent_with_notice", [])),
            recused=tuple(int(i) for i in data.get("recused", [])),
            entitled=tuple(int(i) for i in data.get("entitled", [])),
            votes=None if votes is None else {int(k): Choice(v) for k, v in votes.items()},
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "seated": [{"id": m.id, "seat": m.seat.value, "name": m.name} for m in self.seated],
            "present": list(self.present),
            "absent_with_notice": list(self.absent_with_notice),
            "recused": list(self.recused),
            "entitled": list(self.entitled),
        }
        if self.votes is not None:
            data["votes"] = {str(k): v.value for k, v in self.votes.items()}
        return data

    def with_votes(self, votes: Mapping[int, Choice]) -> RoundSnapshot:
        """The snapshot of the closed round: how each voted, as cast."""
        return replace(self, votes=dict(votes))

    @property
    def names(self) -> dict[int, str]:
        return {m.id: m.name for m in self.seated}

    def count(self, ids: Iterable[int], seat: Seat) -> int:
        """How many of ``ids`` sit on a ``seat`` seat."""
        seats = {m.id: m.seat for m in self.seated}
        return sum(1 for i in ids if seats.get(i) is seat)

    @property
    def all_seated_present(self) -> bool:
        return {m.id for m in self.seated} <= set(self.present)
