"""Bar charts of a budget, as numbers for server-rendered SVG: per line a bar as long as its
allocation (the longest line fills the width), split into spent, committed but not yet spent,
and remaining. Pure: no Flask, no database."""

from __future__ import annotations

from dataclasses import dataclass

from wijkraad.budget.rules import Figures, share

WIDTH = 600  # user units of the drawing's bar area
ROW = 28  # height of a row, bar and gap


@dataclass(frozen=True)
class Bar:
    y: int
    spent: int  # width of each segment, from the left
    committed: int  # committed and not (yet) spent
    remaining: int
    figures: Figures

    @property
    def committed_x(self) -> int:
        return self.spent

    @property
    def remaining_x(self) -> int:
        return self.spent + self.committed


def bars(figures: list[Figures], width: int = WIDTH, row: int = ROW) -> list[Bar]:
    longest = max((f.allocated_cents for f in figures), default=0)
    result = []
    for index, f in enumerate(figures):
        whole = share(f.allocated_cents, longest, width)
        spent = share(f.spent_cents, longest, width)
        held = share(f.committed_cents, longest, width)
        committed = max(0, held - spent)
        remaining = max(0, whole - spent - committed)
        result.append(Bar(index * row, spent, committed, remaining, f))
    return result


def height(count: int, row: int = ROW) -> int:
    return max(1, count) * row
