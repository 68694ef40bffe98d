"""Pure rules about motions: which status may follow which, and the majority one needs."""

from __future__ import annotations

from enum import StrEnum


class MotionStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    SCHEDULED = "scheduled"
    VOTING = "voting"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    POSTPONED = "postponed"
    WITHDRAWN = "withdrawn"


class Requirement(StrEnum):
    """The majority a motion needs to be adopted (3.6)."""

    MAJORITY = "majority"
    TWO_THIRDS = "two_thirds"


FINAL = {MotionStatus.ADOPTED, MotionStatus.REJECTED, MotionStatus.WITHDRAWN}

# Which status may follow which. A vote goes through VOTING: it opens on a submitted or
# scheduled motion and ends adopted, rejected, postponed (a tie), or scheduled again (a round
# that decided nothing).
MOVES: dict[MotionStatus, set[MotionStatus]] = {
    MotionStatus.DRAFT: {MotionStatus.SUBMITTED, MotionStatus.WITHDRAWN},
    MotionStatus.SUBMITTED: {MotionStatus.SCHEDULED, MotionStatus.VOTING, MotionStatus.WITHDRAWN},
    MotionStatus.SCHEDULED: {MotionStatus.VOTING, MotionStatus.WITHDRAWN},
    MotionStatus.VOTING: {
        MotionStatus.ADOPTED,
        MotionStatus.REJECTED,
        MotionStatus.POSTPONED,
        MotionStatus.SCHEDULED,
    },
    MotionStatus.POSTPONED: {MotionStatus.SCHEDULED, MotionStatus.WITHDRAWN},
    MotionStatus.ADOPTED: set(),
    MotionStatus.REJECTED: set(),
    MotionStatus.WITHDRAWN: set(),
}

# A formality (hamerstuk) is adopted without a vote unless a member asks for one (3.8): from the
# agenda straight to adopted, which only a formality nobody asked a vote on may do.
WITHOUT_A_VOTE: dict[MotionStatus, set[MotionStatus]] = {
    MotionStatus.SUBMITTED: {MotionStatus.ADOPTED},
    MotionStatus.SCHEDULED: {MotionStatus.ADOPTED},
}


def may_move(current: MotionStatus, target: MotionStatus, *, formality: bool = False) -> bool:
    """Whether ``target`` may follow ``current``. ``formality``: the motion is on a formality
    and no member asked for a vote on it."""
    return target in MOVES[current] or (formality and target in WITHOUT_A_VOTE.get(current, set()))


class FormalityState(StrEnum):
    """Where a formality item stands, for the chair's gavel and the members' request."""

    GAVEL = "gavel"  # no motion on it yet: the gavel on the item makes and adopts one
    MOTION = "motion"  # its motion is there: the gavel (or a vote) goes on that motion
    ASKED = "asked"  # a member asked for a vote: it goes the way of a vote
    DECIDED = "decided"


def formality_state(motions: list[tuple[MotionStatus, bool]]) -> FormalityState:
    """From the (status, vote requested) of the item's motions that amend nothing. Drafts and
    withdrawn motions do not count: the item is then as if it had none."""
    live = [
        (s, asked) for s, asked in motions if s not in (MotionStatus.DRAFT, MotionStatus.WITHDRAWN)
    ]
    if any(s in (MotionStatus.ADOPTED, MotionStatus.REJECTED) for s, _ in live):
        return FormalityState.DECIDED
    if any(asked for _, asked in live):
        return FormalityState.ASKED
    return FormalityState.MOTION if live else FormalityState.GAVEL


def votable(status: MotionStatus) -> bool:
    return status in (MotionStatus.SUBMITTED, MotionStatus.SCHEDULED)


def open_amendments_block(amendment_statuses: list[MotionStatus]) -> bool:
    """Amendments are voted before their motion: any undecided amendment blocks the vote."""
    return any(s not in FINAL and s is not MotionStatus.POSTPONED for s in amendment_statuses)
