"""Draws by lot at size, through the services on a real database: a pool of 100,000 residents
read from CSV (eligibility, canonical order, a response code each), announced (the pool's hash)
and drawn (the ranking of everyone, the first invitations), each step committed; then the
public record made and verified as ``flask draw verify`` does. Aims: upload, commit and rank
under 3 s together, verification under 1 s. Then a stratified draw of 400 from 20,000 with
quotas on 3 columns (reported).

On SQLite, and on PostgreSQL when a local cluster answers (``WIJKRAAD_BENCH_DATABASE_URL`` names
one explicitly: its ``public`` schema is reset). The report is printed and written to
``bench-results/draws.json``. Exit status 0 when every run completed, 1 when one failed.

    python -m benchmarks.draws [--databases sqlite,postgresql] [--size 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from flask import Flask
from flask_migrate import upgrade

from benchmarks import scenario
from benchmarks.server import ROOT
from wijkraad.auth.actor import Actor
from wijkraad.councils import services as council_services
from wijkraad.extensions import db
from wijkraad.sortition import kept, queries, record, services
from wijkraad.sortition.rules import Purpose

RESULTS = ROOT / "bench-results" / "draws.json"
ADMIN = Actor(user_id=None, is_admin=True)
DISTRICTS = [f"wijk{n}" for n in range(5)]
AGES = ["16-29", "30-49", "50-69", "70+"]
SEXES = ["v", "m", "x"]


def arguments(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks.draws")
    p.add_argument("--databases", default="sqlite,postgresql", help="comma-separated")
    p.add_argument("--size", type=int, default=100_000)
    p.add_argument("--stratified-size", type=int, default=20_000)
    p.add_argument("--stratified-invite", type=int, default=400)
    return p.parse_args(argv)


def pool_csv(size: int) -> bytes:
    lines = ["person_ref,birth_date,postcode,name,address,district,age_group,sex"]
    for n in range(size):
        lines.append(
            f"P{n:07d},{1930 + n % 80}-{1 + n % 12:02d}-{1 + n % 28:02d},9712 AB,"
            f"Bewoner {n},Straat {n % 500},{DISTRICTS[n % 5]},{AGES[n % 4]},{SEXES[n % 3]}"
        )
    return ("\n".join(lines) + "\n").encode()


CPU: dict[str, float] = {}


def timed(step: Any, name: str = "") -> tuple[Any, float]:
    """The step's value and wall-clock seconds; its CPU seconds (of this process, which a
    shared machine inflates less; the database server's own work is not in them) go to
    ``CPU[name]``."""
    started, cpu = time.perf_counter(), time.process_time()
    value = step()
    CPU[name] = round(time.process_time() - cpu, 3)
    return value, round(time.perf_counter() - started, 3)


def run_draw(council: Any, size: int, invite: int, quotas: dict[str, Any] | None) -> dict[str, Any]:
    data = pool_csv(size)
    draw = services.create_draw(
        db.session,
        ADMIN,
        council,
        purpose=Purpose.PANEL,
        invite=invite,
        draw_on=date(2026, 12, 1),
        quotas=quotas,
    )
    db.session.commit()

    def upload() -> None:
        services.upload_pool(db.session, ADMIN, draw, data)
        db.session.commit()

    def announce() -> None:
        services.announce(db.session, ADMIN, draw, seed_source="bench", now=datetime.now(UTC))
        db.session.commit()

    def seed() -> None:
        services.enter_seed(db.session, ADMIN, draw, seed="4 8 15 16 23 42", now=datetime.now(UTC))
        db.session.commit()

    out: dict[str, Any] = {"pool": size, "invite": invite, "quotas": bool(quotas)}
    _, out["upload_s"] = timed(upload, "upload")
    _, out["announce_s"] = timed(announce, "announce")
    _, out["seed_s"] = timed(seed, "seed")
    out["upload_commit_rank_s"] = round(out["upload_s"] + out["announce_s"] + out["seed_s"], 3)

    def read_record() -> bytes:
        content = kept.record_bytes(db.session, draw)
        db.session.commit()
        return content

    # The first read makes the record and keeps it; the next ones read the kept bytes.
    data_bytes, out["record_s"] = timed(read_record, "record")
    again, out["record_kept_s"] = timed(read_record, "record_kept")
    assert again == data_bytes == queries.record_bytes(db.session, draw)
    verdict, out["verify_s"] = timed(lambda: record.verify(data_bytes), "verify")
    out["cpu_s"] = dict(CPU)
    out["upload_commit_rank_cpu_s"] = round(CPU["upload"] + CPU["announce"] + CPU["seed"], 3)
    out["verified"] = verdict.ok
    out["record_bytes"] = len(data_bytes)
    return out


def run_database(kind: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    print(f"\n== {kind} ==")
    app: Flask = scenario.make_app(url)
    report: dict[str, Any] = {"database": kind}
    with app.app_context():
        upgrade()
        council = council_services.create_council(
            db.session,
            ADMIN,
            "bench-loting",
            council_services.CouncilData(
                name="Bench",
                municipality="Groningen",
                resident_seats=11,
                councillor_seats=6,
            ),
        )
        db.session.commit()
        big = run_draw(council, args.size, 50, None)
        report["pool"] = big
        print(
            f"  pool {args.size}: upload {big['upload_s']} s, announce {big['announce_s']} s, "
            f"seed {big['seed_s']} s (together {big['upload_commit_rank_s']} s, aim < 3 s); "
            f"record {big['record_s']} s (kept: {big['record_kept_s']} s), verify {big['verify_s']} s (aim < 1 s), "
            f"verified {big['verified']}; CPU: {big['cpu_s']}"
        )
        n, k = args.stratified_size, args.stratified_invite
        quotas = {
            "district": {d: [k // 5 - 10, k // 5 + 10] for d in DISTRICTS},
            "age_group": {a: [k // 4 - 10, k // 4 + 10] for a in AGES},
            "sex": {s: [k // 3 - 10, k // 3 + 10] for s in SEXES},
        }
        strat = run_draw(council, n, k, quotas)
        report["stratified"] = strat
        print(
            f"  stratified {k} of {n}, 3 columns: upload {strat['upload_s']} s, "
            f"announce {strat['announce_s']} s, seed {strat['seed_s']} s, "
            f"verify {strat['verify_s']} s, verified {strat['verified']}; CPU: {strat['cpu_s']}"
        )
        db.session.remove()
        db.engine.dispose()
    return report


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="wijkraad-bench-draws-") as tmp:
        ran = scenario.run_each_database(
            args.databases,
            Path(tmp) / "bench.sqlite3",
            lambda kind, url: run_database(kind, url, args),
        )
    if ran is None:
        return 2
    document = {
        "benchmark": "draws",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "size": {
            "pool": args.size,
            "stratified_pool": args.stratified_size,
            "stratified_invite": args.stratified_invite,
        },
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_1min": round(os.getloadavg()[0], 2),
        },
        "seconds": round(time.monotonic() - started, 1),
        "results": ran,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(document, indent=2) + "\n")
    print(f"\nwritten to {RESULTS}")
    return 1 if any("error" in r for r in ran) else 0


if __name__ == "__main__":
    raise SystemExit(main())
