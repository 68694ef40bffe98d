"""The public record's PDFs: a meeting's decision list of 15 decisions and a council's decisions
of a year (500), each asked of the app (a request through Flask's test client, cold: nothing
stored yet, so it reads, digests, renders, stores and commits) beside bare WeasyPrint rendering
the same HTML with the same options (PDF/A-3u, tagged); then served again from the store, and
answered 304 to a caller who has it.

Aims: the decision list under 1 s; each document at most 1.3 times bare WeasyPrint. In-process,
on SQLite and on PostgreSQL when a local cluster answers (``WIJKRAAD_BENCH_DATABASE_URL`` names
one explicitly: its ``public`` schema is reset). The report is printed and written to
``bench-results/pdf.json``. Exit status 0 when every run completed (aims met or not), 1 when
one failed.

    python -m benchmarks.pdf [--databases sqlite,postgresql] [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pypdf
import sqlalchemy as sa
import weasyprint
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy.orm import Session

from benchmarks import scenario
from benchmarks.server import ROOT
from wijkraad import clock
from wijkraad.auth.actor import ANONYMOUS, Actor, CouncilSeat
from wijkraad.councils import services as council_services
from wijkraad.councils.models import Council, Membership
from wijkraad.councils.rules import DecisionRule, Role, Seat
from wijkraad.extensions import db
from wijkraad.meetings import attendance
from wijkraad.meetings import services as meetings
from wijkraad.motions import services as motions
from wijkraad.motions.models import Motion
from wijkraad.publishing import pdf
from wijkraad.publishing.models import RenderedFile
from wijkraad.voting import casting
from wijkraad.voting import decisions as deciding
from wijkraad.voting import services as voting
from wijkraad.voting.models import Decision
from wijkraad.voting.rules import Choice, GroupCounts, RoundMode, Tally

RESULTS = ROOT / "bench-results" / "pdf.json"
AIM_LIST_SECONDS = 1.0
AIM_RATIO = 1.3
EXPLANATION = (
    "De bewoners van de buurt vroegen hierom in de wijkschouw van het voorjaar. De gemeente "
    "voert het werk uit; de wijkraad volgt de uitvoering en bespreekt die na een half jaar.\n"
    "Omwonenden worden vooraf per brief geïnformeerd."
)
COMMITMENTS = "De wethouder zegt toe de planning voor de zomer te sturen."


def arguments(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.pdf", description=__doc__.split("\n\n")[0]
    )
    p.add_argument("--databases", default="sqlite,postgresql", help="comma-separated")
    p.add_argument("--list-decisions", type=int, default=15)
    p.add_argument("--year-decisions", type=int, default=500)
    p.add_argument("--per-meeting", type=int, default=25, help="decisions per meeting of the year")
    p.add_argument("--repeat", type=int, default=5, help="cold renderings per document (median)")
    p.add_argument("--output", type=Path, default=RESULTS)
    return p.parse_args(argv)


@dataclass
class Built:
    list_meeting_id: int
    year_slug: str
    year: int
    decisions_in_year: int


def _decide_meeting(
    session: Session, admin: Actor, council: Council, decisions: int, named: bool, n: int
) -> int:
    """A meeting with ``decisions`` decisions over five agenda items, closed: its id."""
    today, now = clock.today(), clock.now()
    meeting = meetings.create_meeting(
        session,
        admin,
        council,
        title=f"Wijkraadvergadering {n}",
        starts_at=now + timedelta(minutes=n),
        location="Buurthuis De Oosterpoort",
    )
    items = [
        meetings.add_item(session, admin, meeting, title=f"Agendapunt {i + 1} van de wijk")
        for i in range(5)
    ]
    meetings.publish(session, admin, meeting, now)
    seated: list[Membership] = council.current_memberships(today)
    present = [m for m in seated if m.person.name != "Raadslid 6"]
    attendance.set_attendance(
        session,
        admin,
        meeting,
        present={m.id for m in present},
        absent_with_notice={m.id for m in seated} - {m.id for m in present},
        now=now,
        on=today,
    )
    meetings.open_meeting(session, admin, meeting, now, today)
    for i in range(decisions):
        motion = motions.submit_motion(
            session,
            admin,
            items[i % len(items)],
            title=f"Voorstel {n}.{i + 1}: bankjes en bomen",
            text=f"De wijkraad besluit tot voorstel {n}.{i + 1}.",
            on=today,
        )
        mode = RoundMode.NAMED if named else RoundMode.ANALOG
        vote_round = voting.open_round(session, admin, motion, mode=mode, now=clock.now(), on=today)
        if named:
            for k, m in enumerate(present):
                actor = Actor(
                    user_id=m.person.user_id,
                    person_id=m.person_id,
                    seats={council.id: CouncilSeat(m.id, m.seat, m.role)},
                )
                choice = [Choice.YES, Choice.YES, Choice.NO, Choice.ABSTAIN][(k + i) % 4]
                casting.cast_vote(session, actor, vote_round.id, choice, clock.now())
        else:
            voting.set_counts(
                session, admin, vote_round, Tally(GroupCounts(6, 3, 2), GroupCounts(3, 1, 1))
            )
        deciding.close_round(session, admin, vote_round, now=clock.now(), on=today)
    voting.close_meeting(session, admin, meeting, clock.now())
    session.commit()
    return meeting.id


def build(app: Flask, args: argparse.Namespace, log: Callable[[str], None] = print) -> Built:
    """Two councils of 11 residents and 6 councillors: one meeting with ``list_decisions`` named
    votes; a year of ``year_decisions`` decisions by show of hands. Every decision explained,
    with a commitment, and every third one with an amount."""
    admin = Actor(user_id=None, is_admin=True)
    with app.app_context():
        upgrade()
        councils = {}
        for slug, code in (("bench-lijst", "BLS"), ("bench-jaar", "BJR")):
            council = council_services.create_council(
                db.session,
                admin,
                slug,
                council_services.CouncilData(
                    name=f"Wijkraad {slug.split('-')[1].title()}",
                    municipality="Groningen",
                    resident_seats=11,
                    councillor_seats=6,
                    decision_rule=DecisionRule.COOPERATIVE,
                    publishes_resident_names=slug == "bench-lijst",
                    code=code,
                ),
            )
            for i in range(17):
                seat = Seat.RESIDENT if i < 11 else Seat.COUNCILLOR
                role = Role.CHAIR if i == 0 else Role.SECRETARY if i == 1 else Role.MEMBER
                name = f"Bewoner {i + 1}" if seat is Seat.RESIDENT else f"Raadslid {i - 10}"
                council_services.appoint_member(
                    db.session,
                    admin,
                    council,
                    name=name,
                    email=f"{slug}-{i}@bench.example.org",
                    seat=seat,
                    role=role,
                    starts_on=clock.today(),
                )
            db.session.commit()
            councils[slug] = council
        list_id = _decide_meeting(
            db.session, admin, councils["bench-lijst"], args.list_decisions, True, 1
        )
        log(f"    a meeting with {args.list_decisions} decisions by named vote")
        made, n = 0, 1
        while made < args.year_decisions:
            count = min(args.per_meeting, args.year_decisions - made)
            n += 1
            _decide_meeting(db.session, admin, councils["bench-jaar"], count, False, n)
            made += count
        log(f"    a year of {made} decisions in {n - 1} meetings")
        db.session.execute(
            sa.update(Decision).values(explanation=EXPLANATION, commitments=COMMITMENTS)
        )
        db.session.execute(sa.update(Motion).where(Motion.id % 3 == 0).values(amount_cents=250_000))
        db.session.commit()
        year = db.session.scalar(sa.select(Decision.year).limit(1))
        db.session.remove()
    return Built(list_id, "bench-jaar", year, made)


def _timed(run: Callable[[], Any]) -> tuple[float, float]:
    """Wall and CPU seconds of ``run`` (CPU: this process's, which the machine's other load
    does not inflate as much as the wall time)."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def _median(run: Callable[[], Any], repeat: int) -> float:
    return statistics.median(_timed(run)[0] for _ in range(repeat))


def measure(app: Flask, url: str, prepare: Callable[[], Any], repeat: int) -> dict[str, Any]:
    """Cold requests (nothing stored) beside bare WeasyPrint on the same HTML, interleaved so
    both see the same machine; then the stored file, and a 304."""
    with app.app_context():
        prepare()  # warm up
        db.session.remove()
        prepared = []
        for _ in range(5):
            t0 = time.perf_counter()
            document = prepare()
            prepared.append(time.perf_counter() - t0)
            db.session.remove()
        html = pdf.html_of(document)

    def forget() -> None:
        with app.app_context():
            db.session.execute(sa.delete(RenderedFile))
            db.session.commit()
            db.session.remove()

    client = app.test_client()
    state: dict[str, Any] = {}

    def ours() -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url}: {response.status_code}")
        state["response"] = response

    def bare() -> None:
        state["bare"] = weasyprint.HTML(
            string=html, base_url=pdf.STATIC_BASE, url_fetcher=pdf.OwnStaticFiles()
        ).write_pdf(**pdf.OPTIONS)

    def plain() -> None:
        weasyprint.HTML(
            string=html, base_url=pdf.STATIC_BASE, url_fetcher=pdf.OwnStaticFiles()
        ).write_pdf()

    forget()
    ours()  # warm up: fonts, templates, connections
    bare()
    cold, bares, cold_cpu, bare_cpu = [], [], [], []
    for _ in range(repeat):
        forget()
        wall, cpu = _timed(ours)
        cold.append(wall)
        cold_cpu.append(cpu)
        wall, cpu = _timed(bare)
        bares.append(wall)
        bare_cpu.append(cpu)
    response = state["response"]
    etag = response.headers["ETag"]
    stored = _median(ours, 5)
    not_modified = _median(lambda: client.get(url, headers={"If-None-Match": etag}), 5)
    untagged = _median(plain, max(1, repeat // 2))
    pages = len(pypdf.PdfReader(io.BytesIO(response.data)).pages)
    result = {
        "url": url,
        "html_kb": round(len(html.encode()) / 1024, 1),
        "pdf_kb": round(len(response.data) / 1024, 1),
        "pages": pages,
        "prepare_ms": round(statistics.median(prepared) * 1000, 1),
        "cold_request_s": round(statistics.median(cold), 3),
        "bare_weasyprint_s": round(statistics.median(bares), 3),
        "cold_request_cpu_s": round(statistics.median(cold_cpu), 3),
        "bare_weasyprint_cpu_s": round(statistics.median(bare_cpu), 3),
        "bare_plain_pdf_s": round(untagged, 3),
        "stored_request_ms": round(stored * 1000, 1),
        "not_modified_ms": round(not_modified * 1000, 1),
        "cold_runs_s": [round(t, 3) for t in cold],
        "bare_runs_s": [round(t, 3) for t in bares],
    }
    result["ratio"] = round(result["cold_request_s"] / result["bare_weasyprint_s"], 3)
    result["cpu_ratio"] = round(result["cold_request_cpu_s"] / result["bare_weasyprint_cpu_s"], 3)
    return result


def _print(name: str, r: dict[str, Any]) -> None:
    print(
        f"  {name}: {r['pages']} pages, {r['pdf_kb']} KB; cold request {r['cold_request_s']} s"
        f" vs bare WeasyPrint {r['bare_weasyprint_s']} s (ratio {r['ratio']});"
        f" CPU {r['cold_request_cpu_s']} s vs {r['bare_weasyprint_cpu_s']} s"
        f" (ratio {r['cpu_ratio']}); read and digest {r['prepare_ms']} ms;"
        f" without PDF/A and tags {r['bare_plain_pdf_s']} s;"
        f" stored {r['stored_request_ms']} ms, 304 {r['not_modified_ms']} ms"
    )


def run_database(kind: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    print(f"\n== {kind} ==")
    t0 = time.perf_counter()
    app = scenario.make_app(scenario.sqlalchemy_url(url))
    built = build(app, args)
    report: dict[str, Any] = {"database": kind, "setup_seconds": round(time.perf_counter() - t0, 1)}
    print(f"  ready in {report['setup_seconds']} s")
    report["decision_list"] = measure(
        app,
        f"/vergaderingen/{built.list_meeting_id}/besluitenlijst.pdf",
        lambda: pdf.decision_list_document(db.session, ANONYMOUS, built.list_meeting_id),
        args.repeat,
    )
    _print(f"decision list ({args.list_decisions} decisions)", report["decision_list"])
    report["annual_list"] = measure(
        app,
        f"/wijkraden/{built.year_slug}/besluiten/{built.year}.pdf",
        lambda: pdf.annual_list_document(db.session, built.year_slug, built.year),
        args.repeat,
    )
    _print(f"annual list ({built.decisions_in_year} decisions)", report["annual_list"])
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    report["aims"] = {
        "decision_list_under_1s": report["decision_list"]["cold_request_s"] < AIM_LIST_SECONDS,
        "decision_list_within_1.3x_bare": report["decision_list"]["ratio"] <= AIM_RATIO,
        "annual_list_within_1.3x_bare": report["annual_list"]["ratio"] <= AIM_RATIO,
    }
    return report


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    reports: list[dict[str, Any]] = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="wijkraad-bench-pdf-") as tmp:
        ran = scenario.run_each_database(
            args.databases,
            Path(tmp) / "bench.sqlite3",
            lambda kind, url: run_database(kind, url, args),
        )
    if ran is None:
        return 2
    reports.extend(ran)
    print("\n== summary ==")
    print(
        f"  {'database':<11}{'document':<15}{'cold s':>8}{'bare s':>8}{'ratio':>7}{'stored ms':>11}{'304 ms':>8}"
    )
    for r in reports:
        if "error" in r or "skipped" in r:
            print(f"  {r['database']:<11}{r.get('error') or r.get('skipped')}")
            continue
        for name in ("decision_list", "annual_list"):
            m = r[name]
            print(
                f"  {r['database']:<11}{name:<15}{m['cold_request_s']:>8}{m['bare_weasyprint_s']:>8}"
                f"{m['ratio']:>7}{m['stored_request_ms']:>11}{m['not_modified_ms']:>8}"
            )
        marks = " | ".join(f"{k}: {'met' if ok else 'MISSED'}" for k, ok in r["aims"].items())
        print(f"  {r['database']:<11}{marks}")
    document = {
        "benchmark": "pdf",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_1min": round(os.getloadavg()[0], 2),
        },
        "aims": {"decision_list_seconds_max": AIM_LIST_SECONDS, "ratio_to_bare_max": AIM_RATIO},
        "seconds": round(time.monotonic() - started, 1),
        "results": reports,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(document, indent=2, allow_nan=False, default=str) + "\n")
    print(f"\nwritten to {args.output}")
    return 0 if all("error" not in r for r in reports) else 1


if __name__ == "__main__":
    raise SystemExit(main())
