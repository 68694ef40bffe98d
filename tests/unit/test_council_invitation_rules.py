"""Seat invitations, ending memberships and the chair's seat: the pure rules and permission
predicates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from wijkraad.auth.actor import Actor, CouncilSeat
from wijkraad.councils import permissions
from wijkraad.councils.rules import (
    MembershipStatus,
    Period,
    Role,
    Seat,
    declined_ends_on,
    end_problems,
    invitation_problem,
)

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


D = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("period", "today", "ends_on"),
    [
        (Period(D), D - timedelta(days=3), D),  # not started: a seat that never ran
        (Period(D), D, D),  # declined on its first day
        (Period(D), D + timedelta(days=10), D + timedelta(days=10)),  # it ran until today
        (Period(D, D + timedelta(days=5)), D + timedelta(days=10), D + timedelta(days=5)),
        (Period(D, D + timedelta(days=30)), D + timedelta(days=10), D + timedelta(days=10)),
    ],
)
def test_when_a_declined_membership_ends(period, today, ends_on):
    assert declined_ends_on(period, today) == ends_on


def test_a_seat_that_never_ran_overlaps_nothing():
    never = Period(D, D)
    assert never.is_empty
    assert not never.overlaps(Period(D - timedelta(days=1)))
    assert not Period(D - timedelta(days=1)).overlaps(never)
    assert Period(D, D + timedelta(days=1)).overlaps(Period(D - timedelta(days=1)))


@pytest.mark.parametrize(
    ("period", "ends_on", "open_invitation", "problems"),
    [
        (Period(D), D, False, []),
        (Period(D), D - timedelta(days=1), False, ["ends-before-start"]),
        (Period(D, D + timedelta(days=9)), D + timedelta(days=1), False, ["already-ended"]),
        # An invitation not yet answered is withdrawn, before the end it was appointed with.
        (Period(D, D + timedelta(days=9)), D + timedelta(days=1), True, []),
        (Period(D, D + timedelta(days=9)), D + timedelta(days=10), True, ["already-ended"]),
        (Period(D, D + timedelta(days=9)), D - timedelta(days=1), True, ["ends-before-start"]),
    ],
)
def test_when_a_membership_can_end(period, ends_on, open_invitation, problems):
    found = end_problems(period, ends_on, open_invitation=open_invitation)
    assert [p.code for p in found] == problems


@pytest.mark.parametrize(
    ("status", "expires_in", "problem"),
    [
        (MembershipStatus.INVITED, timedelta(days=1), None),
        (MembershipStatus.INVITED, timedelta(seconds=1), None),
        (MembershipStatus.INVITED, timedelta(0), "seat-invite-closed"),  # expired at that moment
        (MembershipStatus.INVITED, -timedelta(days=1), "seat-invite-closed"),
        (MembershipStatus.ACCEPTED, timedelta(days=1), "seat-invite-closed"),  # works once
        (MembershipStatus.DECLINED, timedelta(days=1), "seat-invite-closed"),
        (MembershipStatus.WITHDRAWN, timedelta(days=1), "seat-invite-closed"),
    ],
)
def test_when_an_invitation_can_be_answered(status, expires_in, problem):
    assert invitation_problem(status, NOW + expires_in, NOW) == problem


COUNCIL = 7
ADMIN = Actor(user_id=1, is_admin=True)
SECRETARY = Actor(user_id=2, seats={COUNCIL: CouncilSeat(20, Seat.RESIDENT, Role.SECRETARY)})
CHAIR = Actor(user_id=3, seats={COUNCIL: CouncilSeat(30, Seat.RESIDENT, Role.CHAIR)})
MEMBER = Actor(user_id=4, seats={COUNCIL: CouncilSeat(40, Seat.COUNCILLOR, Role.MEMBER)})
OTHER_SECRETARY = Actor(user_id=5, seats={8: CouncilSeat(50, Seat.RESIDENT, Role.SECRETARY)})


@pytest.mark.parametrize(
    ("actor", "role", "allowed"),
    [
        (ADMIN, Role.CHAIR, True),
        (ADMIN, Role.SECRETARY, True),
        (ADMIN, Role.MEMBER, True),
        (SECRETARY, Role.CHAIR, False),  # the chair's seat is the administrators'
        (SECRETARY, Role.SECRETARY, True),
        (SECRETARY, Role.MEMBER, True),
        (CHAIR, Role.CHAIR, False),  # stepping down goes through an administrator
        (CHAIR, Role.MEMBER, False),
        (MEMBER, Role.MEMBER, False),
        (OTHER_SECRETARY, Role.MEMBER, False),
        (Actor(), Role.MEMBER, False),
    ],
)
def test_who_may_give_or_end_a_role(actor, role, allowed):
    assert permissions.can_manage_role(actor, COUNCIL, role) is allowed
