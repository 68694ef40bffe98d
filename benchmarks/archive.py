"""The decisions archive under load: ten thousand decisions in the database, the archive (with
and without a search term and filters, per council and across councils), a decision's page and
the same reads in the API, each asked by several clients at once of a real gunicorn.

Per database (SQLite, and PostgreSQL when a local cluster answers; ``WIJKRAAD_BENCH_DATABASE_URL``
names one explicitly, its ``public`` schema reset): build the record (benchmarks/archive_data.py),
start gunicorn, then for each read let ``--clients`` keep-alive clients (over
``--client-processes`` processes) ask it for ``--duration`` seconds after a warm-up, and report
p50 and p95 latency and throughput. Aim: p95 under 250 ms for every read. Loopback only. The
report is printed and written to ``bench-results/archive.json``. Exit status 0 when every run
completed without errors (aims met or not), 1 otherwise.

    python -m benchmarks.archive [--databases sqlite,postgresql] [--decisions 10000]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import platform
import statistics
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from benchmarks import load, scenario
from benchmarks.server import ROOT, Server, Settings, serve

RESULTS = ROOT / "bench-results" / "archive.json"
AIM_P95_MS = 250.0


def arguments(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.archive", description=__doc__.split("\n\n")[0]
    )
    p.add_argument("--databases", default="sqlite,postgresql", help="comma-separated")
    p.add_argument("--decisions", type=int, default=10_000)
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    p.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    p.add_argument("--clients", type=int, default=8, help="concurrent clients")
    p.add_argument("--client-processes", type=int, default=2, help="processes for those clients")
    p.add_argument("--duration", type=float, default=5.0, help="seconds per read")
    p.add_argument("--warmup", type=float, default=1.0, help="seconds before counting starts")
    p.add_argument("--output", type=Path, default=RESULTS)
    return p.parse_args(argv)


def reads(slug: str, identifier: str, year: int) -> list[tuple[str, str]]:
    """(name, path) of every read measured."""
    archive = f"/wijkraden/{slug}/besluiten"
    return [
        ("archive", archive),
        ("archive, page 50", f"{archive}?pagina=50"),
        ("archive, search", f"{archive}?q=speeltuin"),
        ("archive, two words", f"{archive}?q={quote('bankjes oosterpark')}"),
        ("archive, search+filters", f"{archive}?q=verlichting&jaar={year}&uitkomst=adopted"),
        ("archive, filters only", f"{archive}?jaar={year}&uitkomst=rejected&post=3"),
        ("all councils, search", "/besluiten?q=fietspad"),
        ("decision page", f"/besluiten/{identifier}"),
        ("council page", f"/wijkraden/{slug}"),
        ("atom feed", f"/wijkraden/{slug}/besluiten.atom"),
        ("API list, search", f"/api/v1/councils/{slug}/decisions?q=moestuin&outcome=adopted"),
    ]


def measure(server: Server, path: str, args: argparse.Namespace) -> dict[str, Any]:
    procs = max(1, min(args.client_processes, args.clients))
    per = [args.clients // procs + (1 if i < args.clients % procs else 0) for i in range(procs)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=procs, mp_context=context) as pool:
        start_at = time.monotonic() + 1.5  # spawned processes need a moment to import
        futures = [
            pool.submit(load.hammer, server.port, path, n, start_at, args.warmup, args.duration)
            for n in per
        ]
        parts = [f.result(timeout=args.warmup + args.duration + load.TIMEOUT + 30) for f in futures]
    latencies = [x for part in parts for x in part.latencies]
    requests = sum(p.requests for p in parts)

    def ms(pct: float) -> float | None:
        value = load.percentile(latencies, pct)
        return None if value != value else round(value * 1000, 1)

    return {
        "path": path,
        "requests": requests,
        "errors": sum(p.errors for p in parts),
        "requests_per_second": round(requests / args.duration, 1),
        "p50_ms": ms(50),
        "p95_ms": ms(95),
        "first_errors": [e for p in parts for e in p.first_errors][:3],
    }


def alone(server: Server, path: str, times: int = 15) -> float:
    """The median latency (ms) of ``path`` asked by one client at a time: the request's own
    cost, beside what waiting for the others adds under load."""
    conn = http.client.HTTPConnection(load.HOST, server.port, timeout=load.TIMEOUT)
    seconds = []
    try:
        for _ in range(times):
            t0 = time.perf_counter()
            status, _ = load.request(conn, "GET", path)
            seconds.append(time.perf_counter() - t0)
            if status != 200:
                raise RuntimeError(f"GET {path}: {status}")
    finally:
        conn.close()
    return round(statistics.median(seconds) * 1000, 1)


def run_database(kind: str, url: str, args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    from benchmarks import archive_data, scenario

    print(f"\n== {kind} ==")
    print(f"  building {args.decisions} decisions ...")
    app = scenario.make_app(scenario.sqlalchemy_url(url))
    built = archive_data.build(app, args.decisions, log=print)
    print(f"  ready in {built.seconds} s: {built.decisions} decisions")
    report: dict[str, Any] = {
        "database": kind,
        "decisions": built.decisions,
        "setup_seconds": built.seconds,
        "clients": args.clients,
    }
    settings = Settings(workers=args.workers, threads=args.threads)
    report["gunicorn"] = {"workers": settings.workers, "threads": settings.threads}
    env = {
        "WIJKRAAD_DATABASE_URL": url,
        "WIJKRAAD_SECRET_KEY": "bench",
        "WIJKRAAD_BASE_URL": "http://wijkraad.example",
    }
    year = built.years[-3]
    with serve(
        "wsgi:app",
        settings,
        env=env,
        ready_path=f"/wijkraden/{built.slug}/besluiten",
        log_path=tmp / f"gunicorn-archive-{kind}.log",
    ) as server:
        for _ in range(4 * settings.workers):  # every worker's connections and templates
            load.fetch(server.port, "GET", f"/wijkraden/{built.slug}/besluiten?q=speeltuin")
        report["reads"] = {}
        for name, path in reads(built.slug, built.public_identifier, year):
            single = alone(server, path)
            result = measure(server, path, args)
            result["alone_p50_ms"] = single
            report["reads"][name] = result
            print(
                f"  {name:<26} alone {single:>6} ms  under load: p50 {result['p50_ms']!s:>7} ms"
                f"  p95 {result['p95_ms']!s:>7} ms"
                f"  {result['requests_per_second']:>6} req/s  errors {result['errors']}"
            )
            if result["first_errors"]:
                print(f"    first errors: {result['first_errors']}")
    report["aim_met"] = all(
        r["p95_ms"] is not None and r["p95_ms"] < AIM_P95_MS for r in report["reads"].values()
    )
    report["errors"] = sum(r["errors"] for r in report["reads"].values())
    return report


def summary(reports: list[dict[str, Any]]) -> None:
    print("\n== summary: latency in ms, one client alone and under load ==")
    done = [r for r in reports if "reads" in r]
    names = list(done[0]["reads"]) if done else []
    header = f"  {'read':<26}" + "".join(
        f"{r['database'] + ' alone':>18}{'p50':>8}{'p95':>8}" for r in done
    )
    print(header)
    for name in names:
        cells = "".join(
            f"{r['reads'][name]['alone_p50_ms']!s:>18}{r['reads'][name]['p50_ms']!s:>8}"
            f"{r['reads'][name]['p95_ms']!s:>8}"
            for r in done
        )
        print(f"  {name:<26}{cells}")
    load1 = os.getloadavg()[0]
    print(
        f"  machine load (1 min) {load1:.1f} on {os.cpu_count()} CPUs: more than 2 is others' work"
    )
    for r in reports:
        if "reads" in r:
            state = "met" if r["aim_met"] else "MISSED"
            print(
                f"  {r['database']}: {r['decisions']} decisions, {r['clients']} clients;"
                f" p95 under {AIM_P95_MS:.0f} ms: {state}; errors: {r['errors']}"
            )
        else:
            print(f"  {r['database']}: {r.get('error') or r.get('skipped')}")


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    reports: list[dict[str, Any]] = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="wijkraad-bench-archive-") as tmp:
        ran = scenario.run_each_database(
            args.databases,
            Path(tmp) / "archive.sqlite3",
            lambda kind, url: run_database(kind, url, args, Path(tmp)),
        )
    if ran is None:
        return 2
    reports.extend(ran)
    summary(reports)
    document = {
        "benchmark": "archive",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_1min": round(os.getloadavg()[0], 2),
        },
        "aim_p95_ms": AIM_P95_MS,
        "seconds": round(time.monotonic() - started, 1),
        "results": reports,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(document, indent=2, allow_nan=False, default=str) + "\n")
    print(f"\nwritten to {args.output}")
    failed = any("error" in r or r.get("errors") for r in reports)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
