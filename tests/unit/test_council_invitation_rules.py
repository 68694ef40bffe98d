"""Seat invitations and the chair's seat: the pure rules and permission predicates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from wijkraad.auth.actor import Actor, CouncilSeat
from wijkraad.councils import permissions
from wijkraad.councils.rules import MembershipStatus, Role, Seat, invitation_problem

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "holds"),
    [
        (MembershipStatus.INVITED, True),  # reserved: nobody else gets the seat meanwhile
        (MembershipStatus.ACCEPTED, True),
        (MembershipStatus.DECLINED, False),
        (MembershipStatus.WITHDRAWN, False),
    ],
)
def test_which_memberships_hold_their_seat(status, holds):
    assert status.holds_seat is holds


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
