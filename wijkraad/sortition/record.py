"""The public record of a draw by lot, and its verification by anyone.

The record is the body of ``GET /api/v1/draws/{id}`` and the file the public draw page offers
for download: canonical JSON (``procedure.canonical_json``) of the API's fields plus what
verification needs, and never a name, birth date, address or person_ref:

- ``pool``: the eligible persons as ``{"columns": [...], "entries": [[position, code_sha256,
  values...], ...]}`` (``procedure.pool_document``); ``pool_sha256`` is its hash (from the
  announcement on, the hash announced: a pool changed since then does not verify).
- ``announcement_sha256``: the hash of the canonical JSON of the announced fields
  (``ANNOUNCED``). From the announcement on it is the commitment, published before the seed
  existed: whoever noted it then can compare. While the draw is open it follows the fields as
  they stand (``announced_at`` null), so that every field of any record is bound.

``verify`` recomputes the pool hash, the eligible count, the announcement hash, the ranking from
the seed, the shares of the strata, and checks that the bytes are exactly the canonical
serialisation, so that a record changed in any byte does not verify.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from wijkraad.sortition import bulk, procedure
from wijkraad.sortition.procedure import Entry, QuotaError, Quotas
from wijkraad.sortition.said import Said, said

# open: the pool may still change; announced: the commitment is published, the seed awaited;
# drawn: the ranking is known, invitations run; closed: done, the pool's personal data erased.
STATUSES = ("open", "announced", "drawn", "closed")
PURPOSES = ("council", "panel")

# The fields the announcement binds (the commitment), in the record under the same names.
ANNOUNCED = (
    "announced_at",
    "council",
    "draw_on",
    "eligible",
    "id",
    "invite",
    "pool_sha256",
    "pool_size",
    "procedure",
    "purpose",
    "quotas",
    "seed_source",
)

FIELDS = frozenset(
    {
        *ANNOUNCED,
        "announcement_sha256",
        "pool",
        "ranking",
        "seed",
        "status",
        "strata",
    }
)


@dataclass(frozen=True)
class DrawFacts:
    id: int
    council: str  # the council's slug
    purpose: str  # "council" | "panel"
    status: str  # one of STATUSES
    invite: int
    draw_on: str  # ISO date
    pool_size: int  # rows uploaded, the ineligible included
    entries: Sequence[Entry]
    quotas: Quotas
    seed_source: str | None
    seed: str | None
    ranking: list[int] | None
    announced_at: str | None  # ISO date and time
    # The pool's hash as announced: from the announcement on, the record carries this one, so
    # that a pool changed afterwards (in the database) no longer verifies against it.
    pool_sha256: str | None = None


@dataclass(frozen=True)
class Verification:
    ok: bool
    problems: list[Said] = field(default_factory=list)
    checked: list[Said] = field(default_factory=list)  # what was checked and held


def quotas_document(quotas: Quotas) -> dict[str, dict[str, list[int]]]:
    """Quotas as JSON: ``{column: {value: [min, max]}}``."""
    return {c: {v: [int(lo), int(hi)] for v, (lo, hi) in vs.items()} for c, vs in quotas.items()}


def quotas_from_document(document: Mapping[str, Any]) -> dict[str, dict[str, tuple[int, int]]]:
    return {c: {v: (b[0], b[1]) for v, b in vs.items()} for c, vs in document.items()}


def announcement_sha256(announcement: Mapping[str, Any]) -> str:
    """Hex SHA-256 of the canonical JSON of the announced fields (exactly ``ANNOUNCED``)."""
    return hashlib.sha256(procedure.canonical_json(dict(announcement))).hexdigest()


def public_record(facts: DrawFacts) -> dict[str, Any]:
    """The public JSON of a draw: the body of ``GET /api/v1/draws/{id}``."""
    pool = procedure.pool_document(facts.entries)
    if facts.announced_at is not None and facts.pool_sha256 is not None:
        pool_hash = facts.pool_sha256
    else:
        pool_hash = hashlib.sha256(procedure.canonical_json(pool)).hexdigest()
    seed = procedure.normalise_seed(facts.seed) if facts.seed is not None else None
    ranking = list(facts.ranking) if facts.ranking is not None else None
    record: dict[str, Any] = {
        "id": facts.id,
        "council": facts.council,
        "purpose": facts.purpose,
        "status": facts.status,
        "invite": facts.invite,
        "draw_on": facts.draw_on,
        "pool_size": facts.pool_size,
        "eligible": len(facts.entries),
        "pool_sha256": pool_hash,
        "procedure": procedure.PROCEDURE,
        "seed_source": facts.seed_source,
        "seed": seed,
        "quotas": quotas_document(facts.quotas),
        "ranking": ranking,
        "strata": procedure.shares(facts.entries, ranking[: facts.invite] if ranking else ()),
        "announced_at": facts.announced_at,
        "pool": pool,
    }
    record["announcement_sha256"] = announcement_sha256({name: record[name] for name in ANNOUNCED})
    return record


def dump(record: Mapping[str, Any]) -> bytes:
    """The canonical bytes of a record: what the API answers and the page offers for download."""
    return procedure.canonical_json(dict(record))


def position_for_code(record: Mapping[str, Any], code: str) -> int | None:
    """The pool position of the person whose letter carries ``code``, or None."""
    wanted = procedure.code_sha256(code)
    for row in record["pool"]["entries"]:
        if row[1] == wanted:
            return row[0]
    return None


def place_in_ranking(record: Mapping[str, Any], position: int) -> int | None:
    """A position's 1-based place in the ranking (at most ``invite``: invited), or None."""
    ranking = record.get("ranking")
    if not ranking or position not in ranking:
        return None
    return ranking.index(position) + 1


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def verify(data: bytes) -> Verification:
    """Check a record (its bytes, as downloaded); never raises on bad input."""
    problems: list[Said] = []
    checked: list[Said] = []
    with bulk.collector_paused():
        try:
            record = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as error:
            return Verification(False, [said("not-json", error=error)])
        try:
            _verify(data, record, problems, checked)
        except (
            KeyError,
            TypeError,
            ValueError,
            AttributeError,
            IndexError,
            RecursionError,
        ) as error:
            problems.append(said("unreadable", error=repr(error)))
    return Verification(not problems, problems, checked)


def _verify(data: bytes, record: Any, problems: list[Said], checked: list[Said]) -> None:
    def check(holds: bool, what: Said, problem: Said) -> bool:
        (checked if holds else problems).append(what if holds else problem)
        return holds

    if not isinstance(record, dict):
        problems.append(said("not-object"))
        return
    missing = sorted(FIELDS - record.keys())
    extra = sorted(record.keys() - FIELDS)
    if not check(
        not missing and not extra,
        said("fields"),
        said("fields-wrong", missing=missing, extra=extra),
    ):
        return
    check(
        dump(record) == data,
        said("canonical"),
        said("canonical-wrong"),
    )
    if not check(
        record["procedure"] == procedure.PROCEDURE,
        said("procedure", procedure=procedure.PROCEDURE),
        said(
            "procedure-wrong", found=repr(record["procedure"]), procedure=repr(procedure.PROCEDURE)
        ),
    ):
        return
    for name in ("id", "invite", "pool_size", "eligible"):
        if not _is_int(record[name]):
            problems.append(said("not-whole", name=name))
            return
    check(
        record["status"] in STATUSES and record["purpose"] in PURPOSES,
        said("known"),
        said("known-wrong", status=repr(record["status"]), purpose=repr(record["purpose"])),
    )

    pool = record["pool"]
    procedure.check_pool_document(pool)
    rows = pool["entries"]
    eligible = len(rows)
    check(
        record["pool_sha256"] == hashlib.sha256(procedure.canonical_json(pool)).hexdigest(),
        said("pool-hash", eligible=eligible),
        said("pool-hash-wrong"),
    )
    check(
        record["eligible"] == eligible and eligible <= record["pool_size"],
        said("eligible"),
        said(
            "eligible-wrong",
            eligible=record["eligible"],
            entries=eligible,
            pool_size=record["pool_size"],
        ),
    )

    announced = record["announced_at"] is not None
    digest = announcement_sha256({name: record[name] for name in ANNOUNCED})
    check(
        record["announcement_sha256"] == digest,
        said("announcement", digest=digest),
        said("announcement-wrong"),
    )
    check(
        announced == (record["status"] != "open"),
        said("announced-at"),
        said("announced-at-wrong"),
    )

    invite = record["invite"]
    quotas = quotas_from_document(record["quotas"])
    # Entries are read only where quotas need them: without quotas the ranking is the seed
    # order of the positions, which the rows give as they are.
    entries = procedure.entries_from_document(pool) if quotas else None
    try:
        procedure.check_quota_shape(invite, quotas)
        if announced:  # until then the pool may be incomplete: the announcement checks it
            if entries is not None:
                procedure.check_quotas(entries, invite, quotas)
            elif invite > eligible:
                raise QuotaError(f"{invite} to invite, but the pool has {eligible} eligible")
            checked.append(said("quotas"))
    except QuotaError as error:
        problems.append(said("quotas-wrong", message=error.message))
        return

    seed, ranking = record["seed"], record["ranking"]
    invited: Sequence[int] = ()
    if seed is None:
        check(
            ranking is None and record["status"] in ("open", "announced"),
            said("no-seed"),
            said("no-seed-wrong"),
        )
    elif check(
        announced and record["status"] in ("drawn", "closed"),
        said("seed-after"),
        said("seed-after-wrong"),
    ):
        check(
            isinstance(seed, str) and procedure.normalise_seed(seed) == seed,
            said("seed-normal"),
            said("seed-normal-wrong"),
        )
        expected = (
            procedure.rank(entries, seed, invite, quotas)
            if entries is not None
            else procedure.seed_order([row[0] for row in rows], seed)
        )
        check(
            ranking == expected,
            said("ranking", positions=len(expected), invite=invite),
            said("ranking-wrong"),
        )
        invited = expected[:invite]
    check(
        record["strata"] == procedure.document_shares(pool, invited),
        said("strata"),
        said("strata-wrong"),
    )
