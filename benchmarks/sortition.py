"""The draw by lot's procedure at size, pure (no database, no web): what announcing and drawing
and checking a draw cost in the procedure itself.

1. A pool of 100,000 (a register extract as CSV text, a few percent too young): read and
   decide eligibility, put in canonical order with a response code hash each, hash the pool
   (the commitment), rank by a seed (no quotas), write the public record; then verify that
   record as ``flask draw verify`` does. Aims: commit and rank under 3 s, verify under 1 s.
2. A stratified draw of 400 from 20,000 with three quota columns (district, age group,
   gender): the quota check at the announcement, the ranking, and verifying the record.

Each step runs ``--repeat`` times; the report gives the median and the slowest wall-clock time
and the median CPU time, is printed and written to ``bench-results/sortition.json``. Exit status 0 when every run completed (and every
record verified), 1 otherwise.

    python -m benchmarks.sortition [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from wijkraad.sortition import procedure, record
from wijkraad.sortition.procedure import Entry

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench-results" / "sortition.json"
DRAW_ON = date(2026, 12, 10)
DISTRICTS = ["Noord", "Oost", "Zuid", "West", "Centrum", "Haven", "Park", "Dorp"]
AGES = ["16-29", "30-44", "45-64", "65+"]
GENDERS = ["v", "m", "x"]


def arguments(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeat", type=int, default=3, help="runs of each step")
    p.add_argument("--output", type=Path, default=RESULTS)
    return p.parse_args(argv)


def register_csv(size: int) -> str:
    """A register extract: made-up persons, one in 25 younger than 16 on the draw date."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["person_ref", "birth_date", "postcode", "name", "address", "wijk"])
    for i in range(size):
        year = 2015 if i % 25 == 0 else 1930 + i % 80
        writer.writerow(
            [
                f"P{(i * 7919) % 1_000_003:07d}",
                f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                f"97{i % 100:02d} AB",
                f"Bewoner {i}",
                f"Straat {i % 500}",
                DISTRICTS[i % len(DISTRICTS)],
            ]
        )
    return out.getvalue()


def eligible_entries(text: str) -> tuple[int, list[Entry]]:
    """Read the CSV, keep who is 16 or older on the draw date, give positions and code hashes."""
    rows = list(csv.DictReader(io.StringIO(text)))
    limit = DRAW_ON.replace(year=DRAW_ON.year - 16)
    people = {r["person_ref"]: r for r in rows if date.fromisoformat(r["birth_date"]) <= limit}
    refs = procedure.canonical_order(people)
    entries = [
        Entry(
            position,
            {"wijk": people[ref]["wijk"]},
            # the draws side draws each code from ``secrets``; a fixed code keeps this repeatable
            procedure.code_sha256(hashlib.sha256(ref.encode()).hexdigest()[:16]),
        )
        for position, ref in enumerate(refs, start=1)
    ]
    return len(rows), entries


def facts(pool_size, entries, invite, quotas, seed, ranking) -> record.DrawFacts:
    return record.DrawFacts(
        id=1,
        council="bench",
        purpose="panel",
        status="drawn",
        invite=invite,
        draw_on=DRAW_ON.isoformat(),
        pool_size=pool_size,
        entries=entries,
        quotas=quotas,
        seed_source="Staatsloterij, trekking van 10 december 2026",
        seed=seed,
        ranking=ranking,
        announced_at="2026-12-01T10:00:00+00:00",
    )


def timed(repeat: int, step: Callable[[], Any]) -> tuple[dict[str, float], Any]:
    """Wall-clock seconds (median and slowest) and the median CPU seconds of this process, which
    a machine shared with other work inflates less."""
    times, cpu = [], []
    result = None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = step()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return {
        "median_s": round(statistics.median(times), 3),
        "max_s": round(max(times), 3),
        "cpu_median_s": round(statistics.median(cpu), 3),
    }, result


def big_pool(repeat: int) -> dict[str, Any]:
    text = register_csv(100_000)
    seed = "Staatsloterij 10-12-2026 0734 1298 5521"
    report: dict[str, Any] = {"pool_rows": 100_000, "csv_bytes": len(text.encode())}

    report["read_and_order"], (pool_size, entries) = timed(repeat, lambda: eligible_entries(text))
    report["eligible"] = len(entries)
    report["commit_pool_sha256"], _ = timed(repeat, lambda: procedure.pool_sha256(entries))
    report["rank"], ranking = timed(repeat, lambda: procedure.rank(entries, seed, 400, {}))
    data: bytes = b""

    def write() -> bytes:
        return record.dump(record.public_record(facts(pool_size, entries, 400, {}, seed, ranking)))

    report["record"], data = timed(repeat, write)
    report["record_bytes"] = len(data)
    report["verify"], verdict = timed(repeat, lambda: record.verify(data))
    report["verified"] = verdict.ok
    steps = ("read_and_order", "commit_pool_sha256", "rank")
    report["commit_and_rank_s"] = round(sum(report[s]["median_s"] for s in steps), 3)
    report["commit_and_rank_cpu_s"] = round(sum(report[s]["cpu_median_s"] for s in steps), 3)
    return report


def stratified(repeat: int) -> dict[str, Any]:
    size, invite = 20_000, 400
    entries = [
        Entry(
            p,
            {
                "wijk": DISTRICTS[(p * 31) % len(DISTRICTS)],
                "leeftijd": AGES[(p * 17) % 7 % len(AGES)],
                "geslacht": GENDERS[0 if p % 100 < 49 else 1 if p % 100 < 98 else 2],
            },
            procedure.code_sha256(f"code{p}"),
        )
        for p in range(1, size + 1)
    ]
    shares = procedure.shares(entries, ())
    quotas: dict[str, dict[str, tuple[int, int]]] = {}
    for column, values in shares.items():
        quotas[column] = {}
        for value, cell in values.items():
            target = invite * cell["pool"] / size
            quotas[column][value] = (int(target * 0.9), int(target * 1.1) + 1)
    seed = "dobbelstenen 6 2 5 5 1 3 4 2"
    report: dict[str, Any] = {"pool": size, "invite": invite, "quota_columns": sorted(quotas)}
    report["check_quotas"], _ = timed(
        repeat, lambda: procedure.check_quotas(entries, invite, quotas)
    )
    report["rank"], ranking = timed(repeat, lambda: procedure.rank(entries, seed, invite, quotas))
    data = record.dump(record.public_record(facts(size, entries, invite, quotas, seed, ranking)))
    report["verify"], verdict = timed(repeat, lambda: record.verify(data))
    report["verified"] = verdict.ok
    report["strata"] = {
        column: {v: c["drawn"] for v, c in values.items()}
        for column, values in procedure.shares(entries, ranking[:invite]).items()
    }
    return report


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    started = time.monotonic()
    results: dict[str, Any] = {}
    for name, run in (("pool_100000", big_pool), ("stratified_400_of_20000", stratified)):
        try:
            results[name] = run(args.repeat)
        except Exception as error:  # a benchmark reports a failure, it does not hide it
            results[name] = {"error": repr(error)}
        print(name, json.dumps(results[name], indent=2))
    document = {
        "benchmark": "sortition",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_1min": round(os.getloadavg()[0], 2),
        },
        "seconds": round(time.monotonic() - started, 1),
        "results": results,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(document, indent=2) + "\n")
    print(f"\nwritten to {args.output}")
    failed = any("error" in r or not r.get("verified") for r in results.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
