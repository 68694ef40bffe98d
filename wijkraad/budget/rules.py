"""Pure rules of the neighbourhood budget (DOMAIN section 4): what a line has left, what may be
allocated, committed and spent, which execution status may follow which, and money in Dutch.

Money is integer cents throughout; nothing here touches a float.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class ExecutionStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


FINAL = {ExecutionStatus.DONE, ExecutionStatus.CANCELLED}

# Which status a progress note may set, from which. A note may keep the status (a dated update
# with an amount spent); done and cancelled are final.
MOVES: dict[ExecutionStatus, set[ExecutionStatus]] = {
    ExecutionStatus.PLANNED: {
        ExecutionStatus.PLANNED,
        ExecutionStatus.IN_PROGRESS,
        ExecutionStatus.DONE,
        ExecutionStatus.CANCELLED,
    },
    ExecutionStatus.IN_PROGRESS: {
        ExecutionStatus.IN_PROGRESS,
        ExecutionStatus.DONE,
        ExecutionStatus.CANCELLED,
    },
    ExecutionStatus.DONE: set(),
    ExecutionStatus.CANCELLED: set(),
}


def may_move(current: ExecutionStatus, target: ExecutionStatus) -> bool:
    return target in MOVES[current]


def counted_commitment(committed_cents: int, spent_cents: int, status: ExecutionStatus) -> int:
    """What a decision holds of its line: all it committed, or, once cancelled, only what was
    spent (the rest is released)."""
    return spent_cents if status is ExecutionStatus.CANCELLED else committed_cents


@dataclass(frozen=True)
class Execution:
    """One decision's money: committed on its line, spent so far, and its status."""

    committed_cents: int
    spent_cents: int = 0
    status: ExecutionStatus = ExecutionStatus.PLANNED

    @property
    def counted_cents(self) -> int:
        return counted_commitment(self.committed_cents, self.spent_cents, self.status)

    @property
    def spendable_cents(self) -> int:
        """What may still be spent: nothing once done or cancelled."""
        if self.status in FINAL:
            return 0
        return self.committed_cents - self.spent_cents


@dataclass(frozen=True)
class Figures:
    """A line's (or a whole budget's) money: allocated, committed (as counted), spent."""

    allocated_cents: int
    committed_cents: int
    spent_cents: int

    @property
    def remaining_cents(self) -> int:
        return self.allocated_cents - self.committed_cents

    @classmethod
    def of(cls, allocated_cents: int, executions: Iterable[Execution]) -> Figures:
        committed = spent = 0
        for execution in executions:
            committed += execution.counted_cents
            spent += execution.spent_cents
        return cls(allocated_cents, committed, spent)

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.allocated_cents + other.allocated_cents,
            self.committed_cents + other.committed_cents,
            self.spent_cents + other.spent_cents,
        )


NOTHING = Figures(0, 0, 0)


def allocation_fits(total_cents: int, allocated_cents: int, new_cents: int) -> bool:
    """Whether a new line of ``new_cents`` keeps the allocations within the year's total."""
    return new_cents >= 0 and allocated_cents + new_cents <= total_cents


def commitment_fits(line: Figures, amount_cents: int) -> bool:
    """Whether ``amount_cents`` fits what remains on the line (allocated - committed)."""
    return 0 <= amount_cents <= line.remaining_cents


def spending_fits(execution: Execution, spent_cents: int) -> bool:
    """Whether ``spent_cents`` more may be spent: never beyond what was committed."""
    return 0 <= spent_cents <= execution.spendable_cents


def broken_invariants(total_cents: int, lines: dict[str, tuple[int, list[Execution]]]) -> list[str]:
    """Every rule of DOMAIN section 4 that a budget breaks (empty: none). ``lines`` maps a
    line's code to its allocation and its decisions' executions."""
    broken = []
    if total_cents < 0:
        broken.append("total negative")
    allocated = sum(allocation for allocation, _ in lines.values())
    if allocated > total_cents:
        broken.append(f"allocations {allocated} exceed the total {total_cents}")
    for code, (allocation, executions) in lines.items():
        figures = Figures.of(allocation, executions)
        if allocation < 0:
            broken.append(f"{code}: allocation negative")
        if figures.committed_cents > allocation:
            broken.append(f"{code}: commitments {figures.committed_cents} exceed {allocation}")
        if figures.remaining_cents < 0:
            broken.append(f"{code}: remaining negative")
        for execution in executions:
            if not 0 <= execution.spent_cents <= execution.committed_cents:
                broken.append(f"{code}: spent {execution.spent_cents} beyond committed")
    return broken


def dutch_euros(cents: int) -> str:
    """Cents as the Netherlands write euros: "€ 1.234,56" (a non-breaking space after the
    sign, as Babel's Dutch format has it), "€ -12,50" below zero. Integer arithmetic only."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    grouped = f"{euros:,}".replace(",", ".")
    return f"€\u00a0{sign}{grouped},{rest:02d}"


def share(part: int, whole: int, width: int) -> int:
    """How many of ``width`` units ``part`` of ``whole`` takes, for a bar; 0 for no whole."""
    if whole <= 0 or part <= 0:
        return 0
    return min(width, (part * width + whole // 2) // whole)


def transfer_fits(source: Figures, amount_cents: int) -> bool:
    """Whether ``amount_cents`` may move away from the source line: only what is not committed
    there (its remaining), so that its commitments stay within its allocation."""
    return 0 < amount_cents <= source.remaining_cents


def may_top_up(status: ExecutionStatus | None) -> bool:
    """Whether a further decision may add money to an execution: not once done or cancelled,
    nor to a decision without one (``None``: it took no money)."""
    return status is not None and status not in FINAL
