"""Prints how many SQL statements each page and API read takes, at each data size.

    python -m tests.querycount_report                  # on a new SQLite database
    python -m tests.querycount_report --sql "/vergaderingen/{meeting} as chair"
    python -m tests.querycount_report --database-url postgresql://.../scratch   # EMPTIES it

Sizes: ``members/motions`` of the council and meeting read (see tests/querycount_world.py);
``before``/``after``: reads over every council and account, before and after the 400-member
council is added. ``+/motion`` is the growth per motion from 10 to 40 motions, ``+/member``
per member from 17 to 400 members (per account for the reads over all councils).
What is counted is described in tests/querycount.py. Run it from the project's root.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from tests.querycount import READS, Measurement, Meter, Read, prepare
from wijkraad import create_app

COLUMNS = ["17/0", "17/10", "17/40", "400/10", "before", "after"]


def _growth(counts: dict[str, int]) -> str:
    """What changes between the sizes: the step from 0 to 10 motions, then the growth per
    motion (10 to 40), per member (17 to 400) and per account (before and after)."""
    parts = []
    if "17/0" in counts and counts["17/10"] != counts["17/0"]:
        parts.append(f"0→10 motions {counts['17/10'] - counts['17/0']:+d}")
    for low, high, n, unit in (
        ("17/10", "17/40", 30, "motion"),
        ("17/10", "400/10", 383, "member"),
        ("before", "after", 400, "account"),
    ):
        if low in counts and high in counts and counts[high] != counts[low]:
            parts.append(f"{(counts[high] - counts[low]) / n:+.2f}/{unit}")
    return ", ".join(parts)


def table(results: list[tuple[Read, dict[str, Measurement]]]) -> str:
    width = max(len(read.name) for read, _ in results)
    head = f"{'read':<{width}} " + " ".join(f"{c:>7}" for c in COLUMNS) + "  growth"
    lines = [head, "-" * len(head)]
    for read, measured in results:
        counts = {size: m.count.total for size, m in measured.items()}
        cells = " ".join(f"{counts.get(c, ''):>7}" for c in COLUMNS)
        flag = f"  {_growth(counts)}" if len(set(counts.values())) > 1 else ""
        lines.append(f"{read.name:<{width}} {cells}{flag}")
    constant = sum(1 for _, m in results if len({x.count.total for x in m.values()}) == 1)
    lines.append(f"\n{constant} of {len(results)} stay constant.")
    return "\n".join(lines)


def statements(read: Read, measured: dict[str, Measurement]) -> str:
    out = []
    for size, m in measured.items():
        out.append(f"\n== {read.name} at {size}: {m.url}  {m.count.summary()} statements")
        out.append(f"   transactions: {dict(m.count.transactions) or 'none'}")
        out += [f"{n:5d} × {sql[:300]}" for n, sql in m.count.grouped()]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL database to use: it is EMPTIED")
    parser.add_argument("--only", default="", help="only the reads whose name contains this")
    parser.add_argument("--sql", default=None, help="also list the statements of these reads")
    args = parser.parse_args(argv)

    from tests.conftest import upgrade_to_head

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'counts.sqlite3'}"
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "querycount",
                "SQLALCHEMY_DATABASE_URI": url,
                "ARGON2_PROFILE": "CHEAPEST",
                "SERVER_NAME": "localhost",
            }
        )
        upgrade_to_head(app)
        meter: Meter = prepare(app)
        results = [(r, meter.counts(r)) for r in READS if args.only in r.name]
        print(f"SQL statements per request on {meter.engine.dialect.name}\n")
        print(table(results))
        if args.sql is not None:
            for read, measured in results:
                if args.sql in read.name:
                    print(statements(read, measured))
        meter.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
