"""The round snapshot (voting/snapshot.py): typed, and stored as the JSON rounds always kept."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from wijkraad.councils.rules import Seat
from wijkraad.voting.rules import Choice
from wijkraad.voting.snapshot import RoundSnapshot, SeatedMember

# As a closed named round stored it before the snapshot had a type.
STORED = {
    "seated": [
        {"id": 3, "seat": "resident", "name": "Anna Bakker"},
        {"id": 5, "seat": "resident", "name": "Bram de Vries"},
        {"id": 8, "seat": "councillor", "name": "Lotte Meijer"},
    ],
    "present": [3, 5, 8],
    "absent_with_notice": [],
    "recused": [5],
    "entitled": [3, 8],
    "votes": {"3": "yes", "8": "abstain"},
}


def test_a_stored_snapshot_reads_typed_and_writes_back_the_same():
    snap = RoundSnapshot.from_json(STORED)
    assert snap.seated[2] == SeatedMember(8, Seat.COUNCILLOR, "Lotte Meijer")
    assert snap.entitled == (3, 8) and snap.recused == (5,)
    assert snap.votes == {3: Choice.YES, 8: Choice.ABSTAIN}
    assert snap.to_json() == STORED
    assert json.loads(json.dumps(snap.to_json())) == STORED


def test_an_open_or_analog_round_keeps_no_votes():
    stored = {k: v for k, v in STORED.items() if k != "votes"}
    snap = RoundSnapshot.from_json(stored)
    assert snap.votes is None
    assert snap.to_json() == stored


def test_what_a_snapshot_tells():
    snap = RoundSnapshot.from_json(STORED)
    assert snap.names == {3: "Anna Bakker", 5: "Bram de Vries", 8: "Lotte Meijer"}
    assert snap.count(snap.entitled, Seat.RESIDENT) == 1
    assert snap.count(snap.present, Seat.RESIDENT) == 2
    assert snap.all_seated_present
    assert not RoundSnapshot.from_json({**STORED, "present": [3, 5]}).all_seated_present
    assert RoundSnapshot.from_json(None) == RoundSnapshot()


def test_the_present_who_are_not_recused_are_entitled():
    seated = [SeatedMember(1, Seat.RESIDENT, "A"), SeatedMember(2, Seat.COUNCILLOR, "B")]
    snap = RoundSnapshot.taken(seated, present={2, 1}, absent_with_notice=(), recused={2, 9})
    assert snap.present == (1, 2)
    assert snap.recused == (2,)  # only the seated
    assert snap.entitled == (1,)


members = st.lists(
    st.builds(SeatedMember, st.integers(1, 10**6), st.sampled_from(Seat), st.text(max_size=20)),
    max_size=8,
    unique_by=lambda m: m.id,
)
ids = st.lists(st.integers(1, 10**6), max_size=8, unique=True).map(lambda i: tuple(sorted(i)))


@given(
    members,
    ids,
    ids,
    ids,
    ids,
    st.none() | st.dictionaries(st.integers(1, 10**6), st.sampled_from(Choice), max_size=8),
)
def test_a_snapshot_survives_its_json(seated, present, notice, recused, entitled, votes):
    snap = RoundSnapshot(tuple(seated), present, notice, recused, entitled, votes)
    assert RoundSnapshot.from_json(json.loads(json.dumps(snap.to_json()))) == snap
