"""The pure rules of the attendance register: the quorum's number, when members may send
apologies themselves, and what "everyone present" makes of a register."""

from __future__ import annotations

import pytest

from wijkraad.meetings.rules import (
    MeetingStatus,
    Presence,
    everyone_present,
    has_quorum,
    may_send_apologies,
    quorum_needed,
)

P, N, A = Presence.PRESENT, Presence.ABSENT_WITH_NOTICE, Presence.ABSENT


@pytest.mark.parametrize(
    ("seated", "needed"), [(0, 1), (1, 1), (2, 2), (3, 2), (16, 9), (17, 9), (18, 10), (400, 201)]
)
def test_quorum_needed_is_the_least_number_that_makes_quorum(seated, needed):
    assert quorum_needed(seated) == needed
    assert has_quorum(seated, needed)
    assert seated == 0 or not has_quorum(seated, needed - 1)


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (MeetingStatus.DRAFT, False),  # not announced yet
        (MeetingStatus.PUBLISHED, True),
        (MeetingStatus.OPEN, False),  # the chair keeps the register in the room
        (MeetingStatus.CLOSED, False),
        (MeetingStatus.CANCELLED, False),
    ],
)
def test_apologies_only_for_a_published_meeting_not_yet_open(status, allowed):
    assert may_send_apologies(status) is allowed


@pytest.mark.parametrize(
    ("register", "expected"),
    [
        ({}, {1: P, 2: P, 3: P}),  # nobody on the register yet
        ({1: A, 2: P, 3: A}, {1: P, 2: P, 3: P}),
        ({1: N, 2: A}, {1: N, 2: P, 3: P}),  # who sent notice stays absent with notice
        ({1: N, 2: N, 3: N}, {1: N, 2: N, 3: N}),
        ({1: P, 9: A}, {1: P, 2: P, 3: P}),  # lines of members no longer seated are left
    ],
)
def test_everyone_present_keeps_who_sent_notice(register, expected):
    assert everyone_present([1, 2, 3], register) == expected
