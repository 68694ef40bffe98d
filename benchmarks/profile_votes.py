"""Where a vote's and a tally's time goes: cProfile and SQL statement counts, in-process.

``python -m benchmarks.profile_votes [--database sqlite|postgresql] [--top 25]`` builds the same
scenario as the benchmark, then casts every member's vote and reads the tally 400 times through
Flask's test client (one thread, no gunicorn), under cProfile, while counting and timing every SQL
statement. It prints the statements per request grouped by their text, and the functions that
take the most time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask

from benchmarks import scenario
from benchmarks.votes import ballots_for


class StatementLog:
    """Every statement the engine runs, with its time, grouped by its normalised text."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.count: dict[str, int] = defaultdict(int)
        self.seconds: dict[str, float] = defaultdict(float)
        self.active = False
        sa.event.listen(engine, "before_cursor_execute", self._before)
        sa.event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        conn.info.setdefault("bench_t0", []).append(time.perf_counter())

    def _after(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        t0 = conn.info["bench_t0"].pop()
        if self.active:
            key = normalise(statement)
            self.count[key] += 1
            self.seconds[key] += time.perf_counter() - t0

    def reset(self) -> None:
        self.count.clear()
        self.seconds.clear()

    def report(self, requests: int, wall: float) -> str:
        total_n = sum(self.count.values())
        total_s = sum(self.seconds.values())
        lines = [
            f"  {total_n / requests:.1f} statements per request, {total_s / requests * 1000:.2f} ms"
            f" in the database driver of {wall / requests * 1000:.2f} ms per request"
            f" ({total_s / wall:.0%})"
        ]
        for key in sorted(self.seconds, key=self.seconds.__getitem__, reverse=True):
            lines.append(
                f"  {self.count[key] / requests:5.2f}x {self.seconds[key] / requests * 1000:6.3f} ms"
                f"  {key[:150]}"
            )
        return "\n".join(lines)


def normalise(statement: str) -> str:
    text = re.sub(r"\s+", " ", statement).strip()
    text = re.sub(r"SELECT .*? FROM", "SELECT … FROM", text, count=1)
    return re.sub(r"sa_savepoint_\d+", "sa_savepoint_N", text)


def profiled(
    label: str, app: Flask, log: StatementLog, calls: list[Callable[[], int]], top: int
) -> None:
    profile = cProfile.Profile()
    log.reset()
    log.active = True
    statuses: dict[int, int] = defaultdict(int)
    t0 = time.perf_counter()
    profile.enable()
    for call in calls:
        statuses[call()] += 1
    profile.disable()
    wall = time.perf_counter() - t0
    log.active = False
    print(f"\n== {label}: {len(calls)} requests in {wall:.2f} s, statuses {dict(statuses)} ==")
    print(f"  {wall / len(calls) * 1000:.2f} ms per request in one thread")
    print(log.report(len(calls), wall))
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).strip_dirs().sort_stats("tottime")
    stats.print_stats(top)
    print(f"\n  top {top} functions by own time:")
    print("\n".join("  " + line for line in out.getvalue().splitlines()[4:] if line.strip()))
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).sort_stats("cumulative")
    stats.print_stats(r"wijkraad|sqlalchemy/orm/(session|query|loading)|pydantic|flask/app", top)
    print(f"\n  top {top} app/ORM functions by cumulative time:")
    print("\n".join("  " + line for line in out.getvalue().splitlines()[4:] if line.strip()))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.profile_votes")
    p.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    p.add_argument("--residents", type=int, default=260)
    p.add_argument("--councillors", type=int, default=140)
    p.add_argument("--top", type=int, default=25)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="wijkraad-profile-") as tmp:
        if args.database == "sqlite":
            url = f"sqlite:///{Path(tmp) / 'profile.sqlite3'}"
        else:
            url = scenario.prepare_postgres()
            if url is None:
                return 1
        app = scenario.make_app(scenario.sqlalchemy_url(url))
        built = scenario.build(
            app, residents=args.residents, councillors=args.councillors, log=lambda *_: None
        )
        with app.app_context():
            from wijkraad.extensions import db

            log = StatementLog(db.engine)
        client = app.test_client()
        path = f"/api/v1/rounds/{built.round_id}"

        def vote(token: str, choice: str) -> Callable[[], int]:
            return lambda: (
                client.post(
                    f"{path}/votes",
                    json={"choice": choice},
                    headers={"Authorization": f"Bearer {token}"},
                ).status_code
            )

        def tally() -> int:
            return client.get(path).status_code

        profiled(
            "POST /votes",
            app,
            log,
            [vote(t, c) for t, c in ballots_for(built.voters)],
            args.top,
        )
        profiled(f"GET {path} (anonymous)", app, log, [tally] * len(built.voters), args.top)
        with app.app_context():
            db.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
