"""The decision rules of a vote round (DOMAIN.md 3.2-3.7), without app or database."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijkraad.councils.rules import DecisionRule, Seat
from wijkraad.meetings.rules import has_quorum
from wijkraad.motions.rules import Requirement
from wijkraad.voting.rules import (
    Choice,
    GroupCounts,
    Outcome,
    RoundContext,
    Tally,
    Verdict,
    decide,
    round_blockers,
    tally,
)

COOP = DecisionRule.COOPERATIVE
SIMPLE = DecisionRule.SIMPLE
MAJ = Requirement.MAJORITY
TWO = Requirement.TWO_THIRDS

# Groningen: 11 resident seats and 6 councillor seats.
SEATED = 17

REASONS = {
    "participation-too-low",
    "majority",
    "majority-not-reached",
    "residents-majority-not-reached",
    "tie-full-attendance",
    "tie-postponed",
    "second-tie",
}


def t(residents: tuple[int, int, int], councillors: tuple[int, int, int]) -> Tally:
    """A tally from (yes, no, abstain) per group."""
    return Tally(GroupCounts(*residents), GroupCounts(*councillors))


# --- counting ---------------------------------------------------------------------------------


def test_tally_counts_per_group_and_in_total():
    votes = [
        (Seat.RESIDENT, Choice.YES),
        (Seat.RESIDENT, Choice.YES),
        (Seat.RESIDENT, Choice.ABSTAIN),
        (Seat.COUNCILLOR, Choice.NO),
        (Seat.COUNCILLOR, Choice.YES),
    ]
    result = tally(votes)
    assert result.residents == GroupCounts(yes=2, no=0, abstain=1)
    assert result.councillors == GroupCounts(yes=1, no=1, abstain=0)
    assert result.total == GroupCounts(yes=3, no=1, abstain=1)
    assert result.total.cast == 5
    assert result.as_dict() == {
        "counts": {"yes": 3, "no": 1, "abstain": 1},
        "groups": {
            "residents": {"yes": 2, "no": 0, "abstain": 1},
            "councillors": {"yes": 1, "no": 1, "abstain": 0},
        },
    }


def test_tally_of_no_votes_is_all_zero():
    assert tally([]) == t((0, 0, 0), (0, 0, 0))


def test_tally_accepts_plain_strings_and_refuses_unknown_choices():
    assert tally([("resident", "no")]).residents == GroupCounts(no=1)
    with pytest.raises(ValueError):
        tally([(Seat.RESIDENT, "absent")])


@pytest.mark.parametrize(
    "kwargs",
    [{"yes": -1}, {"no": -3}, {"abstain": 1.0}, {"yes": True}, {"no": "2"}],
    ids=["negative-yes", "negative-no", "float", "bool", "string"],
)
def test_group_counts_refuse_anything_but_non_negative_ints(kwargs):
    with pytest.raises(ValueError):
        GroupCounts(**kwargs)


# --- quorum (3.2) -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seated", "present", "follow_up", "expected"),
    [
        (17, 8, False, False),
        (17, 9, False, True),
        (17, 17, False, True),
        (16, 8, False, False),
        (16, 9, False, True),
        (0, 0, False, False),
        (17, 1, True, True),
        (17, 0, True, True),
    ],
    ids=[
        "17-seated-8-present-no-quorum",
        "17-seated-9-present-quorum",
        "everybody-present",
        "even-exactly-half-no-quorum",
        "even-just-over-half-quorum",
        "no-members-no-quorum",
        "follow-up-one-present",
        "follow-up-none-present",
    ],
)
def test_has_quorum(seated, present, follow_up, expected):
    assert has_quorum(seated, present, is_follow_up=follow_up) is expected


# --- opening a round (3.1, 3.2, 3.4, budget) --------------------------------------------------

OPENABLE = RoundContext(
    rule=COOP,
    meeting_open=True,
    is_follow_up=False,
    seated_residents=11,
    seated_councillors=6,
    present_residents=10,
    present_councillors=5,
    entitled_present_residents=9,
    entitled_present_councillors=5,
    round_already_open=False,
)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, []),
        ({"meeting_open": False}, ["meeting-not-open"]),
        ({"present_residents": 5, "present_councillors": 3}, ["no-quorum"]),
        ({"present_residents": 6, "present_councillors": 3}, []),
        (
            {
                "is_follow_up": True,
                "present_residents": 1,
                "present_councillors": 0,
                "entitled_present_residents": 1,
                "entitled_present_councillors": 0,
            },
            [],
        ),
        (
            {
                "seated_residents": 6,
                "present_residents": 6,
                "entitled_present_residents": 6,
            },
            ["residents-not-seated-majority"],
        ),
        (
            {
                "rule": SIMPLE,
                "seated_residents": 6,
                "present_residents": 6,
                "entitled_present_residents": 6,
            },
            [],
        ),
        ({"entitled_present_residents": 5}, ["no-resident-majority"]),
        ({"rule": SIMPLE, "entitled_present_residents": 5}, []),
        ({"round_already_open": True}, ["round-already-open"]),
        ({"amount_cents": 10_001, "line_remaining_cents": 10_000}, ["budget-exceeded"]),
        ({"amount_cents": 10_000, "line_remaining_cents": 10_000}, []),
        ({"amount_cents": 10_000}, []),
        (
            {
                "meeting_open": False,
                "present_residents": 4,
                "present_councillors": 4,
                "entitled_present_residents": 4,
                "entitled_present_councillors": 4,
                "round_already_open": True,
                "amount_cents": 1,
                "line_remaining_cents": 0,
            },
            [
                "meeting-not-open",
                "no-quorum",
                "no-resident-majority",
                "round-already-open",
                "budget-exceeded",
            ],
        ),
    ],
    ids=[
        "may-open",
        "meeting-not-open",
        "8-of-17-present",
        "9-of-17-present",
        "follow-up-one-present",
        "vacancies-leave-residents-even",
        "vacancies-simple-rule",
        "recusals-leave-residents-even",
        "recusals-simple-rule",
        "round-already-open",
        "amount-over-remaining",
        "amount-exactly-remaining",
        "amount-without-line",
        "everything-wrong-in-order",
    ],
)
def test_round_blockers(changes, expected):
    assert round_blockers(replace(OPENABLE, **changes)) == expected


# --- deciding (3.5-3.7) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tally_", "rule", "requirement", "entitled", "full", "earlier_tie", "expected"),
    [
        # Full and partial attendance.
        (t((8, 2, 1), (4, 2, 0)), COOP, MAJ, 17, True, False, (Outcome.ADOPTED, "majority")),
        (t((5, 2, 0), (2, 1, 0)), COOP, MAJ, 12, False, False, (Outcome.ADOPTED, "majority")),
        (
            t((2, 6, 0), (3, 1, 0)),
            COOP,
            MAJ,
            12,
            False,
            False,
            (Outcome.REJECTED, "majority-not-reached"),
        ),
        # Ties.
        (
            t((6, 5, 0), (2, 3, 1)),
            COOP,
            MAJ,
            17,
            True,
            False,
            (Outcome.REJECTED, "tie-full-attendance"),
        ),
        (
            t((4, 3, 0), (1, 2, 0)),
            COOP,
            MAJ,
            12,
            False,
            False,
            (Outcome.POSTPONED, "tie-postponed"),
        ),
        (t((4, 3, 0), (1, 2, 0)), COOP, MAJ, 12, False, True, (Outcome.REJECTED, "second-tie")),
        (
            t((4, 3, 0), (1, 2, 0)),
            COOP,
            MAJ,
            17,
            True,
            True,
            (Outcome.REJECTED, "tie-full-attendance"),
        ),
        (t((5, 2, 0), (2, 1, 0)), COOP, MAJ, 12, False, True, (Outcome.ADOPTED, "majority")),
        (
            t((3, 3, 0), (1, 1, 0)),
            SIMPLE,
            MAJ,
            12,
            False,
            False,
            (Outcome.POSTPONED, "tie-postponed"),
        ),
        # Residents outvoted by councillors.
        (
            t((4, 6, 0), (6, 0, 0)),
            COOP,
            MAJ,
            17,
            True,
            False,
            (Outcome.REJECTED, "residents-majority-not-reached"),
        ),
        (t((4, 6, 0), (6, 0, 0)), SIMPLE, MAJ, 17, True, False, (Outcome.ADOPTED, "majority")),
        (
            t((5, 5, 0), (3, 0, 0)),
            COOP,
            MAJ,
            14,
            False,
            False,
            (Outcome.REJECTED, "residents-majority-not-reached"),
        ),
        (
            t((0, 0, 6), (3, 0, 0)),
            COOP,
            MAJ,
            12,
            False,
            False,
            (Outcome.REJECTED, "residents-majority-not-reached"),
        ),
        (t((0, 0, 6), (3, 0, 0)), SIMPLE, MAJ, 12, False, False, (Outcome.ADOPTED, "majority")),
        # Two-thirds.
        (t((5, 2, 0), (3, 2, 0)), COOP, TWO, 12, False, False, (Outcome.ADOPTED, "majority")),
        (
            t((5, 2, 0), (2, 2, 0)),
            COOP,
            TWO,
            12,
            False,
            False,
            (Outcome.REJECTED, "majority-not-reached"),
        ),
        (
            t((4, 3, 0), (6, 0, 0)),
            COOP,
            TWO,
            14,
            False,
            False,
            (Outcome.REJECTED, "residents-majority-not-reached"),
        ),
        (t((6, 3, 0), (2, 1, 0)), COOP, TWO, 12, False, False, (Outcome.ADOPTED, "majority")),
        (t((4, 3, 0), (6, 0, 0)), SIMPLE, TWO, 14, False, False, (Outcome.ADOPTED, "majority")),
        (
            t((4, 4, 0), (1, 1, 0)),
            COOP,
            TWO,
            12,
            False,
            False,
            (Outcome.POSTPONED, "tie-postponed"),
        ),
        (
            t((0, 0, 6), (4, 0, 0)),
            COOP,
            TWO,
            12,
            False,
            False,
            (Outcome.REJECTED, "residents-majority-not-reached"),
        ),
        # Abstentions: they make a round valid but do not count for the majority.
        (t((3, 2, 6), (1, 1, 3)), COOP, MAJ, 17, True, False, (Outcome.ADOPTED, "majority")),
        (
            t((3, 2, 0), (1, 1, 0)),
            COOP,
            MAJ,
            17,
            True,
            False,
            (Outcome.INVALID, "participation-too-low"),
        ),
        (
            t((1, 2, 6), (4, 0, 1)),
            COOP,
            MAJ,
            17,
            True,
            False,
            (Outcome.REJECTED, "residents-majority-not-reached"),
        ),
        # Recusals shrink the number of entitled members that participation is measured against.
        (t((4, 2, 0), (1, 0, 0)), COOP, MAJ, 12, False, False, (Outcome.ADOPTED, "majority")),
        (
            t((4, 2, 0), (1, 0, 0)),
            COOP,
            MAJ,
            14,
            False,
            False,
            (Outcome.INVALID, "participation-too-low"),
        ),
        # Participation: exactly half is too low, just over half is enough.
        (
            t((3, 1, 0), (1, 0, 0)),
            COOP,
            MAJ,
            10,
            False,
            False,
            (Outcome.INVALID, "participation-too-low"),
        ),
        (t((3, 1, 1), (1, 0, 0)), COOP, MAJ, 10, False, False, (Outcome.ADOPTED, "majority")),
        (
            t((3, 1, 0), (1, 0, 0)),
            COOP,
            MAJ,
            11,
            False,
            False,
            (Outcome.INVALID, "participation-too-low"),
        ),
        (t((4, 1, 0), (1, 0, 0)), COOP, MAJ, 11, False, False, (Outcome.ADOPTED, "majority")),
        (
            t((0, 0, 0), (0, 0, 0)),
            COOP,
            MAJ,
            0,
            False,
            False,
            (Outcome.INVALID, "participation-too-low"),
        ),
        # Everybody abstains: 0 yes = 0 no is a tie (3.7), never an adoption.
        (
            t((0, 0, 9), (0, 0, 5)),
            COOP,
            MAJ,
            17,
            False,
            False,
            (Outcome.POSTPONED, "tie-postponed"),
        ),
        (
            t((0, 0, 11), (0, 0, 6)),
            COOP,
            MAJ,
            17,
            True,
            False,
            (Outcome.REJECTED, "tie-full-attendance"),
        ),
        (
            t((0, 0, 9), (0, 0, 5)),
            SIMPLE,
            TWO,
            17,
            False,
            True,
            (Outcome.REJECTED, "second-tie"),
        ),
    ],
    ids=[
        "full-attendance-adopted",
        "partial-attendance-adopted",
        "partial-attendance-rejected",
        "tie-full-attendance-rejected",
        "tie-partial-attendance-postponed",
        "second-tie-rejected",
        "second-tie-in-full-attendance",
        "earlier-tie-then-majority-adopted",
        "tie-simple-rule-postponed",
        "residents-outvoted-rejected",
        "residents-outvoted-simple-rule-adopted",
        "residents-tied-rejected",
        "residents-all-abstain-rejected",
        "residents-all-abstain-simple-rule-adopted",
        "two-thirds-exactly-adopted",
        "two-thirds-just-under-rejected",
        "two-thirds-residents-under-rejected",
        "two-thirds-residents-exactly-adopted",
        "two-thirds-residents-under-simple-rule-adopted",
        "two-thirds-tie-postponed",
        "two-thirds-residents-all-abstain-rejected",
        "abstentions-make-round-valid",
        "same-votes-without-abstentions-invalid",
        "abstaining-residents-do-not-rescue",
        "recusals-valid",
        "fewer-recusals-invalid",
        "participation-exactly-half-invalid",
        "participation-just-over-half-valid",
        "participation-5-of-11-invalid",
        "participation-6-of-11-valid",
        "nobody-entitled-invalid",
        "everybody-abstains-postponed",
        "everybody-abstains-full-attendance-rejected",
        "everybody-abstains-again-second-tie",
    ],
)
def test_decide(tally_, rule, requirement, entitled, full, earlier_tie, expected):
    verdict = decide(
        tally_,
        rule=rule,
        requirement=requirement,
        entitled_present=entitled,
        all_seated_present=full,
        earlier_tie=earlier_tie,
    )
    assert (verdict.outcome, verdict.reason) == expected
    assert verdict.valid is (expected[0] is not Outcome.INVALID)


def test_decide_refuses_negative_entitled_present():
    with pytest.raises(ValueError):
        decide(
            t((1, 0, 0), (0, 0, 0)),
            rule=COOP,
            requirement=MAJ,
            entitled_present=-1,
            all_seated_present=False,
        )


# --- properties -------------------------------------------------------------------------------

counts = st.builds(
    GroupCounts,
    yes=st.integers(0, 30),
    no=st.integers(0, 30),
    abstain=st.integers(0, 30),
)
tallies = st.builds(Tally, residents=counts, councillors=counts)
situations = st.fixed_dictionaries(
    {
        "rule": st.sampled_from(DecisionRule),
        "requirement": st.sampled_from(Requirement),
        "entitled_present": st.integers(0, 150),
        "all_seated_present": st.booleans(),
        "earlier_tie": st.booleans(),
    }
)
votes = st.lists(st.tuples(st.sampled_from(Seat), st.sampled_from(Choice)), max_size=40)


def _with(base: Tally, seat: Seat, extra: GroupCounts) -> Tally:
    if seat is Seat.RESIDENT:
        return replace(base, residents=base.residents + extra)
    return replace(base, councillors=base.councillors + extra)


@given(votes=votes, situation=situations, data=st.data())
def test_outcome_does_not_depend_on_vote_order(votes, situation, data):
    shuffled = data.draw(st.permutations(votes))
    assert tally(shuffled) == tally(votes)
    assert decide(tally(shuffled), **situation) == decide(tally(votes), **situation)


@given(base=tallies, seat=st.sampled_from(Seat), situation=situations)
def test_one_more_yes_never_hurts_an_adopted_or_valid_round(base, seat, situation):
    before = decide(base, **situation)
    after = decide(_with(base, seat, GroupCounts(yes=1)), **situation)
    if before.outcome is Outcome.ADOPTED:
        assert after.outcome is Outcome.ADOPTED
    if before.valid:
        assert after.valid


@given(
    base=tallies,
    seat=st.sampled_from(Seat),
    abstentions=st.integers(1, 30),
    situation=situations,
)
def test_abstentions_do_not_change_a_valid_outcome(base, seat, abstentions, situation):
    before = decide(base, **situation)
    after = decide(_with(base, seat, GroupCounts(abstain=abstentions)), **situation)
    if before.valid and after.valid:
        assert after == before
    # More participation can only make a round valid, never invalid.
    if before.valid:
        assert after.valid


@given(
    base=st.builds(
        Tally,
        residents=st.builds(
            GroupCounts, st.integers(0, 10**12), st.integers(0, 10**12), st.integers(0, 10**12)
        ),
        councillors=st.builds(
            GroupCounts, st.integers(0, 10**12), st.integers(0, 10**12), st.integers(0, 10**12)
        ),
    ),
    rule=st.sampled_from(DecisionRule),
    requirement=st.sampled_from(Requirement),
    entitled_present=st.integers(0, 10**13),
    all_seated_present=st.booleans(),
    earlier_tie=st.booleans(),
)
def test_decide_never_raises_and_only_invalidates_low_participation(
    base, rule, requirement, entitled_present, all_seated_present, earlier_tie
):
    verdict = decide(
        base,
        rule=rule,
        requirement=requirement,
        entitled_present=entitled_present,
        all_seated_present=all_seated_present,
        earlier_tie=earlier_tie,
    )
    assert isinstance(verdict, Verdict)
    assert verdict.reason in REASONS
    assert (verdict.outcome is Outcome.INVALID) is (base.total.cast * 2 <= entitled_present)
    if verdict.outcome is Outcome.ADOPTED:
        assert base.total.yes > base.total.no
        if rule is DecisionRule.COOPERATIVE:
            assert base.residents.yes > base.residents.no
