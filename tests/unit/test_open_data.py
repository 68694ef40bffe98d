"""The pure parts of the open data: the Popolo document of a record, the check that decides its
vote events again, the CSV's cells, the ODS codes, shortened texts."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijkraad.councils.queries import CouncilSummary
from wijkraad.councils.rules import DecisionRule, Role, Seat
from wijkraad.motions.rules import Requirement
from wijkraad.publishing import exports, ods, verify
from wijkraad.publishing.popolo import popolo_document
from wijkraad.publishing.record import (
    CouncilRecord,
    RecordMember,
    RecordMotion,
    RecordRound,
)
from wijkraad.publishing.vocabulary import clip
from wijkraad.voting.rules import Choice, GroupCounts, Outcome, RoundMode, Tally, decide

NOW = datetime(2026, 5, 4, 17, 30, tzinfo=UTC)


def council(rule: DecisionRule) -> CouncilSummary:
    return CouncilSummary(1, "oost", "Wijkraad Oost", "Groningen", "", 11, 6, rule, False, "OST")


def member(mid: int, seat: Seat) -> RecordMember:
    return RecordMember(mid, f"resident/{mid}", None, seat, Role.MEMBER, date(2026, 1, 1), None)


def record_with(
    rule: DecisionRule,
    requirement: Requirement,
    tally: Tally,
    outcome: Outcome,
    *,
    entitled: int,
    all_present: bool,
    earlier_tie: bool,
) -> CouncilRecord:
    motion = RecordMotion(7, 3, 2, "Bankjes", "De wijkraad besluit.", requirement, NOW, None)
    seated = tuple(range(1, 18))
    vote_round = RecordRound(
        id=9,
        motion_id=7,
        meeting_id=2,
        mode=RoundMode.ANALOG,
        opened_at=NOW,
        closed_at=NOW,
        outcome=outcome,
        reason="",
        tally=tally,
        seated=seated,
        present=seated if all_present else seated[1:],
        entitled=seated[:entitled],
        votes=(),
        earlier_tie=earlier_tie,
        decision_id=None,
    )
    members = tuple(member(i, Seat.RESIDENT if i <= 11 else Seat.COUNCILLOR) for i in seated)
    return CouncilRecord(council(rule), members, (), (), (motion,), (vote_round,), ())


counts = st.builds(GroupCounts, *(st.integers(0, 9) for _ in range(3)))


@given(
    rule=st.sampled_from(DecisionRule),
    requirement=st.sampled_from(Requirement),
    residents=counts,
    councillors=counts,
    entitled=st.integers(0, 17),
    all_present=st.booleans(),
    earlier_tie=st.booleans(),
)
def test_an_export_verifies_exactly_when_it_states_what_the_rule_gives(
    rule, requirement, residents, councillors, entitled, all_present, earlier_tie
):
    tally = Tally(residents, councillors)
    facts = dict(entitled=entitled, all_present=all_present, earlier_tie=earlier_tie)
    verdict = decide(
        tally,
        rule=rule,
        requirement=requirement,
        entitled_present=entitled,
        all_seated_present=all_present,
        earlier_tie=earlier_tie,
    )
    right = popolo_document(record_with(rule, requirement, tally, verdict.outcome, **facts))
    assert verify.check_outcomes(right).differences == ()
    for outcome in set(Outcome) - {verdict.outcome}:
        wrong = popolo_document(record_with(rule, requirement, tally, outcome, **facts))
        found = verify.check_outcomes(wrong).differences
        assert found and {d.motion for d in found} == {"oost/motion/7"}


def test_a_named_round_lists_every_seated_member_and_absent_ones_as_such():
    tally = Tally(GroupCounts(1, 0, 0), GroupCounts(0, 1, 0))
    record = record_with(
        DecisionRule.COOPERATIVE,
        Requirement.MAJORITY,
        tally,
        Outcome.POSTPONED,
        entitled=2,
        all_present=False,
        earlier_tie=False,
    )
    vote_round = record.rounds[0]
    named = RecordRound(
        **{
            **vote_round.__dict__,
            "mode": RoundMode.NAMED,
            "votes": ((1, Choice.YES), (12, Choice.NO)),
        }
    )
    document = popolo_document(CouncilRecord(**{**record.__dict__, "rounds": (named,)}))
    (event,) = document["vote_events"]
    options = [v["option"] for v in event["votes"]]
    assert len(options) == 17 and options.count("absent") == 15
    assert {c["option"]: c["value"] for c in event["counts"]}["absent"] == 15
    assert verify.check_outcomes(document).differences == ()


@pytest.mark.parametrize(
    "document",
    [
        None,
        [],
        {"meta": []},
        {"meta": {"format": "popolo"}},
        {"meta": {"format": "popolo"}, "organizations": {}},
    ],
)
def test_what_is_no_export_is_refused_as_such(document):
    with pytest.raises(verify.MalformedExport):
        verify.check_outcomes(document)


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+31 6", "'+31 6"),
        ("-5 bankjes", "'-5 bankjes"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("Bankjes = fijn", "Bankjes = fijn"),
        (3, "3"),
        (None, ""),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_defused(value, cell):
    assert exports.safe_cell(value) == cell


def test_euros_for_a_dutch_spreadsheet():
    assert [exports.euros(c) for c in (None, 0, 5, 125_000, 123_456_789)] == [
        "",
        "0,00",
        "0,05",
        "1250,00",
        "1234567,89",
    ]


def test_ods_codes():
    def with_reason(outcome: Outcome, reason: str) -> RecordRound:
        record = record_with(
            DecisionRule.COOPERATIVE,
            Requirement.MAJORITY,
            Tally(GroupCounts(), GroupCounts()),
            outcome,
            entitled=0,
            all_present=True,
            earlier_tie=False,
        )
        return RecordRound(**{**record.rounds[0].__dict__, "reason": reason})

    assert ods.stemming_resultaat(with_reason(Outcome.ADOPTED, "majority")) == "voor"
    assert ods.stemming_resultaat(with_reason(Outcome.REJECTED, "majority-not-reached")) == "tegen"
    assert ods.stemming_resultaat(with_reason(Outcome.REJECTED, "tie-full-attendance")) == "gelijk"
    assert ods.stemming_resultaat(with_reason(Outcome.POSTPONED, "tie-postponed")) == "gelijk"
    assert ods.stemming_resultaat(with_reason(Outcome.INVALID, "participation-too-low")) is None
    assert ods.fractie_resultaat(GroupCounts(3, 0, 1)) == "aangenomen"
    assert ods.fractie_resultaat(GroupCounts(0, 2, 0)) == "verworpen"
    assert ods.fractie_resultaat(GroupCounts(1, 1, 0)) == "verdeeld"
    assert ods.fractie_resultaat(GroupCounts(0, 0, 4)) is None


@given(st.text(max_size=600), st.integers(2, 300))
def test_clip_keeps_to_its_limit(text, limit):
    clipped = clip(text, limit)
    assert len(clipped) <= limit
    if len(" ".join(text.split())) <= limit:
        assert clipped == " ".join(text.split())
    else:
        assert clipped.endswith("…")
