"""The neighbourhood budget's reads at size: a council with 10 years of budgets of 40 lines
each and 2,000 decisions with money (200 a year), every one with progress notes. Times the
public budget page of a year and the API's read of it (p50 and p95 over ``--repeat`` requests
through Flask's test client, in-process), and counts their SQL statements, which must be the
same as for a council without any decision. Then the annual accountability report (PDF) of a
year with 500 decisions: a cold request (nothing stored: it reads, digests, renders, stores
and commits) beside bare WeasyPrint rendering the same HTML with the same options, as
``benchmarks.pdf`` measures the decision lists (``--pdf-repeat`` runs each).

The budgets, lines and meetings are made through the services; the decisions, their motions,
executions and notes are written in bulk (the services would take minutes for 2,000), with the
values the services write. On SQLite, and on PostgreSQL when a local cluster answers
(``WIJKRAAD_BENCH_DATABASE_URL`` names one explicitly: its ``public`` schema is reset). The report
is printed and written to ``bench-results/budget.json``. Exit status 0 when every run completed,
1 when one failed.

    python -m benchmarks.budget [--databases sqlite,postgresql] [--repeat 50] [--pdf-repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from benchmarks import pdf as pdf_bench
from benchmarks import scenario
from benchmarks.server import ROOT
from wijkraad.auth.actor import Actor
from wijkraad.budget import services as budget
from wijkraad.budget.models import Execution, ProgressNote
from wijkraad.budget.rules import ExecutionStatus
from wijkraad.councils import services as council_services
from wijkraad.extensions import db
from wijkraad.meetings import services as meetings
from wijkraad.motions.models import Motion
from wijkraad.publishing import pdf
from wijkraad.voting.models import Decision

RESULTS = ROOT / "bench-results" / "budget.json"
YEARS = 10
LINES = 40
DECISIONS = 2_000
NOTES = 3  # per decision
REPORT_DECISIONS = 500  # in the year of the accountability report
ADMIN = Actor(user_id=None, is_admin=True)
REPORT = "bench-verantwoording"


def arguments(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--databases", default="sqlite,postgresql", help="comma-separated")
    p.add_argument("--repeat", type=int, default=50, help="requests per read")
    p.add_argument("--pdf-repeat", type=int, default=3, help="cold renderings of the report")
    p.add_argument("--output", type=Path, default=RESULTS)
    return p.parse_args(argv)


def build(app: Flask, log: Any = print) -> tuple[str, str, int]:
    """The big council and an empty one; their slugs and the year measured (the last). And a
    council with one year of ``REPORT_DECISIONS`` decisions, for the report (``REPORT``)."""
    started = time.monotonic()
    first = date.today().year - YEARS + 1
    with app.app_context():
        upgrade()
        session = db.session
        slugs = []
        for slug in ("bench-budget", "bench-leeg", REPORT):
            council = council_services.create_council(
                session,
                ADMIN,
                slug,
                council_services.CouncilData(
                    name=f"Wijkraad {slug}",
                    municipality="Groningen",
                    resident_seats=11,
                    councillor_seats=6,
                ),
            )
            slugs.append(slug)
            years = [first + YEARS - 1] if slug == REPORT else range(first, first + YEARS)
            for year in years:
                made = budget.create_budget(
                    session, ADMIN, council, year=year, total_cents=LINES * 1_000_000_00
                )
                lines = [
                    budget.add_line(
                        session,
                        ADMIN,
                        made,
                        code=f"P{n:02d}",
                        name=f"Post {n}",
                        allocated_cents=1_000_000_00,
                    )
                    for n in range(LINES)
                ]
                if slug == "bench-leeg":
                    continue
                meeting = meetings.create_meeting(
                    session,
                    ADMIN,
                    council,
                    title=f"Vergadering {year}",
                    starts_at=datetime(year, 6, 1, 17, 30, tzinfo=UTC),
                    location="Buurthuis",
                )
                item = meetings.add_item(session, ADMIN, meeting, title="Wijkbudget")
                session.flush()
                count, prefix = (
                    (REPORT_DECISIONS, "VV") if slug == REPORT else (DECISIONS // YEARS, "BB")
                )
                _decisions(
                    session,
                    council.id,
                    meeting.id,
                    item.id,
                    year,
                    [x.id for x in lines],
                    count=count,
                    prefix=prefix,
                )
            session.commit()
        log(f"  built in {time.monotonic() - started:.1f} s")
        return slugs[0], slugs[1], first + YEARS - 1


def _decisions(
    session: Any,
    council_id: int,
    meeting_id: int,
    item_id: int,
    year: int,
    lines: list[int],
    *,
    count: int,
    prefix: str,
) -> None:
    per_year = count
    now = datetime.now(UTC)
    motion_ids = session.scalars(
        sa.insert(Motion).returning(Motion.id),
        [
            {
                "agenda_item_id": item_id,
                "title": f"Project {year}-{n}",
                "text": "De wijkraad besluit.",
                "status": "adopted",
                "requirement": "majority",
                "amount_cents": 100_000,
                "budget_line_id": lines[n % len(lines)],
                "vote_requested": False,
                "ties": 0,
                "created_at": now,
            }
            for n in range(per_year)
        ],
    ).all()
    decided_on = date(year, 6, 1)
    decision_ids = session.scalars(
        sa.insert(Decision).returning(Decision.id),
        [
            {
                "council_id": council_id,
                "motion_id": motion_id,
                "round_id": None,
                "meeting_id": meeting_id,
                "identifier": f"{prefix}-{year}-{n + 1:03d}",
                "year": year,
                "number": n + 1,
                "outcome": "adopted",
                "text": f"Project {year}-{n}",
                "explanation": "",
                "commitments": "",
                "decided_on": decided_on,
                "created_at": now,
            }
            for n, motion_id in enumerate(motion_ids)
        ],
    ).all()
    statuses = list(ExecutionStatus)
    status_of = [statuses[n % len(statuses)] for n in range(len(decision_ids))]
    execution_ids = session.scalars(
        sa.insert(Execution).returning(Execution.id),
        [
            {
                "decision_id": decision_id,
                "line_id": lines[n % len(lines)],
                "committed_cents": 100_000,
                "spent_cents": NOTES * 10_000,
                "status": status_of[n].value,
                "is_confidential": False,
                "committed_at": now,
                "updated_at": now,
            }
            for n, decision_id in enumerate(decision_ids)
        ],
    ).all()
    session.execute(
        sa.insert(ProgressNote),
        [
            {
                "execution_id": execution_id,
                "noted_on": decided_on + timedelta(days=30 * (k + 1)),
                "note": f"Stand {k + 1}: werk in uitvoering, factuur betaald.",
                "spent_cents": 10_000,
                # the last note leaves the status the execution has (done: delivered then)
                "status": (status_of[n] if k == NOTES - 1 else ExecutionStatus.IN_PROGRESS).value,
                "author_id": None,
                "created_at": now,
            }
            for n, execution_id in enumerate(execution_ids)
            for k in range(NOTES)
        ],
    )


def measure(app: Flask, url: str, repeat: int) -> dict[str, Any]:
    client = app.test_client()
    with app.app_context():
        engine = db.engine
    assert client.get(url).status_code == 200, url  # warm
    statements = 0

    def count(*_: Any) -> None:
        nonlocal statements
        statements += 1

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    times.sort()
    return {
        "url": url,
        "statements": statements,
        "bytes": len(response.data),
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)] * 1000, 1),
    }


def measure_report(app: Flask, year: int, repeat: int) -> dict[str, Any]:
    """The accountability report of ``REPORT``'s year beside bare WeasyPrint on its HTML."""
    result = pdf_bench.measure(
        app,
        f"/wijkraden/{REPORT}/begroting/{year}/verantwoording.pdf",
        lambda: pdf.budget_report_document(db.session, REPORT, year),
        repeat,
    )
    result["decisions"] = REPORT_DECISIONS
    print(
        f"  report ({REPORT_DECISIONS} decisions, {result['pages']} pages, {result['pdf_kb']} KB):"
        f" cold request {result['cold_request_s']} s, bare WeasyPrint"
        f" {result['bare_weasyprint_s']} s, ratio {result['ratio']}"
        f" (CPU ratio {result['cpu_ratio']}); read and digest {result['prepare_ms']} ms;"
        f" stored {result['stored_request_ms']} ms, 304 {result['not_modified_ms']} ms"
    )
    return result


def run_database(kind: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    print(f"\n== {kind} ==")
    app = scenario.make_app(url)
    slug, empty, year = build(app)
    report: dict[str, Any] = {"database": kind}
    for name, path in (
        ("page", "/wijkraden/{slug}/begroting/{year}"),
        ("api", "/api/v1/councils/{slug}/budgets/{year}"),
    ):
        big = measure(app, path.format(slug=slug, year=year), args.repeat)
        none = measure(app, path.format(slug=empty, year=year), 3)
        big["statements_without_decisions"] = none["statements"]
        report[name] = big
        print(
            f"  {name:<5} p50 {big['p50_ms']} ms, p95 {big['p95_ms']} ms, "
            f"{big['statements']} statements ({none['statements']} without decisions)"
        )
    report["report_pdf"] = measure_report(app, year, args.pdf_repeat)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    report["statements_do_not_grow"] = all(
        report[n]["statements"] == report[n]["statements_without_decisions"]
        for n in ("page", "api")
    )
    return report


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    reports: list[dict[str, Any]] = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="wijkraad-bench-budget-") as tmp:
        ran = scenario.run_each_database(
            args.databases,
            Path(tmp) / "bench.sqlite3",
            lambda kind, url: run_database(kind, url, args),
        )
    if ran is None:
        return 2
    reports.extend(ran)
    document = {
        "benchmark": "budget",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "size": {
            "years": YEARS,
            "lines": LINES,
            "decisions": DECISIONS,
            "notes_each": NOTES,
            "report_decisions": REPORT_DECISIONS,
        },
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_1min": round(os.getloadavg()[0], 2),
        },
        "seconds": round(time.monotonic() - started, 1),
        "results": reports,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(document, indent=2, default=str) + "\n")
    print(f"\nwritten to {args.output}")
    return 1 if any("error" in r for r in reports) else 0


if __name__ == "__main__":
    sys.exit(main())
