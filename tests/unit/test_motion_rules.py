"""Which status of a motion may follow which (motions/rules.py), and a round's one move."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijkraad.motions.rules import FINAL, MotionStatus, may_move, votable
from wijkraad.voting.rules import RoundStatus, round_may_move

S = MotionStatus

# Every move the domain allows; any pair not listed is refused.
ALLOWED = {
    (S.DRAFT, S.SUBMITTED),
    (S.DRAFT, S.WITHDRAWN),
    (S.SUBMITTED, S.SCHEDULED),
    (S.SUBMITTED, S.VOTING),
    (S.SUBMITTED, S.WITHDRAWN),
    (S.SCHEDULED, S.VOTING),
    (S.SCHEDULED, S.WITHDRAWN),
    (S.VOTING, S.ADOPTED),
    (S.VOTING, S.REJECTED),
    (S.VOTING, S.POSTPONED),
    (S.VOTING, S.SCHEDULED),  # a round that decided nothing
    (S.POSTPONED, S.SCHEDULED),
    (S.POSTPONED, S.WITHDRAWN),
}
# A formality nobody asked a vote on is adopted from the agenda, without a vote (3.8).
WITHOUT_A_VOTE = {(S.SUBMITTED, S.ADOPTED), (S.SCHEDULED, S.ADOPTED)}


@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("target", list(S))
def test_the_table_of_moves(current, target):
    assert may_move(current, target) is ((current, target) in ALLOWED)
    assert may_move(current, target, formality=True) is (
        (current, target) in ALLOWED | WITHOUT_A_VOTE
    )


@given(st.sampled_from(list(FINAL)), st.sampled_from(list(S)), st.booleans())
def test_a_decided_or_withdrawn_motion_never_moves(current, target, formality):
    assert not may_move(current, target, formality=formality)


@given(st.sampled_from(list(S)), st.booleans())
def test_only_a_vote_rejects_and_only_a_vote_or_a_formality_adopts(current, formality):
    assert may_move(current, S.REJECTED, formality=formality) is (current is S.VOTING)
    assert may_move(current, S.ADOPTED, formality=formality) is (
        current is S.VOTING or (formality and votable(current))
    )


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (RoundStatus.OPEN, RoundStatus.CLOSED, True),
        (RoundStatus.CLOSED, RoundStatus.CLOSED, False),
        (RoundStatus.CLOSED, RoundStatus.OPEN, False),
        (RoundStatus.OPEN, RoundStatus.OPEN, False),
    ],
)
def test_a_round_closes_once(current, target, allowed):
    assert round_may_move(current, target) is allowed
