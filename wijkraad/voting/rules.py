"""Pure rules about vote rounds: opening a round, counting and deciding (DOMAIN.md 3.4-3.7).

No Flask, no SQLAlchemy, no clock, no I/O. Integer arithmetic only, so a verdict never depends
on float rounding.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from wijkraad.councils.rules import DecisionRule, Seat
from wijkraad.meetings.rules import has_quorum
from wijkraad.motions.rules import Requirement


class Choice(StrEnum):
    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"


class RoundMode(StrEnum):
    NAMED = "named"
    ANALOG = "analog"


class RoundStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


# A round opens once and closes once; a closed round stays closed (3.11).
ROUND_MOVES: dict[RoundStatus, set[RoundStatus]] = {
    RoundStatus.OPEN: {RoundStatus.CLOSED},
    RoundStatus.CLOSED: set(),
}


def round_may_move(current: RoundStatus, target: RoundStatus) -> bool:
    return target in ROUND_MOVES[current]


class Outcome(StrEnum):
    ADOPTED = "adopted"
    REJECTED = "rejected"
    POSTPONED = "postponed"
    INVALID = "invalid"


@dataclass(frozen=True)
class GroupCounts:
    """Yes, no and abstain counts of one group (or of everybody)."""

    yes: int = 0
    no: int = 0
    abstain: int = 0

    def __post_init__(self) -> None:
        for name in ("yes", "no", "abstain"):
            value = getattr(self, name)
            # bool is an int subclass; a True count is a bug upstream, not "1".
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a non-negative int, got {value!r}")

    @property
    def cast(self) -> int:
        """Everybody who took part: abstaining is participating (3.5)."""
        return self.yes + self.no + self.abstain

    def __add__(self, other: GroupCounts) -> GroupCounts:
        if not isinstance(other, GroupCounts):
            return NotImplemented
        return GroupCounts(self.yes + other.yes, self.no + other.no, self.abstain + other.abstain)

    def as_dict(self) -> dict[str, int]:
        return {"yes": self.yes, "no": self.no, "abstain": self.abstain}


@dataclass(frozen=True)
class Tally:
    """The counts of a round, split by seat: the residents' majority needs the split (3.6)."""

    residents: GroupCounts
    councillors: GroupCounts

    @property
    def total(self) -> GroupCounts:
        return self.residents + self.councillors

    def as_dict(self) -> dict[str, object]:
        return {
            "counts": self.total.as_dict(),
            "groups": {
                "residents": self.residents.as_dict(),
                "councillors": self.councillors.as_dict(),
            },
        }


def tally(votes: Iterable[tuple[Seat, Choice]]) -> Tally:
    """Count votes given as (seat, choice) pairs; unknown seats or choices raise ValueError."""
    counts = Counter((Seat(seat), Choice(choice)) for seat, choice in votes)

    def group(seat: Seat) -> GroupCounts:
        return GroupCounts(
            yes=counts[seat, Choice.YES],
            no=counts[seat, Choice.NO],
            abstain=counts[seat, Choice.ABSTAIN],
        )

    return Tally(residents=group(Seat.RESIDENT), councillors=group(Seat.COUNCILLOR))


@dataclass(frozen=True)
class RoundContext:
    """What the chair's screen knows when a vote round is about to open.

    ``present_*`` counts seated members on the attendance register; ``entitled_present_*``
    leaves out the members recused for this agenda item (3.3).
    """

    rule: DecisionRule
    meeting_open: bool
    is_follow_up: bool
    seated_residents: int
    seated_councillors: int
    present_residents: int
    present_councillors: int
    entitled_present_residents: int
    entitled_present_councillors: int
    round_already_open: bool
    amount_cents: int | None = None
    line_remaining_cents: int | None = None


def round_blockers(ctx: RoundContext) -> list[str]:
    """Every reason a vote round may not open now, as stable codes; empty means it may open."""
    blockers = []
    if not ctx.meeting_open:
        blockers.append("meeting-not-open")
    seated = ctx.seated_residents + ctx.seated_councillors
    present = ctx.present_residents + ctx.present_councillors
    if not has_quorum(seated, present, is_follow_up=ctx.is_follow_up):
        blockers.append("no-quorum")
    if ctx.rule is DecisionRule.COOPERATIVE:
        if ctx.seated_residents <= ctx.seated_councillors:
            blockers.append("residents-not-seated-majority")
        if ctx.entitled_present_residents <= ctx.entitled_present_councillors:
            blockers.append("no-resident-majority")
    if ctx.round_already_open:
        blockers.append("round-already-open")
    if (
        ctx.amount_cents is not None
        and ctx.line_remaining_cents is not None
        and ctx.amount_cents > ctx.line_remaining_cents
    ):
        blockers.append("budget-exceeded")
    return blockers


@dataclass(frozen=True)
class Verdict:
    """The outcome of a closed round and a stable code saying why."""

    outcome: Outcome
    reason: str

    @property
    def valid(self) -> bool:
        return self.outcome is not Outcome.INVALID


def _passes(counts: GroupCounts, requirement: Requirement) -> bool:
    # Abstentions are left out on purpose: they do not count as votes cast (3.6).
    if requirement is Requirement.TWO_THIRDS:
        # yes >= 2/3 of (yes + no), in integers. Nobody voting yes or no is not a
        # two-thirds majority (0 >= 0 would otherwise adopt on abstentions alone).
        return counts.yes + counts.no > 0 and counts.yes * 3 >= 2 * (counts.yes + counts.no)
    return counts.yes > counts.no


def decide(
    t: Tally,
    *,
    rule: DecisionRule,
    requirement: Requirement,
    entitled_present: int,
    all_seated_present: bool,
    earlier_tie: bool = False,
) -> Verdict:
    """Decide a closed round by 3.5 (participation), 3.7 (ties) and 3.6 (majorities).

    ``entitled_present`` is the number of present members entitled to vote on the item;
    ``earlier_tie`` says the motion was postponed for a tie before. A round in which everybody
    abstained is a tie (0 yes = 0 no) and follows 3.7 like any other tie.
    """
    if entitled_present < 0:
        raise ValueError(f"entitled_present must be non-negative, got {entitled_present!r}")
    total = t.total
    if total.cast * 2 <= entitled_present:
        return Verdict(Outcome.INVALID, "participation-too-low")
    # 3.7 comes before the majority tests, also under two-thirds: a tie is a tie.
    if total.yes == total.no:
        if all_seated_present:
            return Verdict(Outcome.REJECTED, "tie-full-attendance")
        if earlier_tie:
            return Verdict(Outcome.REJECTED, "second-tie")
        return Verdict(Outcome.POSTPONED, "tie-postponed")
    if not _passes(total, requirement):
        return Verdict(Outcome.REJECTED, "majority-not-reached")
    if rule is DecisionRule.COOPERATIVE and not _passes(t.residents, requirement):
        return Verdict(Outcome.REJECTED, "residents-majority-not-reached")
    return Verdict(Outcome.ADOPTED, "majority")


def passes(counts: GroupCounts, requirement: Requirement) -> bool:
    """Whether ``counts`` (of one group, or of everybody) reach the majority ``requirement``
    asks, abstentions left out (3.6): what a group's result in the open data says."""
    return _passes(counts, requirement)
