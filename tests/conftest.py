"""Fixtures: an app per database (SQLite always, PostgreSQL when configured), clean tables per test.

``WIJKRAAD_TEST_DATABASE_URL`` names a PostgreSQL database to run every integration test on as
well. ``WIJKRAAD_REQUIRE_POSTGRES=1`` (set by CI) turns its absence into a failure, not a skip.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from wijkraad import clock, create_app
from wijkraad.auth import services as auth_services
from wijkraad.auth.actor import Actor
from wijkraad.auth.models import User
from wijkraad.councils import invitations
from wijkraad.councils import services as council_services
from wijkraad.councils.models import Council, Membership
from wijkraad.councils.rules import DecisionRule, Role, Seat
from wijkraad.extensions import db

# The ``mailbox`` fixture: a real SMTP server in the test process.
pytest_plugins = ["tests.mail_server"]

PG_URL = os.environ.get("WIJKRAAD_TEST_DATABASE_URL")
REQUIRE_PG = os.environ.get("WIJKRAAD_REQUIRE_POSTGRES") == "1"
PASSWORD = "correct horse battery"

DATABASES = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked ``postgres`` runs on PostgreSQL only: its SQLite variant is deselected
    (shown in the summary), not skipped. Without a PostgreSQL database none of it runs, which
    ``WIJKRAAD_REQUIRE_POSTGRES=1`` (CI) turns into a failure."""
    keep, drop = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if item.get_closest_marker("postgres") and params.get("app_session") != "postgresql":
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def pytest_sessionstart(session: pytest.Session) -> None:
    if REQUIRE_PG and not PG_URL:
        raise pytest.UsageError(
            "WIJKRAAD_REQUIRE_POSTGRES=1 but WIJKRAAD_TEST_DATABASE_URL is not set"
        )


def database_url(kind: str, tmp_dir: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_dir / 'test.sqlite3'}"
    assert PG_URL
    return PG_URL


def upgrade_to_head(app: Flask) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
            # Start from nothing, whatever an earlier run left behind.
            with db.engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()


def clean(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            else:
                # Motions and decisions name each other (a top-up names its decision): the
                # keys are checked once every table is empty.
                conn.execute(sa.text("PRAGMA defer_foreign_keys = ON"))
                for name in tables:
                    conn.execute(sa.text(f"DELETE FROM {name}"))


@pytest.fixture(scope="session", params=DATABASES)
def app_session(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    tmp = tmp_path_factory.mktemp(request.param)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": database_url(request.param, tmp),
            "DOCUMENTS_DIR": str(tmp / "documents"),
            "SERVER_NAME": "localhost",
            "LOGIN_MAX_FAILURES": 5,
            # Argon2's cheapest cost: thousands of logins stay fast.
            "ARGON2_PROFILE": "CHEAPEST",
        }
    )
    app.config["DATABASE_KIND"] = request.param
    upgrade_to_head(app)
    return app


@pytest.fixture
def app(app_session: Flask) -> Flask:
    """The app on clean tables, without a context: as in production, every request gets an
    app context (and ``g``, and a database session) of its own. A test enters
    ``with app.app_context():`` only around its setup and its checks of the database, never
    around the requests it makes."""
    clean(app_session)
    return app_session


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


class Web:
    """A browser-like helper over the test client: GET a form, POST it with its CSRF token."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def get(self, url: str, **kw: Any) -> Any:
        return self.client.get(url, **kw)

    def post_form(self, url: str, data: dict[str, Any], *, page: str | None = None) -> Any:
        html = self.client.get(page or url).get_data(as_text=True)
        return self.client.post(url, data={**data, "csrf_token": csrf_from(html)})

    def login(self, email: str, password: str = PASSWORD) -> Any:
        return self.post_form("/aanmelden", {"email": email, "password": password})

    def logout(self) -> Any:
        return self.post_form("/afmelden", {}, page="/")


@pytest.fixture
def web(client: FlaskClient) -> Web:
    return Web(client)


class Factory:
    """Builds councils, members and accounts through the real services."""

    def __init__(self) -> None:
        self.admin_actor = Actor(user_id=None, is_admin=True)
        self.today = clock.today()
        self._n = 0

    def user(self, email: str | None = None, *, admin: bool = False, name: str = "") -> User:
        self._n += 1
        user = auth_services.create_user(
            db.session,
            None,
            email=email or f"user{self._n}@example.org",
            name=name or f"User {self._n}",
            password=PASSWORD,
            is_admin=admin,
        )
        db.session.commit()
        return user

    def council(
        self,
        slug: str = "oost",
        *,
        residents: int = 11,
        councillors: int = 6,
        rule: DecisionRule = DecisionRule.COOPERATIVE,
        public_names: bool = True,
    ) -> Council:
        council = council_services.create_council(
            db.session,
            self.admin_actor,
            slug,
            council_services.CouncilData(
                name=f"Wijkraad {slug}",
                municipality="Groningen",
                resident_seats=residents,
                councillor_seats=councillors,
                decision_rule=rule,
                publishes_resident_names=public_names,
            ),
        )
        db.session.commit()
        return council

    def member(
        self,
        council: Council,
        *,
        seat: Seat = Seat.RESIDENT,
        role: Role = Role.MEMBER,
        email: str | None = None,
        name: str | None = None,
        starts_on: date | None = None,
    ) -> Membership:
        self._n += 1
        email = email or f"member{self._n}@example.org"
        membership = council_services.appoint_member(
            db.session,
            self.admin_actor,
            council,
            name=name or f"Member {self._n}",
            email=email,
            seat=seat,
            role=role,
            starts_on=starts_on or self.today,
        )
        user = membership.person.user
        if user is not None:
            # A new address: the appointment made the account; it logs in with PASSWORD.
            if user.password_hash is None:
                auth_services.set_password(db.session, None, user, PASSWORD)
        else:
            # An existing account joins the seat only by confirming it, through the real service.
            user = auth_services.find_user(db.session, email)
            assert user is not None and membership.invitation is not None
            invitations.accept(db.session, user, membership.invitation, clock.now())
        db.session.commit()
        return membership

    def token(self, user: User) -> str:
        value = auth_services.issue_token(db.session, None, user, "test")
        db.session.commit()
        return value


@pytest.fixture
def make(app: Flask) -> Factory:
    return Factory()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
