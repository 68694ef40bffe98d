"""Live voting: 400 voters against gunicorn with several workers, on SQLite and PostgreSQL.

Per database: build a council of 400 members (260 residents with the chair, 140 councillors) and a
meeting with one open named round; start gunicorn; let all 400 members vote at once and check
that exactly 400 votes were recorded; then measure the throughput of the live tally endpoint
``GET /api/v1/rounds/{id}`` beside a bare Flask endpoint served with the same gunicorn settings.

Then the live screens (benchmarks/live.py): the projector, a member's phone panel and the chair's
console fragments, each polled unchanged (``If-None-Match``: 304) and changed (rendered), beside
the same bare endpoint. ``--code-root`` serves another checkout (main, say) against the same
database, to measure the screens before a change.

Aims: all 400 votes recorded within 2 s, p99 latency under 250 ms, tally at a quarter of the bare
endpoint's throughput or better, unchanged polls of the live screens at half of it. Loopback only. The report is printed and written to
``bench-results/votes.json``. Exit status 0 when the runs completed with every vote counted once
(aims met or not), 1 when a vote was lost, doubled or refused, or a run failed.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import platform
import signal
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

from benchmarks import load
from benchmarks.server import ROOT, Server, Settings, machine_busy_seconds, serve, tail

RESULTS = ROOT / "bench-results" / "votes.json"
AIM_WALL_SECONDS = 2.0
AIM_P99_MS = 250.0
AIM_RATIO = 0.25
AIM_UNCHANGED_RATIO = 0.5
CHOICES = ("yes", "no", "abstain")


class TimeLimit(Exception):
    pass


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise TimeLimit("the benchmark ran past its time limit")


def arguments(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    p.add_argument("--databases", default="sqlite,postgresql", help="comma-separated")
    p.add_argument("--residents", type=int, default=260)
    p.add_argument("--councillors", type=int, default=140)
    p.add_argument("--vote-threads", type=int, default=50, help="client threads casting votes")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    p.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    p.add_argument(
        "--worker-class", default="gthread", help="gunicorn worker class (gthread, sync)"
    )
    p.add_argument("--clients", type=int, default=16, help="concurrent clients in throughput runs")
    p.add_argument("--client-processes", type=int, default=4, help="processes for those clients")
    p.add_argument("--duration", type=float, default=5.0, help="seconds per throughput run")
    p.add_argument("--warmup", type=float, default=1.0, help="seconds before counting starts")
    p.add_argument(
        "--look-first",
        action="store_true",
        help="experiment: each voter GETs the round with its token just before the vote phase"
        " (a phone showing the round first), so the vote writes no token last_used_at",
    )
    p.add_argument("--app", default="wsgi:app", help="the WSGI app gunicorn serves")
    p.add_argument(
        "--code-root",
        type=Path,
        default=ROOT,
        help="the checkout gunicorn serves the app from (the database is built by this one)",
    )
    p.add_argument("--no-live", action="store_true", help="skip the live screens' fragments")
    p.add_argument("--time-limit", type=int, default=600, help="seconds for everything")
    p.add_argument("--output", type=Path, default=RESULTS)
    return p.parse_args(argv)


def ms(seconds: float) -> float | None:
    return None if math.isnan(seconds) else round(seconds * 1000, 1)


def ballots_for(voters: list[Any]) -> list[tuple[str, str]]:
    """A fixed mix: every third member yes, no, abstain in turn."""
    return [(v.token, CHOICES[i % 3]) for i, v in enumerate(voters)]


def expected_counts(voters: list[Any]) -> dict[str, dict[str, int]]:
    groups = {"residents": Counter(), "councillors": Counter()}
    for i, v in enumerate(voters):
        groups["residents" if v.seat == "resident" else "councillors"][CHOICES[i % 3]] += 1
    return {g: {c: groups[g][c] for c in CHOICES} for g in groups}


def machine(busy_seconds: float, ours_seconds: float, wall: float) -> dict[str, Any]:
    """How busy the machine was over a phase, and how much of that was this benchmark.

    ``ours`` is gunicorn and the load clients; ``other`` is everything else, the database server
    included (PostgreSQL's backends) and whatever else runs on a shared machine.
    """
    cpus = os.cpu_count() or 1
    capacity = max(wall, 1e-9) * cpus
    return {
        "cpus": cpus,
        "busy_pct": round(100 * busy_seconds / capacity),
        "ours_pct": round(100 * ours_seconds / capacity),
        "other_pct": round(100 * max(0.0, busy_seconds - ours_seconds) / capacity),
        "load_1min": round(os.getloadavg()[0], 2),
    }


def throughput(
    server: Server,
    path: str,
    args: argparse.Namespace,
    headers: dict[str, str] | None = None,
    ok: tuple[int, ...] = (200,),
) -> dict[str, Any]:
    """``args.clients`` keep-alive clients spread over ``args.client_processes`` processes."""
    procs = max(1, min(args.client_processes, args.clients))
    per = [args.clients // procs + (1 if i < args.clients % procs else 0) for i in range(procs)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=procs, mp_context=context) as pool:
        # Spawned processes need a moment to import; everyone starts at the same instant.
        start_at = time.monotonic() + 1.5
        futures = [
            pool.submit(
                load.hammer, server.port, path, n, start_at, args.warmup, args.duration, headers, ok
            )
            for n in per
        ]
        # The server's CPU over exactly the counted window.
        time.sleep(max(0.0, start_at + args.warmup - time.monotonic()))
        cpu0, busy0 = server.cpu_seconds(), machine_busy_seconds()
        time.sleep(max(0.0, start_at + args.warmup + args.duration - time.monotonic()))
        server_cpu = server.cpu_seconds() - cpu0
        busy = machine_busy_seconds() - busy0
        parts = [f.result(timeout=args.warmup + args.duration + load.TIMEOUT + 30) for f in futures]
    latencies = [x for part in parts for x in part.latencies]
    requests = sum(p.requests for p in parts)
    sent = sum(p.all_requests for p in parts)
    client_cpu = sum(p.client_cpu_seconds for p in parts) / sent if sent else 0.0
    return {
        "path": path,
        "clients": args.clients,
        "client_processes": procs,
        "seconds": args.duration,
        "requests": requests,
        "errors": sum(p.errors for p in parts),
        "requests_per_second": round(requests / args.duration, 1),
        "p50_ms": ms(load.percentile(latencies, 50)),
        "p99_ms": ms(load.percentile(latencies, 99)),
        "server_cpu_ms_per_request": round(server_cpu / requests * 1000, 3) if requests else None,
        "client_cpu_ms_per_request": round(client_cpu * 1000, 3),
        "machine": machine(busy, server_cpu + client_cpu * requests, args.duration),
        "first_errors": [e for p in parts for e in p.first_errors][:3],
    }


def run_database(kind: str, url: str, args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    from benchmarks import scenario

    report: dict[str, Any] = {"database": kind}
    print(f"\n== {kind} ==")
    print(
        f"  preparing {args.residents + args.councillors} members"
        " through the services (in-process) ..."
    )
    t0 = time.perf_counter()
    app = scenario.make_app(scenario.sqlalchemy_url(url))
    built = scenario.build(
        app,
        residents=args.residents,
        councillors=args.councillors,
        log=print,
    )
    report["setup_seconds"] = round(time.perf_counter() - t0, 1)
    print(f"  ready in {report['setup_seconds']} s: round {built.round_id} open")

    settings = Settings(workers=args.workers, threads=args.threads, worker_class=args.worker_class)
    report["gunicorn"] = {
        "workers": settings.workers,
        "threads": settings.threads,
        "worker_class": settings.worker_class,
    }
    env = {"WIJKRAAD_DATABASE_URL": url, "WIJKRAAD_SECRET_KEY": "bench"}
    tally_path = f"/api/v1/rounds/{built.round_id}"
    voters = built.voters
    report["app"] = args.app
    server_log = tmp / f"gunicorn-{kind}.log"
    with serve(
        args.app,
        settings,
        env=env,
        ready_path=tally_path,
        log_path=server_log,
        root=args.code_root,
    ) as server:
        port = server.port
        print(f"  gunicorn {args.app} on {load.HOST}:{port} ({' '.join(settings.args())})")
        # Warm every worker's connection pool, as a projector polling the tally would.
        for _ in range(4 * settings.workers):
            load.fetch(port, "GET", tally_path)

        if args.look_first:
            print("  (--look-first: every voter reads the round with its token first)")
            load.read_as(port, tally_path, [v.token for v in voters], threads=args.vote_threads)
        report["look_first"] = args.look_first
        print(f"  {len(voters)} voters cast their votes ({args.vote_threads} client threads) ...")

        def probe() -> tuple[float, float, float]:
            return server.cpu_seconds(), time.process_time(), machine_busy_seconds()

        results, wall, (before, after) = load.cast_votes(
            port, built.round_id, ballots_for(voters), threads=args.vote_threads, probe=probe
        )
        server_cpu, client_cpu, busy = (b - a for a, b in zip(before, after, strict=True))
        statuses = Counter(r.status for r in results)
        latencies = [r.seconds for r in results]
        failures = [r for r in results if r.status != 201]
        votes = {
            "voters": len(voters),
            "client_threads": args.vote_threads,
            "wall_seconds": round(wall, 3),
            "votes_per_second": round(len(voters) / wall, 1),
            "statuses": {str(k): v for k, v in sorted(statuses.items())},
            "p50_ms": ms(load.percentile(latencies, 50)),
            "p95_ms": ms(load.percentile(latencies, 95)),
            "p99_ms": ms(load.percentile(latencies, 99)),
            "max_ms": ms(max(latencies)),
            "server_cpu_ms_per_vote": round(server_cpu / len(voters) * 1000, 2),
            "client_cpu_ms_per_vote": round(client_cpu / len(voters) * 1000, 2),
            "machine": machine(busy, server_cpu + client_cpu, wall),
            "first_errors": [f"{r.status} {r.body[:300]}" for r in failures[:5]],
        }
        report["votes"] = votes
        if failures:
            print(f"  gunicorn log after the votes (last lines of {server_log}):")
            print(tail(server_log))

        # Counted twice: through the API's live tally and in the database itself.
        status, data = load.fetch(port, "GET", tally_path)
        live = json.loads(data) if status == 200 else {}
        counted = scenario.count_votes(app, built.round_id)
        expected = expected_counts(voters)
        api_total = sum(live.get("counts", {}).values()) if live else -1
        # A second vote from members who already voted must be refused and change nothing.
        repeat, _, _ = load.cast_votes(port, built.round_id, ballots_for(voters[:20]), threads=10)
        repeats = Counter(r.status for r in repeat)
        after = scenario.count_votes(app, built.round_id)
        report["integrity"] = {
            "expected": len(voters),
            "api_total": api_total,
            "api_groups": live.get("groups"),
            "expected_groups": expected,
            "db_rows": counted["rows"],
            "db_distinct_members": counted["distinct_members"],
            "audit_vote_cast": counted["audit_vote_cast"],
            "repeat_votes_statuses": {str(k): v for k, v in sorted(repeats.items())},
            "db_rows_after_repeats": after["rows"],
        }
        report["integrity"]["ok"] = (
            statuses == Counter({201: len(voters)})
            and api_total == len(voters)
            and live.get("groups") == expected
            and counted["rows"] == counted["distinct_members"] == len(voters)
            and counted["audit_vote_cast"] == len(voters)
            and repeats == Counter({409: len(repeat)})
            and after["rows"] == len(voters)
        )
        _print_votes(votes, report["integrity"])

        print(f"  tally throughput: GET {tally_path} ({args.clients} clients, {args.duration} s)")
        report["tally"] = throughput(server, tally_path, args)
        _print_throughput(report["tally"])
        if report["tally"]["errors"]:
            print(tail(server_log))

        if not args.no_live:
            from benchmarks import live

            cookies = (
                live.login(port, built.chair_email, scenario.PASSWORD),
                live.login(port, built.member_email, scenario.PASSWORD),
            )
            report["live"] = live.run(
                port,
                built.meeting_id,
                built.round_id,
                cookies,
                lambda path, headers, ok: throughput(server, path, args, headers, ok),
                _print_throughput,
            )

    with serve(
        "benchmarks.bare_app:app",
        settings,
        env=env,
        ready_path="/ping",
        log_path=tmp / f"gunicorn-bare-{kind}.log",
    ) as server:
        print(
            f"  bare throughput: GET /ping on benchmarks.bare_app:app ({load.HOST}:{server.port})"
        )
        report["bare"] = throughput(server, "/ping", args)
        _print_throughput(report["bare"])

    bare_rps = report["bare"]["requests_per_second"]
    tally_rps = report["tally"]["requests_per_second"]
    report["tally_to_bare"] = round(tally_rps / bare_rps, 3) if bare_rps else None
    for screen in report.get("live", {}).values():
        for kind in ("unchanged", "changed"):
            rps = screen[kind]["requests_per_second"]
            screen[kind]["to_bare"] = round(rps / bare_rps, 3) if bare_rps else None
    report["aims"] = {
        "all_votes_within_2s": (
            report["integrity"]["ok"] and votes["wall_seconds"] <= AIM_WALL_SECONDS
        ),
        "p99_under_250ms": votes["p99_ms"] is not None and votes["p99_ms"] < AIM_P99_MS,
        "tally_at_least_quarter_of_bare": (report["tally_to_bare"] or 0) >= AIM_RATIO,
    }
    if "live" in report:
        report["aims"]["unchanged_polls_at_least_half_of_bare"] = all(
            (screen["unchanged"]["to_bare"] or 0) >= AIM_UNCHANGED_RATIO
            for screen in report["live"].values()
        )
    return report


def _print_votes(votes: dict[str, Any], integrity: dict[str, Any]) -> None:
    print(
        f"    {votes['voters']} votes in {votes['wall_seconds']:.3f} s"
        f" = {votes['votes_per_second']} votes/s;"
        f" latency p50 {votes['p50_ms']} ms, p95 {votes['p95_ms']} ms,"
        f" p99 {votes['p99_ms']} ms, max {votes['max_ms']} ms"
    )
    print(
        f"    statuses {votes['statuses']}; CPU per vote: server {votes['server_cpu_ms_per_vote']}"
        f" ms (gunicorn only, not the database server), client {votes['client_cpu_ms_per_vote']} ms"
    )
    _print_machine(votes["machine"])
    for body in votes["first_errors"]:
        print(f"    error: {body}")
    print(
        f"    recorded: API {integrity['api_total']}, database {integrity['db_rows']} rows"
        f" ({integrity['db_distinct_members']} members), audit {integrity['audit_vote_cast']};"
        f" expected {integrity['expected']}; repeats refused"
        f" {integrity['repeat_votes_statuses']} -> {integrity['db_rows_after_repeats']} rows"
        f" -> {'OK' if integrity['ok'] else 'NOT OK'}"
    )


def _print_throughput(run: dict[str, Any]) -> None:
    print(
        f"    {run['requests_per_second']} req/s ({run['requests']} in {run['seconds']} s,"
        f" {run['errors']} errors), p50 {run['p50_ms']} ms, p99 {run['p99_ms']} ms;"
        f" CPU per request: server {run['server_cpu_ms_per_request']} ms,"
        f" client {run['client_cpu_ms_per_request']} ms"
    )
    _print_machine(run["machine"])
    for body in run["first_errors"]:
        print(f"    error: {body}")


def _print_machine(m: dict[str, Any]) -> None:
    print(
        f"    machine: {m['cpus']} CPUs {m['busy_pct']}% busy (this benchmark's gunicorn and"
        f" clients {m['ours_pct']}%, everything else incl. the database server {m['other_pct']}%)"
    )


def summary(reports: list[dict[str, Any]]) -> None:
    print("\n== summary ==")
    header = (
        f"  {'database':<11}{'votes/s':>9}{'wall s':>8}{'p50':>8}{'p95':>8}{'p99':>8}"
        f"{'recorded':>10}{'tally/s':>9}{'bare/s':>9}{'ratio':>7}"
    )
    print(header + "   (latencies in ms)")
    for r in reports:
        if "error" in r:
            print(f"  {r['database']:<11}failed: {r['error']}")
            continue
        if "skipped" in r:
            print(f"  {r['database']:<11}skipped: {r['skipped']}")
            continue
        v, i = r["votes"], r["integrity"]
        print(
            f"  {r['database']:<11}{v['votes_per_second']!s:>9}{v['wall_seconds']:>8.2f}"
            f"{v['p50_ms']!s:>8}{v['p95_ms']!s:>8}{v['p99_ms']!s:>8}"
            f"{i['db_rows']:>5}/{i['expected']:<4}{r['tally']['requests_per_second']!s:>9}"
            f"{r['bare']['requests_per_second']!s:>9}{r['tally_to_bare']!s:>7}"
        )
    _summary_live(reports)
    print(
        "  aims: all 400 votes within 2 s | p99 < 250 ms | tally >= 1/4 of bare"
        " | unchanged live polls >= 1/2 of bare"
    )
    for r in reports:
        if "aims" in r:
            marks = " | ".join(
                f"{name}: {'met' if ok else 'MISSED'}" for name, ok in r["aims"].items()
            )
            print(f"  {r['database']:<11}{marks}")
    if any("aims" in r and not all(r["aims"].values()) for r in reports):
        print("  where the time goes: python -m benchmarks.profile_votes [--database postgresql]")


def _summary_live(reports: list[dict[str, Any]]) -> None:
    if not any("live" in r for r in reports):
        return
    print("  live screens (req/s, ratio to bare; unchanged polls send If-None-Match):")
    print(
        f"  {'database':<11}{'screen':<11}{'unchanged':>10}{'ratio':>7}{'status':>7}"
        f"{'changed':>9}{'ratio':>7}  cache-control"
    )
    for r in reports:
        for name, screen in r.get("live", {}).items():
            u, c = screen["unchanged"], screen["changed"]
            print(
                f"  {r['database']:<11}{name:<11}{u['requests_per_second']!s:>10}"
                f"{u['to_bare']!s:>7}{u['status']!s:>7}{c['requests_per_second']!s:>9}"
                f"{c['to_bare']!s:>7}  {screen['cache_control']}"
            )


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    from benchmarks import scenario

    signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(args.time_limit)
    started = time.monotonic()
    reports: list[dict[str, Any]] = []
    kinds = [k.strip() for k in args.databases.split(",") if k.strip()]
    try:
        with tempfile.TemporaryDirectory(prefix="wijkraad-bench-") as tmp_name:
            tmp = Path(tmp_name)
            for kind in kinds:
                if kind == "sqlite":
                    url = f"sqlite:///{tmp / 'bench.sqlite3'}"
                elif kind == "postgresql":
                    print("\n(postgresql: preparing the benchmark database)")
                    url = scenario.prepare_postgres()
                    if url is None:
                        reports.append({"database": kind, "skipped": "no PostgreSQL available"})
                        continue
                else:
                    print(f"unknown database {kind!r}", file=sys.stderr)
                    return 2
                try:
                    reports.append(run_database(kind, url, args, tmp))
                except TimeLimit:
                    raise
                except Exception as exc:
                    print(f"  {kind} failed: {type(exc).__name__}: {exc}")
                    reports.append({"database": kind, "error": f"{type(exc).__name__}: {exc}"})
    except TimeLimit as exc:
        print(f"\n{exc} ({args.time_limit} s); stopped")
        reports.append({"database": "-", "error": str(exc)})
    finally:
        signal.alarm(0)

    summary(reports)
    document = {
        "benchmark": "votes",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "aims": {
            "wall_seconds_max": AIM_WALL_SECONDS,
            "p99_ms_max": AIM_P99_MS,
            "tally_to_bare_min": AIM_RATIO,
            "unchanged_live_to_bare_min": AIM_UNCHANGED_RATIO,
        },
        "seconds": round(time.monotonic() - started, 1),
        "results": reports,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(document, indent=2, allow_nan=False, default=str) + "\n")
    print(f"\nwritten to {args.output}")
    ok = all("error" not in r and r.get("integrity", {"ok": True})["ok"] for r in reports)
    return 0 if ok else 1
