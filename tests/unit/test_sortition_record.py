"""The public record of a draw: what it shows (no personal data), and that anyone can verify it
and that a record changed in any byte does not verify."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from wijkraad.sortition import procedure, record
from wijkraad.sortition import said as said_lines
from wijkraad.sortition.procedure import Entry

SEED = "Staatsloterij 10-12-2026: 0734 1298"
QUOTAS = {"wijk": {"Noord": (2, 4), "Zuid": (2, 4)}}


def entries(n=40) -> list[Entry]:
    return [
        Entry(
            i,
            {
                "wijk": ["Noord", "Zuid", "Oost"][i % 3],
                "leeftijd": ["16-30", "31-65", "66+"][i % 2],
            },
            procedure.code_sha256(f"CODE{i:04d}"),
        )
        for i in range(1, n + 1)
    ]


def facts(**changes) -> record.DrawFacts:
    pool = entries()
    values = {
        "id": 7,
        "council": "oosterpark",
        "purpose": "council",
        "status": "drawn",
        "invite": 11,
        "draw_on": "2026-12-10",
        "pool_size": 45,
        "entries": pool,
        "quotas": QUOTAS,
        "seed_source": "Staatsloterij, trekking van 10 december 2026",
        "seed": SEED,
        "ranking": procedure.rank(pool, SEED, 11, QUOTAS),
        "announced_at": "2026-12-02T11:00:00+00:00",
    }
    values.update(changes)
    return record.DrawFacts(**values)


def data(**changes) -> bytes:
    return record.dump(record.public_record(facts(**changes)))


def test_the_record_has_the_api_fields_and_the_pool_by_position_only():
    public = record.public_record(facts())
    assert set(public) >= {
        "id",
        "purpose",
        "status",
        "invite",
        "draw_on",
        "pool_size",
        "eligible",
        "pool_sha256",
        "procedure",
        "seed_source",
        "seed",
        "quotas",
        "ranking",
        "strata",
    }
    assert public["eligible"] == 40 and public["pool_size"] == 45
    assert public["procedure"] == procedure.PROCEDURE
    assert public["quotas"] == {"wijk": {"Noord": [2, 4], "Zuid": [2, 4]}}
    assert public["pool"]["columns"] == ["leeftijd", "wijk"]
    assert public["pool"]["entries"][0] == [1, procedure.code_sha256("CODE0001"), "31-65", "Zuid"]
    assert public["strata"]["wijk"]["Noord"]["pool"] == 13
    assert sum(v["drawn"] for v in public["strata"]["wijk"].values()) == 11
    assert (
        public["announcement_sha256"]
        == hashlib.sha256(
            procedure.canonical_json({name: public[name] for name in record.ANNOUNCED})
        ).hexdigest()
    )


def test_the_bytes_are_canonical_json():
    raw = data()
    assert raw == json.dumps(
        json.loads(raw), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode("utf-8")


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"status": "closed"},
        {"status": "announced", "seed": None, "ranking": None},
        {"status": "open", "seed": None, "ranking": None, "announced_at": None},
        {"quotas": {}, "ranking": procedure.rank(entries(), SEED, 11, {})},
        {"entries": [], "status": "open", "seed": None, "ranking": None, "announced_at": None},
    ],
    ids=["drawn", "closed", "announced", "open", "no-quotas", "open-without-pool"],
)
def test_a_true_record_verifies(changes):
    result = record.verify(data(**changes))
    assert result.ok, result.problems
    assert result.checked


def test_a_record_whose_ranking_is_not_the_seeds_does_not_verify():
    pool = entries()
    other = procedure.rank(pool, "another seed", 11, QUOTAS)
    result = record.verify(data(ranking=other))
    assert not result.ok
    assert "the ranking does not follow from the pool, the seed and the quotas" in result.problems


def test_an_announced_pool_that_cannot_meet_the_quotas_does_not_verify():
    result = record.verify(data(entries=[], status="announced", seed=None, ranking=None))
    assert not result.ok and "pool has 0 eligible" in result.problems[-1]


def test_a_status_that_contradicts_the_seed_does_not_verify():
    assert not record.verify(data(status="announced")).ok
    assert not record.verify(data(status="drawn", seed=None, ranking=None)).ok
    assert not record.verify(data(announced_at=None)).ok
    assert not record.verify(data(status="open", seed=None, ranking=None)).ok


def replace_once(raw: bytes, pattern: bytes, replacement: bytes) -> bytes:
    changed, count = re.subn(pattern, replacement, raw, count=1)
    assert count == 1 and changed != raw and len(changed) == len(raw)
    return changed


def flip_digit(match: re.Match) -> bytes:
    digit = match.group(1)
    return match.group(0)[:-1] + (b"1" if digit != b"1" else b"2")


@pytest.mark.parametrize(
    "change",
    [
        # a digit of the ranking
        lambda raw: replace_once(raw, rb'"ranking":\[\d*(\d)', flip_digit),
        # the last two of the ranking (the reserve list) swapped
        lambda raw: re.sub(rb",(\d+),(\d+)\],\"seed\"", rb',\2,\1],"seed"', raw, count=1),
        # a character of the seed
        lambda raw: raw.replace(b"0734", b"0735"),
        # a value of a stratum in the pool
        lambda raw: replace_once(raw, rb'"Noord"\]', b'"Noorx"]'),
        # a count in the strata's shares
        lambda raw: replace_once(raw, rb'"drawn":(\d)', flip_digit),
        # a code hash
        lambda raw: replace_once(raw, rb'\[1,"(.)', lambda m: m.group(0)[:-1] + b"0"),
        # whitespace: a space after a comma
        lambda raw: raw.replace(b',"id":', b', "id":', 1),
        # a trailing newline
        lambda raw: raw + b"\n",
        # the number to invite
        lambda raw: replace_once(raw, rb'"invite":11', b'"invite":12'),
        # the source of the seed
        lambda raw: raw.replace(b"trekking van", b"trekking ven"),
        # the quotas
        lambda raw: replace_once(raw, rb'"Noord":\[2,4\]', b'"Noord":[2,5]'),
        # the pool's size
        lambda raw: replace_once(raw, rb'"pool_size":45', b'"pool_size":46'),
        # the announcement's hash
        lambda raw: replace_once(
            raw,
            rb'"announcement_sha256":"(.)',
            lambda m: b'"announcement_sha256":"' + (b"a" if m.group(1) != b"a" else b"b"),
        ),
        # the draw's date
        lambda raw: raw.replace(b"2026-12-10", b"2026-12-11"),
        # a key's letter
        lambda raw: raw.replace(b'"purpose"', b'"purpOse"'),
        # an escaped character in place of its letter
        lambda raw: raw.replace(b'"oosterpark"', b'"\\u006fsterpark"'),
    ],
    ids=[
        "ranking-digit",
        "reserve-digit",
        "seed",
        "stratum-value",
        "share-count",
        "code-hash",
        "whitespace",
        "newline",
        "invite",
        "seed-source",
        "quotas",
        "pool-size",
        "announcement",
        "draw-on",
        "key",
        "escape",
    ],
)
def test_a_record_changed_anywhere_does_not_verify(change):
    raw = data()
    changed = change(raw)
    assert changed != raw
    result = record.verify(changed)
    assert not result.ok
    assert result.problems


def test_every_single_byte_changed_in_a_small_record_fails():
    pool = entries(6)
    quotas = {"wijk": {"Noord": (1, 2)}}
    raw = data(entries=pool, invite=3, quotas=quotas, ranking=procedure.rank(pool, SEED, 3, quotas))
    assert record.verify(raw).ok
    for at in range(len(raw)):
        for replacement in {ord("0"), ord("a"), ord(" ")} - {raw[at]}:
            changed = raw[:at] + bytes([replacement]) + raw[at + 1 :]
            assert not record.verify(changed).ok, (at, chr(raw[at]), chr(replacement))


@pytest.mark.parametrize(
    "raw",
    [b"", b"\xff\xfe", b"[]", b"{}", b'{"pool": 1}', b"null", b'"x"', b"[" * 5000 + b"]" * 5000],
)
def test_garbage_does_not_verify_and_does_not_crash(raw):
    result = record.verify(raw)
    assert not result.ok and result.problems


def test_a_resident_finds_their_position_and_place_with_the_code_on_their_letter():
    public = record.public_record(facts())
    assert record.position_for_code(public, "code-0007") == 7
    assert record.position_for_code(public, "CODE 0007") == 7
    assert record.position_for_code(public, "CODE9999") is None
    first = public["ranking"][0]
    assert record.place_in_ranking(public, first) == 1
    assert record.place_in_ranking(record.public_record(facts(seed=None, ranking=None)), 7) is None


def test_the_record_never_holds_what_the_pool_knows_of_persons():
    raw = data().decode()
    for private in ("person_ref", "birth_date", "postcode", "name", "address", "CODE0007"):
        assert private not in raw


def test_every_line_of_the_verification_is_said_in_english_and_dutch():
    for key, (english, dutch) in said_lines.LINES.items():
        assert (english and dutch and english != dutch) or key == "procedure", key
        names = set(re.findall(r"{(\w+)}", english))
        assert names == set(re.findall(r"{(\w+)}", dutch)), key
