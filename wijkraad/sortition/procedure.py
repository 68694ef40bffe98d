"""The draw by lot itself: a pure, deterministic function of the published inputs and the seed.

No Flask, no database, no ``random``: the same pool, seed, number to invite and quotas give the
same ranking on every platform and every Python version. README.md ("Drawing by lot: the
procedure") documents every step byte-exactly, so that anyone can reimplement it.

- The eligible persons are put in canonical order (their ``person_ref`` sorted by code point);
  a person's *position* is their 1-based place in it. Nothing else of them is published.
- The pool is serialised as canonical JSON (``canonical_json``) and hashed (``pool_sha256``).
- The seed, normalised (``normalise_seed``), gives each position a key
  ``SHA-256(seed "\\n" position)``; sorting by (key, position) is the *seed order*.
- Without quotas the first ``invite`` of the seed order are invited. With quotas the invited set
  is the first one in seed order that meets them: walk the seed order, take a person when the
  quotas can still be met with everyone taken so far plus them and otherwise only persons later
  in the order, skip them otherwise. The ranking lists the invited in seed order, then everyone
  else in seed order (the reserve list).
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise, zip_longest
from operator import itemgetter
from typing import Any

from wijkraad.sortition.search import Quotas, Search, TooIntricate

PROCEDURE = "wijkraad-loting/1"

# A search for the invited set that needs more undo steps than this is refused (QuotaError):
# counted in steps, not time, so the answer is the same on every machine. Quotas over a few
# columns with ranges as councils use them never backtrack at all.
MAX_BACKTRACK_STEPS = 1_000_000


class QuotaError(ValueError):
    """The quotas are malformed, mention what the pool does not hold, or cannot be met."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Entry:
    """One eligible person of the canonical pool, by position only (1-based)."""

    position: int
    strata: Mapping[str, str]
    code_sha256: str


# --- canonical forms -------------------------------------------------------------------------


def canonical_json(value: Any) -> bytes:
    """The canonical bytes of a JSON value: keys sorted by code point, no whitespace, non-ASCII
    characters as themselves, UTF-8 (``json.dumps(value, ensure_ascii=False, sort_keys=True,
    separators=(",", ":")).encode()``). Only strings, integers, lists, objects and null occur."""
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def canonical_order(refs: Iterable[str]) -> list[str]:
    """The eligible persons' references in canonical order (by code point); a person's position
    is their index in it plus one. A reference given twice is refused (ValueError)."""
    ordered = sorted(refs)
    for before, after in pairwise(ordered):
        if before == after:
            raise ValueError(f"person_ref {before!r} occurs twice")
    return ordered


def columns(entries: Sequence[Entry]) -> list[str]:
    """The stratification columns of the pool, sorted by code point."""
    return sorted(entries[0].strata) if entries else []


def pool_document(entries: Sequence[Entry]) -> dict[str, Any]:
    """The pool as published: ``{"columns": [...], "entries": [[position, code_sha256, value of
    each column in that order], ...]}``, entries by position 1, 2, ... n."""
    names = columns(entries)
    width = len(names)
    values = _values_of(names)
    rows: list[list[Any]] = []
    for expected, entry in enumerate(entries, start=1):
        strata = entry.strata
        if entry.position != expected or len(strata) != width:
            raise ValueError(f"entry {expected}: position {entry.position}, columns {strata}")
        try:
            rows.append([expected, entry.code_sha256, *values(strata)])
        except KeyError:
            raise ValueError(f"entry {expected} has other columns than {names}") from None
    return {"columns": names, "entries": rows}


def _values_of(names: Sequence[str]) -> Callable[[Mapping[str, str]], tuple[str, ...]]:
    """A function giving a strata's values of ``names`` in that order, as a tuple."""
    if len(names) > 1:
        return itemgetter(*names)
    if names:
        name = names[0]
        return lambda strata: (strata[name],)
    return lambda strata: ()


def check_pool_document(pool: Mapping[str, Any]) -> None:
    """ValueError unless ``pool`` is a pool document as ``pool_document`` makes them: columns
    sorted and unique, positions 1, 2, ... n, each row a position, a text and a text for each
    column."""
    names = pool["columns"]
    rows = pool["entries"]
    if type(names) is not list or any(type(n) is not str for n in names):
        raise ValueError("pool columns are not a list of texts")
    if type(rows) is not list or len(set(names)) != len(names) or names != sorted(names):
        raise ValueError("pool entries are not a list, or the columns are not sorted and unique")
    width = 2 + len(names)
    for expected, row in enumerate(rows, start=1):
        if (
            type(row) is not list
            or len(row) != width
            or type(row[0]) is not int
            or row[0] != expected
            or any(type(v) is not str for v in row[1:])
        ):
            raise ValueError(f"pool entry {expected} is not [{expected}, code_sha256, values]")


def entries_from_document(pool: Mapping[str, Any]) -> list[Entry]:
    """The entries of a published pool document (the inverse of ``pool_document``); ValueError
    when it is not one (``check_pool_document``)."""
    check_pool_document(pool)
    names = pool["columns"]
    return [
        Entry(row[0], dict(zip(names, row[2:], strict=False)), row[1]) for row in pool["entries"]
    ]


def pool_sha256(entries: Sequence[Entry]) -> str:
    """Hex SHA-256 of the canonical JSON of the pool document (``pool_document``)."""
    return hashlib.sha256(canonical_json(pool_document(entries))).hexdigest()


def normalise_code(code: str) -> str:
    """A response code as typed: spaces and hyphens dropped, upper case."""
    return "".join(code.split()).replace("-", "").upper()


def code_sha256(code: str) -> str:
    """Hex SHA-256 of the normalised response code (UTF-8): what the pool publishes."""
    return hashlib.sha256(normalise_code(code).encode("utf-8")).hexdigest()


def normalise_seed(seed: str) -> str:
    """The seed as it enters the procedure: Unicode NFC, every run of whitespace one space, none
    at either end. Refused (ValueError) when nothing is left."""
    normal = " ".join(unicodedata.normalize("NFC", seed).split())
    if not normal:
        raise ValueError("the seed is empty")
    return normal


def seed_order(positions: Iterable[int], seed: str) -> list[int]:
    """The positions sorted by (SHA-256(seed + "\\n" + position in decimal), position)."""
    prefix = normalise_seed(seed).encode("utf-8") + b"\n"
    sha = hashlib.sha256
    keyed = [(sha(prefix + b"%d" % p).digest(), p) for p in positions]
    keyed.sort()
    return [p for _, p in keyed]


# --- quotas ----------------------------------------------------------------------------------


def check_quota_shape(invite: int, quotas: Quotas) -> None:
    """What can be checked without a pool: ``invite`` a positive integer; every quota column and
    value a non-empty text, every (min, max) integers with 0 <= min <= max, min <= invite, and the
    minimums of a column together at most ``invite``."""
    if not isinstance(invite, int) or isinstance(invite, bool) or invite < 1:
        raise QuotaError("the number to invite must be a positive whole number")
    if not isinstance(quotas, Mapping):
        raise QuotaError("quotas must map columns to values to [min, max]")
    for column, values in quotas.items():
        if not isinstance(column, str) or not column:
            raise QuotaError("a quota column must be a non-empty text")
        if not isinstance(values, Mapping) or not values:
            raise QuotaError(f"quota column {column!r} names no values")
        total = 0
        for value, bounds in values.items():
            if not isinstance(value, str) or not value:
                raise QuotaError(f"quota column {column!r}: a value must be a non-empty text")
            if (
                not isinstance(bounds, Sequence)
                or isinstance(bounds, str)
                or len(bounds) != 2
                or not all(isinstance(b, int) and not isinstance(b, bool) for b in bounds)
            ):
                raise QuotaError(f"quota {column}={value}: give [min, max] as whole numbers")
            low, high = bounds
            if not 0 <= low <= high:
                raise QuotaError(f"quota {column}={value}: need 0 <= min <= max")
            if low > invite:
                raise QuotaError(f"quota {column}={value}: min {low} is more than {invite}")
            total += low
        if total > invite:
            raise QuotaError(
                f"quota column {column!r}: the minimums add up to {total}, more than {invite}"
            )


def check_quotas(entries: Sequence[Entry], invite: int, quotas: Quotas) -> None:
    """Raises QuotaError when ``invite`` and ``quotas`` are malformed, when the pool has fewer
    eligible persons than ``invite``, when a quota names a column or value no entry has, or when
    no set of ``invite`` eligible persons meets the quotas.

    The answer depends on the entries' strata only, not on their order or positions: the
    search walks them sorted by their values in the quota columns, so the pool's strata
    counted once (one entry per eligible person with those strata) give the same answer as
    the pool itself. It takes the strata in turns (the first entry of each, in the order of
    their values, then the second of each, ...), so that a search that needs a mix finds it
    early."""
    _check_against_pool(entries, invite, quotas)
    if not quotas:
        return
    key = _values_of(sorted(quotas))
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, entry in enumerate(entries):
        groups.setdefault(key(entry.strata), []).append(i)
    turns = zip_longest(*(groups[values] for values in sorted(groups)))
    order = [i for turn in turns for i in turn if i is not None]
    if _search(entries, quotas, invite, order) is None:
        raise QuotaError(f"no {invite} eligible persons together meet the quotas")


def _check_against_pool(entries: Sequence[Entry], invite: int, quotas: Quotas) -> None:
    check_quota_shape(invite, quotas)
    if invite > len(entries):
        raise QuotaError(f"{invite} to invite, but the pool has {len(entries)} eligible")
    known = columns(entries)
    for column, values in quotas.items():
        if column not in known:
            raise QuotaError(f"quota column {column!r} is not a column of the pool")
        present = {entry.strata[column] for entry in entries}
        for value in values:
            if value not in present:
                raise QuotaError(f"quota {column}={value}: no eligible person has this value")


def _search(
    entries: Sequence[Entry], quotas: Quotas, invite: int, order: Iterable[int]
) -> list[int] | None:
    """``search.Search``'s first set in ``order`` (entry indexes) meeting the quotas, or None;
    QuotaError beyond ``MAX_BACKTRACK_STEPS`` undo steps."""
    strata = [entry.strata for entry in entries]
    try:
        return Search(strata, quotas, invite).complete([], order, max_steps=MAX_BACKTRACK_STEPS)
    except TooIntricate:
        raise QuotaError("the quotas are too intricate to search for the invited set") from None


# --- the ranking -----------------------------------------------------------------------------


def rank(entries: Sequence[Entry], seed: str, invite: int, quotas: Quotas) -> list[int]:
    """Every eligible position exactly once, best first: the first ``invite`` are the invited
    (meeting the quotas), the rest the reserve list in order. A function of the arguments only."""
    _check_against_pool(entries, invite, quotas)
    order = seed_order((entry.position for entry in entries), seed)
    if not quotas:
        return order
    at = {entry.position: i for i, entry in enumerate(entries)}
    chosen = _search(entries, quotas, invite, (at[p] for p in order))
    if chosen is None:
        raise QuotaError(f"no {invite} eligible persons together meet the quotas")
    invited = [entries[i].position for i in chosen]
    taken = set(invited)
    return invited + [p for p in order if p not in taken]


def next_reserve(
    entries: Sequence[Entry],
    ranking: Sequence[int],
    holding: Collection[int],
    leaving: int,
    quotas: Quotas,
    passed: Collection[int],
) -> int | None:
    """The position to invite when ``leaving`` drops out (declined, or no reply by the
    deadline). Free positions are those not in ``holding`` (invited or accepted), not in
    ``passed`` (declined or no reply) and not ``leaving``. The answer is the first free position
    in ranking order with the same value as ``leaving`` in every quota column; when there is
    none, the first free position in ranking order whose taking ``leaving``'s place keeps the
    quotas: in every quota column where the two differ, the replacement's value stays at or
    under its maximum and ``leaving``'s value at or over its minimum. None when no free position
    qualifies. (The invited set keeps its size; when it met the quotas, it still does.)"""
    gone = set(holding) | set(passed)
    gone.add(leaving)
    free = [p for p in ranking if p not in gone]
    if not quotas or not free:
        return free[0] if free else None
    strata = {entry.position: entry.strata for entry in entries}
    names = sorted(quotas)
    members = set(holding) | {leaving}
    counts: dict[str, dict[str, int]] = {name: {} for name in names}
    for position in members:
        for name in names:
            value = strata[position][name]
            counts[name][value] = counts[name].get(value, 0) + 1
    own = [strata[leaving][name] for name in names]
    for position in free:
        if [strata[position][name] for name in names] == own:
            return position
    for position in free:
        if all(
            _swap_keeps(quotas[n], counts[n], own[k], strata[position][n])
            for k, n in enumerate(names)
        ):
            return position
    return None


def _swap_keeps(
    bounds: Mapping[str, tuple[int, int]], counts: Mapping[str, int], out: str, into: str
) -> bool:
    if out == into:
        return True
    low = bounds[out][0] if out in bounds else 0
    high = bounds[into][1] if into in bounds else None
    return counts.get(out, 0) - 1 >= low and (high is None or counts.get(into, 0) + 1 <= high)


def shares(
    entries: Sequence[Entry], invited: Collection[int]
) -> dict[str, dict[str, dict[str, int]]]:
    """Per column, per value: how many of the pool have it and how many of the invited."""
    at = {entry.position: entry for entry in entries}
    drawn = [at[p] for p in invited if p in at]
    return {
        name: _cells(
            Counter(e.strata[name] for e in entries), Counter(e.strata[name] for e in drawn)
        )
        for name in columns(entries)
    }


def document_shares(
    pool: Mapping[str, Any], invited: Collection[int]
) -> dict[str, dict[str, dict[str, int]]]:
    """``shares`` of a pool document that passed ``check_pool_document``, read from its rows."""
    rows = pool["entries"]
    drawn = [rows[p - 1] for p in invited if 0 < p <= len(rows)]
    return {
        name: _cells(Counter(row[k] for row in rows), Counter(row[k] for row in drawn))
        for k, name in enumerate(pool["columns"], start=2)
    }


def _cells(pool: Counter[str], drawn: Counter[str]) -> dict[str, dict[str, int]]:
    return {value: {"pool": n, "drawn": drawn[value]} for value, n in pool.items()}
