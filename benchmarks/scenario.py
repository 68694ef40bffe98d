"""The benchmark's database: a council of 400 members in a meeting with one open named round.

Built in-process through the real services and the JSON API (through Flask's test client), the
way ``tests/conftest.py``'s ``Factory`` does, so every row is one the app itself would write.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import sqlalchemy as sa
from flask import Flask

SLUG = "bench"
DEFAULT_PG_URL = "postgresql://wijkraad:wijkraad@localhost/wijkraad_bench"
BATCH = 50
# The chair and one member log in on the pages (the console, the phone panel).
LOGGED_IN = (1, 2)
PASSWORD = "benchmark password"  # noqa: S105 (the throwaway benchmark database's)


@dataclass(frozen=True)
class Voter:
    membership_id: int
    seat: str  # resident | councillor
    token: str


@dataclass
class Scenario:
    url: str  # as the app takes it (SQLAlchemy URL)
    server_url: str  # as WIJKRAAD_DATABASE_URL for gunicorn
    round_id: int = 0
    meeting_id: int = 0
    motion_id: int = 0
    chair_token: str = ""
    chair_email: str = ""
    member_email: str = ""
    voters: list[Voter] = field(default_factory=list)
    setup_seconds: float = 0.0


def make_app(url: str) -> Flask:
    from wijkraad import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})


def build(app: Flask, *, residents: int, councillors: int, log: Any = print) -> Scenario:
    """Migrates, seats ``residents + councillors`` members with a token each, opens a round."""
    from flask_migrate import upgrade

    from wijkraad import clock
    from wijkraad.auth import services as auth_services
    from wijkraad.auth.actor import Actor
    from wijkraad.councils import services as council_services
    from wijkraad.councils.rules import DecisionRule, Role, Seat
    from wijkraad.extensions import db

    url = app.config["SQLALCHEMY_DATABASE_URI"]
    scenario = Scenario(url=url, server_url=url)
    admin = Actor(user_id=None, is_admin=True)
    today = clock.today()
    with app.app_context():
        upgrade()
        council = council_services.create_council(
            db.session,
            admin,
            SLUG,
            council_services.CouncilData(
                name="Wijkraad Benchmark",
                municipality="Groningen",
                resident_seats=residents,
                councillor_seats=councillors,
                decision_rule=DecisionRule.COOPERATIVE
                if residents > councillors
                else DecisionRule.SIMPLE,
            ),
        )
        db.session.commit()
        plan = [(Seat.RESIDENT, Role.CHAIR)]
        plan += [(Seat.RESIDENT, Role.MEMBER)] * (residents - 1)
        plan += [(Seat.COUNCILLOR, Role.MEMBER)] * councillors
        pending: list[tuple[Any, Any]] = []
        for n, (seat, role) in enumerate(plan, start=1):
            membership = council_services.appoint_member(
                db.session,
                admin,
                council,
                name=f"Lid {n}",
                email=f"lid{n}@bench.example.org",
                seat=seat,
                role=role,
                starts_on=today,
            )
            if n in LOGGED_IN:  # before its token: a new password revokes the tokens
                auth_services.set_password(db.session, None, membership.person.user, PASSWORD)
            # A new address: the appointment made the (password-less) account.
            token = auth_services.issue_token(db.session, None, membership.person.user, "benchmark")
            pending.append((membership, token))
            if n % BATCH == 0 or n == len(plan):
                db.session.commit()
                for m, t in pending:
                    scenario.voters.append(Voter(m.id, m.seat.value, t))
                pending.clear()
                if n % 100 == 0 or n == len(plan):
                    log(f"    {n}/{len(plan)} members seated")
        scenario.chair_token = scenario.voters[0].token
        scenario.chair_email, scenario.member_email = (
            f"lid{n}@bench.example.org" for n in LOGGED_IN
        )
        db.session.remove()

    client = app.test_client()
    chair = {"Authorization": f"Bearer {scenario.chair_token}"}

    def call(method: str, path: str, expect: int, json: Any = None) -> dict[str, Any]:
        response = client.open(path, method=method, json=json, headers=chair)
        if response.status_code != expect:
            raise RuntimeError(
                f"{method} {path}: {response.status_code} {response.get_data(as_text=True)[:500]}"
            )
        return response.get_json()

    starts_at = clock.now().replace(microsecond=0).isoformat()
    scenario.meeting_id = call(
        "POST",
        f"/api/v1/councils/{SLUG}/meetings",
        201,
        {"title": "Panelvergadering", "starts_at": starts_at, "location": "Buurthuis"},
    )["id"]
    item_id = call(
        "POST",
        f"/api/v1/meetings/{scenario.meeting_id}/agenda-items",
        201,
        {"title": "Speeltuin"},
    )["id"]
    call("POST", f"/api/v1/meetings/{scenario.meeting_id}/publish", 200)
    attendance = call(
        "PUT",
        f"/api/v1/meetings/{scenario.meeting_id}/attendance",
        200,
        {"present": [v.membership_id for v in scenario.voters]},
    )
    if attendance["present"] != len(scenario.voters):
        raise RuntimeError(f"attendance: {attendance}")
    call("POST", f"/api/v1/meetings/{scenario.meeting_id}/open", 200)
    scenario.motion_id = call(
        "POST",
        f"/api/v1/agenda-items/{item_id}/motions",
        201,
        {
            "title": "Nieuwe speeltuin",
            "text": "De wijkraad besluit een speeltuin aan te leggen.",
            "requirement": "majority",
        },
    )["id"]
    opened = call("POST", f"/api/v1/motions/{scenario.motion_id}/rounds", 201, {"mode": "named"})
    if opened["status"] != "open" or opened["mode"] != "named":
        raise RuntimeError(f"round: {opened}")
    scenario.round_id = opened["id"]
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return scenario


def count_votes(app: Flask, round_id: int) -> dict[str, int]:
    """Counted in the database itself, past the API: rows, distinct members, audit events."""
    from wijkraad.extensions import db

    with app.app_context():
        try:
            with db.engine.connect() as conn:
                rows, members = conn.execute(
                    sa.text(
                        "SELECT count(*), count(DISTINCT membership_id) FROM votes"
                        " WHERE round_id = :r"
                    ),
                    {"r": round_id},
                ).one()
                audit = conn.execute(
                    sa.text("SELECT count(*) FROM audit_events WHERE action = 'vote.cast'")
                ).scalar_one()
        finally:
            db.engine.dispose()
    return {"rows": rows, "distinct_members": members, "audit_vote_cast": audit}


# PostgreSQL -------------------------------------------------------------------------------------


def sqlalchemy_url(url: str) -> str:
    """``postgresql://`` as the app's config turns it (psycopg 3)."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def _libpq_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def _loopback_only(url: str) -> None:
    host = urlsplit(_libpq_url(url)).hostname or "localhost"
    if host not in ("localhost", "127.0.0.1", "::1") and not host.startswith("/"):
        raise RuntimeError(f"the benchmark talks to loopback only, not to {host!r}")


def prepare_postgres(log: Any = print) -> str | None:
    """A fresh, empty benchmark database, or ``None`` (with a note) when there is none.

    ``WIJKRAAD_BENCH_DATABASE_URL`` names one explicitly: its ``public`` schema is reset. Without
    it the local cluster's ``wijkraad_bench`` is dropped and created again (as the ``wijkraad``
    role through the ``postgres`` database, or with ``su postgres -c createdb`` when that role
    may not).
    """
    import psycopg
    from psycopg import sql

    explicit = os.environ.get("WIJKRAAD_BENCH_DATABASE_URL")
    url = _libpq_url(sqlalchemy_url(explicit or DEFAULT_PG_URL))
    _loopback_only(url)
    if explicit:
        try:
            with psycopg.connect(url, connect_timeout=5, autocommit=True) as conn:
                conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
                conn.execute("CREATE SCHEMA public")
        except psycopg.Error as exc:
            log(f"  PostgreSQL skipped: {explicit} does not answer ({_first_line(exc)})")
            return None
        return url

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    owner = parts.username or "wijkraad"
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(maintenance, connect_timeout=5, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            conn.execute(
                sql.SQL("CREATE DATABASE {} OWNER {}").format(
                    sql.Identifier(name), sql.Identifier(owner)
                )
            )
    except psycopg.OperationalError as exc:
        log(f"  PostgreSQL skipped: no local cluster answers at {url} ({_first_line(exc)})")
        return None
    except psycopg.Error as exc:
        log(f"  ({owner} may not recreate {name}: {_first_line(exc)}; trying su postgres)")
        script = f"dropdb --if-exists --force {name} && createdb -O {owner} {name}"
        try:
            subprocess.run(
                ["su", "postgres", "-c", script], check=True, timeout=60, capture_output=True
            )
        except (OSError, subprocess.SubprocessError) as exc2:
            log(f"  PostgreSQL skipped: could not create {name} ({_first_line(exc2)})")
            return None
    try:
        with psycopg.connect(url, connect_timeout=5):
            pass
    except psycopg.Error as exc:
        log(f"  PostgreSQL skipped: {url} does not answer ({_first_line(exc)})")
        return None
    return url


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def run_each_database(
    databases: str, sqlite_path: Any, run: Any, log: Any = print
) -> list[dict[str, Any]] | None:
    """Runs ``run(kind, url)`` for each database named in ``databases`` ("sqlite,postgresql"):
    SQLite in a file at ``sqlite_path``, PostgreSQL prepared by ``prepare_postgres``. A
    database that cannot be had is reported as skipped, a run that fails as an error; None
    for an unknown name."""
    reports: list[dict[str, Any]] = []
    for kind in [k.strip() for k in databases.split(",") if k.strip()]:
        if kind == "sqlite":
            url = f"sqlite:///{sqlite_path}"
        elif kind == "postgresql":
            log("\n(postgresql: preparing the benchmark database)")
            prepared = prepare_postgres()
            if prepared is None:
                reports.append({"database": kind, "skipped": "no PostgreSQL available"})
                continue
            url = prepared
        else:
            log(f"unknown database {kind!r}")
            return None
        try:
            reports.append(run(kind, url))
        except Exception as exc:
            log(f"  {kind} failed: {type(exc).__name__}: {exc}")
            reports.append({"database": kind, "error": f"{type(exc).__name__}: {exc}"})
    return reports
