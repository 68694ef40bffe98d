"""Pure rules about motions: which status may follow which."""

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


FINAL = {MotionStatus.ADOPTED, MotionStatus.REJECTED, MotionStatus.WITHDRAWN}

MOVES: dict[MotionStatus, set[MotionStatus]] = {
    MotionStatus.DRAFT: {MotionStatus.SUBMITTED, MotionStatus.WITHDRAWN},
    MotionStatus.SUBMITTED: {MotionStatus.SCHEDULED, MotionStatus.WITHDRAWN, MotionStatus.VOTING},
    MotionStatus.SCHEDULED: {MotionStatus.VOTING, MotionStatus.WITHDRAWN, MotionStatus.ADOPTED},
    # A round that decides nothing (invalid) sends the motion back to scheduled.
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


def may_move(current: MotionStatus, target: MotionStatus) -> bool:
    return target in MOVES[current]


def votable(status: MotionStatus) -> bool:
    return status in (MotionStatus.SUBMITTED, MotionStatus.SCHEDULED)


def open_amendments_block(amendment_statuses: list[MotionStatus]) -> bool:
    """Amendments are voted before their motion: any undecided amendment blocks the vote."""
    return any(s not in FINAL and s is not MotionStatus.POSTPONED for s in amendment_statuses)
