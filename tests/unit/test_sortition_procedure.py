"""The draw by lot's pure procedure (DOMAIN 7): canonical pool, seed order, quota-aware ranking,
replacement from the reserve list, the strata's shares."""

from __future__ import annotations

import hashlib
from collections import Counter
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkraad.sortition import procedure
from wijkraad.sortition.procedure import Entry, QuotaError


def pool(*strata: dict[str, str]) -> list[Entry]:
    return [
        Entry(i, dict(s), hashlib.sha256(f"code {i}".encode()).hexdigest())
        for i, s in enumerate(strata, start=1)
    ]


def districts(*names: str) -> list[Entry]:
    return pool(*({"wijk": name} for name in names))


def meets(entries, chosen, quotas) -> bool:
    strata = {e.position: e.strata for e in entries}
    for column, bounds in quotas.items():
        counts = Counter(strata[p][column] for p in chosen)
        for value, (low, high) in bounds.items():
            if not low <= counts[value] <= high:
                return False
    return True


# --- canonical forms -------------------------------------------------------------------------


def test_canonical_order_sorts_by_code_point_and_refuses_doubles():
    assert procedure.canonical_order(["b", "B", "a", "é", "10", "9"]) == [
        "10",
        "9",
        "B",
        "a",
        "b",
        "é",
    ]
    with pytest.raises(ValueError, match="twice"):
        procedure.canonical_order(["x", "y", "x"])


def test_the_pool_hash_is_the_hash_of_its_documented_bytes():
    entries = pool({"wijk": "Noord", "leeftijd": "16-30"}, {"wijk": "Zuid", "leeftijd": "61+"})
    expected = (
        '{"columns":["leeftijd","wijk"],"entries":['
        f'[1,"{entries[0].code_sha256}","16-30","Noord"],'
        f'[2,"{entries[1].code_sha256}","61+","Zuid"]]}}'
    ).encode()
    assert procedure.canonical_json(procedure.pool_document(entries)) == expected
    assert procedure.pool_sha256(entries) == hashlib.sha256(expected).hexdigest()


def test_the_pool_hash_changes_with_any_entry():
    entries = districts("Noord", "Zuid")
    changed = [entries[0], Entry(2, {"wijk": "Oost"}, entries[1].code_sha256)]
    assert procedure.pool_sha256(entries) != procedure.pool_sha256(changed)
    assert procedure.pool_sha256([]) == hashlib.sha256(b'{"columns":[],"entries":[]}').hexdigest()


@pytest.mark.parametrize(
    "entries",
    [
        [Entry(2, {}, "h")],  # positions start at 1
        [Entry(1, {}, "h"), Entry(3, {}, "h")],  # and leave no gap
        [Entry(1, {"a": "x"}, "h"), Entry(2, {"b": "x"}, "h")],  # every entry the same columns
    ],
)
def test_a_pool_out_of_order_has_no_hash(entries):
    with pytest.raises(ValueError):
        procedure.pool_sha256(entries)


def test_a_pool_document_reads_back_into_its_entries():
    entries = pool({"wijk": "Noord", "leeftijd": "16-30"}, {"wijk": "Zuid", "leeftijd": "61+"})
    assert procedure.entries_from_document(procedure.pool_document(entries)) == entries


@pytest.mark.parametrize(
    ("seed", "normal"),
    [
        ("  12 34\t56\n", "12 34 56"),
        ("Staatsloterij   10-12-2026:  0734", "Staatsloterij 10-12-2026: 0734"),
        ("cafe\u0301", "café"),  # NFC: e + combining acute is é
    ],
)
def test_seeds_are_normalised(seed, normal):
    assert procedure.normalise_seed(seed) == normal


@pytest.mark.parametrize("seed", ["", "   ", "\n\t"])
def test_an_empty_seed_is_refused(seed):
    with pytest.raises(ValueError):
        procedure.normalise_seed(seed)


def test_the_seed_order_is_the_documented_hash_order():
    seed = "4 6 1 3"
    keys = {p: hashlib.sha256(f"{seed}\n{p}".encode()).hexdigest() for p in range(1, 30)}
    assert procedure.seed_order(range(1, 30), " 4  6 1 3 ") == sorted(keys, key=keys.get)


def test_codes_are_hashed_as_typed_without_spaces_and_hyphens():
    assert procedure.code_sha256("abcd-efgh 2345") == procedure.code_sha256("ABCDEFGH2345")
    assert procedure.code_sha256("ABCDEFGH2345") == hashlib.sha256(b"ABCDEFGH2345").hexdigest()


# --- quotas ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("invite", "quotas", "reason"),
    [
        (0, {}, "positive"),
        (True, {}, "positive"),
        (3, {"wijk": {}}, "names no values"),
        (3, {"wijk": {"Noord": (2,)}}, "min, max"),
        (3, {"wijk": {"Noord": (2, 1)}}, "min <= max"),
        (3, {"wijk": {"Noord": (-1, 1)}}, "min <= max"),
        (3, {"wijk": {"Noord": (4, 5)}}, "more than 3"),
        (3, {"wijk": {"Noord": (2, 3), "Zuid": (2, 3)}}, "add up to 4"),
        (3, {"": {"Noord": (1, 1)}}, "non-empty"),
        (3, {"wijk": {"Noord": ("1", 2)}}, "whole numbers"),
    ],
)
def test_malformed_quotas_are_refused(invite, quotas, reason):
    with pytest.raises(QuotaError, match=reason):
        procedure.check_quota_shape(invite, quotas)


ELEVEN = districts(*["Noord"] * 10, *["Zuid"] * 30, *["Oost"] * 3)


@pytest.mark.parametrize(
    ("invite", "quotas", "reason"),
    [
        (44, {}, "43 eligible"),
        (11, {"buurt": {"Noord": (1, 2)}}, "not a column"),
        (11, {"wijk": {"West": (1, 2)}}, "no eligible person"),
        (11, {"wijk": {"Oost": (4, 5)}}, "meet the quotas"),
        (11, {"wijk": {"Noord": (0, 2), "Zuid": (0, 2), "Oost": (0, 3)}}, "meet the quotas"),
    ],
)
def test_quotas_the_pool_cannot_meet_are_refused(invite, quotas, reason):
    with pytest.raises(QuotaError, match=reason):
        procedure.check_quotas(ELEVEN, invite, quotas)
    with pytest.raises(QuotaError):
        procedure.rank(ELEVEN, "seed", invite, quotas)


def test_quotas_that_can_be_met_pass():
    procedure.check_quotas(ELEVEN, 11, {"wijk": {"Noord": (2, 4), "Zuid": (2, 4), "Oost": (2, 3)}})


def test_columns_together_can_make_quotas_unmeetable():
    # Each column alone is fine, together they ask for a Noord person aged 16-30: there is none.
    entries = pool(
        {"wijk": "Noord", "leeftijd": "61+"},
        {"wijk": "Zuid", "leeftijd": "16-30"},
        {"wijk": "Zuid", "leeftijd": "61+"},
    )
    quotas = {"wijk": {"Noord": (1, 1), "Zuid": (0, 0)}, "leeftijd": {"16-30": (1, 1)}}
    with pytest.raises(QuotaError, match="meet the quotas"):
        procedure.check_quotas(entries, 1, quotas)
    # and a search that must undo its first choice still finds the only way
    entries = pool(
        *[{"wijk": "Noord", "leeftijd": "61+"}] * 3,
        {"wijk": "Zuid", "leeftijd": "16-30"},
        {"wijk": "Noord", "leeftijd": "16-30"},
    )
    quotas = {"wijk": {"Noord": (2, 2)}, "leeftijd": {"16-30": (1, 1), "61+": (1, 1)}}
    for seed in map(str, range(30)):
        ranking = procedure.rank(entries, seed, 2, quotas)
        assert 5 in ranking[:2] and meets(entries, ranking[:2], quotas)


def test_the_search_undoes_a_choice_that_each_column_alone_allowed():
    # Taking a Noord person aged 16-30 first leaves each column satisfiable on its own (a Zuid
    # and an old person remain) but nobody who is both: the only way is Zuid-young + Noord-old.
    entries = pool(
        {"wijk": "Noord", "leeftijd": "jong"},
        {"wijk": "Noord", "leeftijd": "jong"},
        {"wijk": "Zuid", "leeftijd": "jong"},
        {"wijk": "Noord", "leeftijd": "oud"},
    )
    quotas = {
        "wijk": {"Noord": (1, 1), "Zuid": (1, 1)},
        "leeftijd": {"jong": (1, 1), "oud": (1, 1)},
    }
    firsts = set()
    for seed in map(str, range(40)):
        firsts.add(procedure.seed_order(range(1, 5), seed)[0])
        assert sorted(procedure.rank(entries, seed, 2, quotas)[:2]) == [3, 4]
    assert {1, 2} & firsts  # some seeds put a young Noord person first


# --- the ranking -----------------------------------------------------------------------------


def test_without_quotas_the_ranking_is_the_seed_order():
    entries = districts(*["Noord"] * 50)
    order = procedure.seed_order(range(1, 51), "dobbelstenen 3 5 2")
    assert procedure.rank(entries, "dobbelstenen 3 5 2", 11, {}) == order


def test_with_quotas_the_invited_are_the_first_in_seed_order_that_meet_them():
    entries = ELEVEN
    quotas = {"wijk": {"Noord": (2, 4), "Zuid": (2, 4), "Oost": (2, 3)}}
    seed = "Staatsloterij 10 december 2026"
    order = procedure.seed_order(range(1, 44), seed)
    ranking = procedure.rank(entries, seed, 11, quotas)
    invited = ranking[:11]
    assert meets(entries, invited, quotas)
    assert invited == [p for p in order if p in set(invited)]  # in seed order
    assert ranking[11:] == [p for p in order if p not in set(invited)]  # the reserve in order
    # Greedy by hand: take each person in seed order when at most 4 per district stay taken
    # and the minimums can still be reached with the slots left.
    taken: list[int] = []
    district = {e.position: e.strata["wijk"] for e in entries}
    for p in order:
        counts = Counter(district[q] for q in [*taken, p])
        missing = sum(max(0, low - counts[v]) for v, (low, _) in quotas["wijk"].items())
        if counts[district[p]] <= quotas["wijk"][district[p]][1] and missing <= 11 - len(taken) - 1:
            taken.append(p)
        if len(taken) == 11:
            break
    assert invited == taken


def test_values_without_a_quota_are_free():
    entries = districts(*["Noord"] * 5, *["Zuid"] * 5)
    for seed in map(str, range(20)):
        ranking = procedure.rank(entries, seed, 6, {"wijk": {"Noord": (1, 1)}})
        assert Counter(entries[p - 1].strata["wijk"] for p in ranking[:6]) == {
            "Noord": 1,
            "Zuid": 5,
        }


# --- replacement -----------------------------------------------------------------------------


def test_a_replacement_is_the_next_reserve_of_the_same_stratum():
    entries = districts("Noord", "Zuid", "Noord", "Zuid", "Noord", "Zuid")
    quotas = {"wijk": {"Noord": (1, 2), "Zuid": (1, 2)}}
    ranking = [1, 2, 4, 6, 3, 5]
    # 1 (Noord) leaves: 4 and 6 are Zuid; the first Noord on the reserve list is 3.
    assert procedure.next_reserve(entries, ranking, {1, 2}, 1, quotas, set()) == 3
    assert procedure.next_reserve(entries, ranking, {1, 2}, 1, quotas, {3}) == 5
    # no Noord left: a Zuid may come in when Zuid stays at most 2 and Noord at least 1
    assert procedure.next_reserve(entries, ranking, {1, 2, 3}, 1, quotas, {5}) == 4
    assert procedure.next_reserve(entries, ranking, {1, 2, 4}, 1, quotas, {3, 5}) is None
    assert procedure.next_reserve(entries, ranking, {1, 3}, 1, quotas, {5}) == 2
    assert procedure.next_reserve(entries, ranking, {1, 2}, 2, quotas, {4, 6}) is None


def test_without_quotas_a_replacement_is_simply_the_next_reserve():
    entries = districts(*["Noord"] * 6)
    ranking = [4, 2, 6, 1, 5, 3]
    assert procedure.next_reserve(entries, ranking, {4, 2}, 4, {}, set()) == 6
    assert procedure.next_reserve(entries, ranking, {2, 6}, 2, {}, {4}) == 1
    assert procedure.next_reserve(entries, ranking, {1, 2, 3, 4, 5}, 1, {}, {6}) is None


def test_shares_count_pool_and_drawn_per_value():
    entries = pool(
        {"wijk": "Noord", "leeftijd": "16-30"},
        {"wijk": "Noord", "leeftijd": "61+"},
        {"wijk": "Zuid", "leeftijd": "61+"},
    )
    assert procedure.shares(entries, [2, 3]) == {
        "leeftijd": {"16-30": {"pool": 1, "drawn": 0}, "61+": {"pool": 2, "drawn": 2}},
        "wijk": {"Noord": {"pool": 2, "drawn": 1}, "Zuid": {"pool": 1, "drawn": 1}},
    }
    assert procedure.shares([], []) == {}


# --- properties ------------------------------------------------------------------------------

VALUES = st.sampled_from(["a", "b", "c"])


@st.composite
def draws(draw, max_size=14):
    """A pool with 0 to 2 columns, a number to invite, and quotas that some set meets."""
    size = draw(st.integers(1, max_size))
    names = draw(st.sampled_from([[], ["wijk"], ["leeftijd", "wijk"]]))
    rows = [{n: draw(VALUES) for n in names} for _ in range(size)]
    entries = pool(*rows)
    invite = draw(st.integers(1, size))
    reference = draw(st.permutations(range(1, size + 1)))[:invite]
    quotas: dict[str, dict[str, tuple[int, int]]] = {}
    for name in draw(st.lists(st.sampled_from(names), unique=True)) if names else []:
        counts = Counter(rows[p - 1][name] for p in reference)
        present = sorted({row[name] for row in rows})
        chosen = draw(st.lists(st.sampled_from(present), min_size=1, unique=True))
        quotas[name] = {
            v: (max(0, counts[v] - draw(st.integers(0, 1))), counts[v] + draw(st.integers(0, 2)))
            for v in chosen
        }
    seed = draw(st.text(min_size=1, max_size=12).filter(lambda s: s.split()))
    return entries, invite, quotas, seed


@settings(max_examples=300, deadline=None)
@given(draws())
def test_every_ranking_is_a_permutation_whose_head_meets_the_quotas(case):
    entries, invite, quotas, seed = case
    procedure.check_quotas(entries, invite, quotas)
    ranking = procedure.rank(entries, seed, invite, quotas)
    assert sorted(ranking) == list(range(1, len(entries) + 1))
    assert meets(entries, ranking[:invite], quotas)
    assert procedure.rank(entries, seed, invite, quotas) == ranking  # deterministic
    assert procedure.rank(entries, f" {seed} ", invite, quotas) == ranking  # normalised
    document = procedure.pool_document(entries)
    assert procedure.entries_from_document(document) == entries
    shares = procedure.shares(entries, ranking[:invite])
    assert procedure.document_shares(document, ranking[:invite]) == shares
    assert sum(cell["drawn"] for cells in shares.values() for cell in cells.values()) == (
        invite * len(shares)
    )


def first_feasible(entries, order, invite, quotas):
    """The definition, by brute force: walk the seed order, take a person when some set of
    ``invite`` meeting the quotas holds everyone taken and otherwise only later persons."""
    taken: list[int] = []
    for k, p in enumerate(order):
        later = order[k + 1 :]
        need = invite - len(taken) - 1
        if need >= 0 and any(
            meets(entries, [*taken, p, *rest], quotas) for rest in combinations(later, need)
        ):
            taken.append(p)
    return taken


@settings(max_examples=150, deadline=None)
@given(draws(max_size=9))
def test_the_invited_are_exactly_the_documented_first_feasible_set(case):
    entries, invite, quotas, seed = case
    order = procedure.seed_order(range(1, len(entries) + 1), seed)
    expected = first_feasible(entries, order, invite, quotas)
    assert procedure.rank(entries, seed, invite, quotas)[:invite] == expected


@settings(max_examples=300, deadline=None)
@given(draws(), st.data())
def test_a_replacement_keeps_the_quotas(case, data):
    entries, invite, quotas, seed = case
    ranking = procedure.rank(entries, seed, invite, quotas)
    holding = set(ranking[:invite])
    leaving = data.draw(st.sampled_from(sorted(holding)))
    passed = set(data.draw(st.lists(st.sampled_from(ranking), max_size=3)))
    passed -= holding
    chosen = procedure.next_reserve(entries, ranking, holding, leaving, quotas, passed)
    free = [p for p in ranking if p not in holding | passed]
    keeping = [p for p in free if meets(entries, holding - {leaving} | {p}, quotas)]
    if chosen is None:
        assert keeping == []
        return
    assert chosen in free
    assert meets(entries, holding - {leaving} | {chosen}, quotas)
    strata = {e.position: [e.strata[n] for n in sorted(quotas)] for e in entries}
    same = [p for p in free if strata[p] == strata[leaving]]
    assert chosen == (same or keeping)[0]


def outcome(entries, invite, quotas) -> str | None:
    try:
        procedure.check_quotas(entries, invite, quotas)
    except QuotaError as error:
        return error.message
    return None


@settings(max_examples=300, deadline=None)
@given(draws(), st.data())
def test_whether_quotas_can_be_met_depends_on_the_strata_only(case, data):
    """The announcement checks the quotas on the pool's strata counted once (one entry per
    eligible person, no positions): the answer is the one for the pool in any order."""
    entries, invite, quotas, _ = case
    moved = {}  # bounds moved at random: some of these quotas cannot be met
    for column, values in quotas.items():
        moved[column] = {}
        for value, (low, high) in values.items():
            low += data.draw(st.integers(0, 2))
            moved[column][value] = (low, max(low, high - data.draw(st.integers(0, 1))))
    expected = outcome(entries, invite, moved)
    shuffled = data.draw(st.permutations(entries))
    assert outcome(shuffled, invite, moved) == expected
    counted = [Entry(0, entry.strata, "") for entry in sorted(entries, key=lambda e: str(e.strata))]
    assert outcome(counted, invite, moved) == expected
    if expected is None:  # and when they can be met, the ranking finds them
        assert meets(entries, procedure.rank(entries, "1", invite, moved)[:invite], moved)


def test_a_search_beyond_its_step_limit_is_refused_not_endless(monkeypatch):
    entries = pool(
        *[{"wijk": "Noord", "leeftijd": "jong"}] * 6,
        {"wijk": "Zuid", "leeftijd": "jong"},
        {"wijk": "Noord", "leeftijd": "oud"},
    )
    quotas = {
        "wijk": {"Noord": (1, 1), "Zuid": (1, 1)},
        "leeftijd": {"jong": (1, 1), "oud": (1, 1)},
    }
    seed = next(s for s in map(str, range(100)) if procedure.seed_order(range(1, 9), s)[0] <= 6)
    assert sorted(procedure.rank(entries, seed, 2, quotas)[:2]) == [7, 8]
    monkeypatch.setattr(procedure, "MAX_BACKTRACK_STEPS", 0)
    with pytest.raises(QuotaError, match="too intricate"):
        procedure.rank(entries, seed, 2, quotas)
