"""Counting the SQL statements that one request sends to the database.

What is counted: every statement the app hands to the database driver (SQLAlchemy's
``before_cursor_execute`` on the app's engine), whatever it is: SELECT, INSERT, UPDATE, the
lock statements, SAVEPOINT and RELEASE SAVEPOINT (the database sees those as statements of
their own). An ``executemany`` (one statement with many rows of parameters) counts once per
call SQLAlchemy makes to the driver; its number of parameter rows is kept beside it.

Counted separately, not as statements: the transaction boundaries that SQLAlchemy asks of the
driver without a statement of its own (``begin``, ``commit``, ``rollback``, including the
rollback that ends every request when its session is removed). Whether the driver sends a
``BEGIN`` for them depends on the driver; they are the same for every data size anyway.

Only what happens inside the ``counting`` block is counted, on every connection of the
engine: measure one request at a time, with nothing else using the database meanwhile.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tests.conftest import PASSWORD, bearer, csrf_from
from tests.querycount_world import LARGE, SMALL, Place, World, build, reset_register
from wijkraad.extensions import db


@dataclass(frozen=True)
class Statement:
    sql: str
    rows: int  # parameter rows: 1, or more for an executemany
    executemany: bool


@dataclass
class Count:
    statements: list[Statement] = field(default_factory=list)
    transactions: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return len(self.statements)

    @property
    def savepoints(self) -> int:
        return sum(1 for s in self.statements if _SAVEPOINT.match(s.sql))

    @property
    def executemany(self) -> int:
        return sum(1 for s in self.statements if s.executemany)

    def summary(self) -> str:
        """``12`` or ``12 (2 savepoint, 1 executemany of 17 rows)``, for messages."""
        extra = []
        if self.savepoints:
            extra.append(f"{self.savepoints} savepoint")
        if self.executemany:
            rows = sum(s.rows for s in self.statements if s.executemany)
            extra.append(f"{self.executemany} executemany of {rows} rows")
        return f"{self.total} ({', '.join(extra)})" if extra else str(self.total)

    def grouped(self) -> list[tuple[int, str]]:
        """The statements with literal numbers folded, most repeated first: where a read
        repeats a statement per motion or per member, it shows at the top."""
        shapes = Counter(_shape(s.sql) for s in self.statements)
        return sorted(((n, sql) for sql, n in shapes.items()), key=lambda x: (-x[0], x[1]))


_SAVEPOINT = re.compile(r"\s*(RELEASE\s+|ROLLBACK\s+TO\s+)?SAVEPOINT\b", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_IN_LIST = re.compile(r"IN \((?:[^()]|\([^()]*\))*\)")
_NUMBER = re.compile(r"\b\d+\b")


def _shape(sql: str) -> str:
    sql = _SPACE.sub(" ", sql).strip()
    sql = _IN_LIST.sub("IN (…)", sql)
    return _NUMBER.sub("N", sql)


@contextmanager
def counting(engine: Engine) -> Iterator[Count]:
    """Counts what ``engine`` sends to the database inside the block."""
    count = Count()

    def before_cursor_execute(
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
    ) -> None:
        rows = len(parameters) if executemany and parameters is not None else 1
        count.statements.append(Statement(statement, rows, executemany))

    def transaction(name: str) -> Any:
        def listener(conn: Any, *_: Any) -> None:
            count.transactions[name] += 1

        return listener

    listeners: list[tuple[str, Any]] = [("before_cursor_execute", before_cursor_execute)]
    listeners += [(name, transaction(name)) for name in ("begin", "commit", "rollback")]
    for name, listener in listeners:
        event.listen(engine, name, listener)
    try:
        yield count
    finally:
        for name, listener in listeners:
            event.remove(engine, name, listener)


# ------------------------------------------------------------------ the reads and their sizes

# Which sizes a read is measured at (see tests/querycount_world.py):
# - "meeting": the meeting's and council's reads, at 0, 10 and 40 motions and at 400 members;
# - "round": reads of one round or motion, which exist only where there are motions;
# - "members": the attendance writes, at 17 and 400 members;
# - "all": reads over every council and account, before and after the 400-member council.
AXES = {
    "meeting": ["17/0", "17/10", "17/40", "400/10"],
    "round": ["17/10", "17/40", "400/10"],
    "members": ["17/10", "400/10"],
    "all": ["before", "after"],
}


@dataclass(frozen=True)
class Read:
    path: str  # with {placeholders} from Place.ids
    role: str  # anonymous, member, secretary, chair or admin
    axis: str = "meeting"
    method: str = "GET"
    revalidate: bool = False  # the polled fragment's answer when nothing changed (304)
    json: Callable[[Any], Any] | None = None  # Place -> body
    form: dict[str, str] | None = None  # posted with the session's CSRF token
    status: int = 200
    htmx: bool = False  # sent by htmx (HX-Request: true), which answers a fragment

    @property
    def name(self) -> str:
        return (
            f"{self.method} {self.path}{' revalidated' if self.revalidate else ''}"
            f"{' (htmx)' if self.htmx else ''} as {self.role}"
        )

    @property
    def is_write(self) -> bool:
        return self.method != "GET"

    @property
    def sizes(self) -> list[str]:
        return AXES[self.axis]


def _register(place: Any) -> dict[str, list[int]]:
    """Everyone present but two, who sent notice."""
    return {"present": place.seated[2:], "absent_with_notice": place.seated[:2]}


READS = [
    # public pages
    Read("/", "anonymous", "all"),
    Read("/aanmelden", "anonymous", "all"),
    Read("/wachtwoord-vergeten", "anonymous", "all"),
    # the municipality's look: its stylesheet, its statements
    Read("/huisstijl.css?v=0", "anonymous", "all"),
    Read("/privacy", "anonymous", "all"),
    Read("/toegankelijkheid", "anonymous", "all"),
    Read("/wijkraden/{slug}", "anonymous"),
    Read("/wijkraden/{slug}", "admin"),
    Read("/wijkraden/{slug}/vergaderingen", "anonymous"),
    Read("/wijkraden/{slug}/vergaderingen", "chair"),
    Read("/vergaderingen/{meeting}", "anonymous"),
    Read("/vergaderingen/{meeting}/projector", "anonymous"),
    Read("/vergaderingen/{meeting}/projector/stand", "anonymous"),
    Read("/vergaderingen/{meeting}/projector/stand", "anonymous", revalidate=True, status=304),
    # open data
    Read("/wijkraden/{slug}/open-data/popolo.json", "anonymous"),
    Read("/wijkraden/{slug}/open-data/ods.json", "anonymous"),
    Read("/wijkraden/{slug}/open-data/besluiten.csv", "anonymous"),
    Read("/api/v1/meetings/{meeting}/minutes", "member"),
    Read("/api/v1/councils/{slug}/popolo.json", "anonymous"),
    Read("/api/v1/councils/{slug}/ods.json", "anonymous"),
    Read("/api/v1/councils/{slug}/decisions.csv", "anonymous"),
    # the public record: decisions, the archive and its search, the feeds
    Read("/besluiten/{identifier}", "anonymous", "round"),
    Read("/besluiten/{identifier}", "member", "round"),
    Read("/wijkraden/{slug}/besluiten", "anonymous"),
    Read("/wijkraden/{slug}/besluiten?q=voorstel&uitkomst=adopted", "member"),
    Read("/besluiten", "anonymous", "all"),
    Read("/besluiten?q=voorstel", "anonymous", "all"),
    Read("/wijkraden/{slug}/vergaderingen.ics", "anonymous"),
    Read("/wijkraden/{slug}/besluiten.atom", "anonymous"),
    Read("/api/v1/councils/{slug}/decisions", "anonymous"),
    Read("/api/v1/councils/{slug}/decisions?q=voorstel&page=2&per_page=1", "member"),
    Read("/api/v1/decisions/{decision}", "anonymous", "round"),
    Read("/api/v1/decisions/{decision}", "member", "round"),
    Read("/api/v1/councils/{slug}/meetings.ics", "anonymous"),
    Read("/api/v1/councils/{slug}/decisions.atom", "anonymous"),
    # the chair
    Read("/vergaderingen/{meeting}", "chair"),
    Read("/wijkraden/{slug}/vergaderingen/nieuw", "chair"),
    Read("/stemmingen/{round_open}/voorzitter", "chair", "round"),
    Read("/stemmingen/{round_open}/voorzitter/stand", "chair", "round"),
    Read(
        "/stemmingen/{round_open}/voorzitter/stand", "chair", "round", revalidate=True, status=304
    ),
    Read("/stemmingen/{round_closed}/voorzitter", "chair", "round"),
    # the questions of drastic buttons (without script), and where the action is impossible
    # at that moment the answer instead: back where the button was (303), with the refusal
    Read("/stemmingen/{round_open}/sluiten", "chair", "round"),
    Read("/stemmingen/{round_closed}/sluiten", "chair", "round", status=303),
    Read("/vergaderingen/{meeting}/sluiten", "chair", "round", status=303),  # a round is open
    Read("/vergaderingen/{register}/annuleren", "chair"),  # a draft
    Read("/vergaderingen/{meeting}/annuleren", "chair", status=303),  # open
    Read("/voorstellen/{motion_open}/intrekken", "chair", "round"),
    Read("/voorstellen/{motion}/intrekken", "chair", "round", status=303),  # adopted
    # members
    Read("/mijn", "member"),
    Read("/mijn", "chair"),
    Read("/vergaderingen/{meeting}", "member"),
    Read("/vergaderingen/{meeting}/stemmen", "member"),
    Read("/vergaderingen/{meeting}/stemmen/paneel", "member"),
    Read("/vergaderingen/{meeting}/stemmen/paneel", "member", revalidate=True, status=304),
    Read("/agendapunten/{item}/voorstellen/nieuw", "member"),
    Read("/account", "member"),
    # the minutes: a draft for members, written by the secretary, approved by the chair
    Read("/vergaderingen/{meeting}/verslag", "member"),
    Read("/vergaderingen/{meeting}/verslag", "chair"),
    Read("/vergaderingen/{meeting}/verslag/versies/{revision}", "member"),
    Read("/vergaderingen/{meeting}/verslag/bewerken", "secretary"),
    Read("/vergaderingen/{meeting}/besluiten/aanvullen", "secretary"),
    Read("/uitnodiging/{invite}", "anonymous"),
    # the budget: a council's year with its lines, decisions and progress notes
    Read("/wijkraden/{slug}/begroting", "anonymous"),
    Read("/wijkraden/{slug}/begroting/{year}", "anonymous"),
    Read("/wijkraden/{slug}/begroting/{year}", "chair"),
    Read("/begroting/besluiten/{money_decision}/voortgang", "secretary", "round"),
    # administrators
    Read("/beheer/accounts", "admin", "all"),
    Read("/beheer/accounts/nieuw", "admin", "all"),
    Read("/beheer/e-mail", "admin", "all"),
    Read("/beheer/accounts/{chair_user}", "admin"),
    Read("/beheer/wijkraden/nieuw", "admin", "all"),
    Read("/beheer/huisstijl", "admin", "all"),
    Read("/wijkraden/{slug}/bewerken", "admin"),
    Read("/wijkraden/{slug}/leden/nieuw", "admin"),
    Read("/wijkraden/{slug}/leden/{last_membership}/beeindigen", "admin"),
    # the API
    # The public record's PDFs, served again from the store (the first request renders it).
    Read("/vergaderingen/{meeting}/agenda.pdf", "anonymous"),
    # documents: the file, its description, an item's and a motion's lists, the pages that
    # add them
    Read("/documenten/{document}/{document_filename}", "anonymous"),
    Read("/api/v1/documents/{document}", "anonymous"),
    Read("/api/v1/documents/{document}/content", "member"),
    Read("/api/v1/agenda-items/{item}/documents", "anonymous"),
    Read("/api/v1/motions/{motion}/documents", "chair", "round"),
    Read("/agendapunten/{item}/documenten", "secretary"),
    # corrections until a meeting opens: the form of the draft meeting
    Read("/vergaderingen/{register}/wijzigen", "secretary"),
    Read("/voorstellen/{motion}/documenten", "chair", "round"),
    Read("/wijkraden/{slug}/besluiten/{year}.pdf", "anonymous", "round"),
    Read("/wijkraden/{slug}/begroting/{year}/verantwoording.pdf", "anonymous"),
    Read("/api/v1/councils/{slug}/budgets/{year}/report.pdf", "anonymous"),
    Read("/api/v1/openapi.json", "anonymous", "all"),
    Read("/api/v1/look", "anonymous", "all"),
    Read("/api/v1/councils", "anonymous", "all"),
    Read("/api/v1/councils?page=2&per_page=1", "anonymous", "all"),
    Read("/api/v1/me", "chair"),
    Read("/api/v1/councils/{slug}", "anonymous"),
    Read("/api/v1/councils/{slug}", "chair"),
    Read("/api/v1/councils/{slug}/meetings", "chair"),
    Read("/api/v1/councils/{slug}/meetings?page=2&per_page=1", "anonymous"),
    Read("/api/v1/councils/{slug}/members", "anonymous"),
    Read("/api/v1/councils/{slug}/members?page=2&per_page=5", "chair"),
    Read("/api/v1/councils/{slug}/invitations", "secretary"),
    Read("/api/v1/meetings/{meeting}", "anonymous"),
    Read("/api/v1/meetings/{meeting}", "chair"),
    Read("/api/v1/meetings/{meeting}/attendance", "anonymous"),
    Read("/api/v1/motions/{motion}", "chair", "round"),
    Read("/api/v1/rounds/{round_open}", "anonymous", "round"),
    Read("/api/v1/rounds/{round_closed}", "anonymous", "round"),
    Read("/api/v1/councils/{slug}/budgets/{year}", "anonymous"),
    # the attendance register (writes, but they must not grow with the council either)
    Read("/api/v1/meetings/{register}/attendance", "secretary", "members", "PUT", json=_register),
    Read(
        "/vergaderingen/{register}/aanwezigheid/{member_membership}",
        "secretary",
        "members",
        "POST",
        form={"presence": "present"},
        status=303,
    ),
    Read(
        "/vergaderingen/{register}/aanwezigheid/{member_membership}",
        "secretary",
        "members",
        "POST",
        form={"presence": "present"},
        htmx=True,
    ),
    Read(
        "/vergaderingen/{register}/iedereen-aanwezig",
        "secretary",
        "members",
        "POST",
        form={},
        status=303,
    ),
    Read(
        "/vergaderingen/{register}/iedereen-aanwezig",
        "secretary",
        "members",
        "POST",
        form={},
        htmx=True,
    ),
]


# ------------------------------------------------------------------------------ measuring


@dataclass(frozen=True)
class Measurement:
    url: str
    count: Count


class Meter:
    """Sends the reads of ``READS`` as their role, each as a request of its own (no app context
    is kept between requests, so each starts with an empty session, as in production)."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.app = world.app
        with self.app.app_context():
            self.engine = db.engine
        self.before: dict[str, Measurement] = {}
        self._clients: dict[tuple[str, str], FlaskClient] = {}

    def _client(self, role: str, place: Place | None) -> FlaskClient:
        key = (role, place.size.key if place and role not in ("anonymous", "admin") else "")
        if key not in self._clients:
            client = self.app.test_client()
            if role != "anonymous":
                email = self.world.admin_email if role == "admin" else place.emails[role]  # type: ignore[union-attr]
                page = client.get("/aanmelden").get_data(as_text=True)
                response = client.post(
                    "/aanmelden",
                    data={"email": email, "password": PASSWORD, "csrf_token": csrf_from(page)},
                )
                assert response.status_code == 302, f"login of {email} failed"
            self._clients[key] = client
        return self._clients[key]

    def _headers(self, read: Read, place: Place | None) -> dict[str, str]:
        if not read.path.startswith("/api/") or read.role == "anonymous":
            return {}
        token = self.world.admin_token if read.role == "admin" else place.tokens[read.role]  # type: ignore[union-attr]
        return bearer(token)

    def measure(self, read: Read, size: str) -> Measurement:
        place = self.world.places.get(size)
        url = read.path.format(**(place.ids if place else {}))
        # The API reads authenticate with a token only: any client will do.
        client = self._client("anonymous" if read.path.startswith("/api/") else read.role, place)
        headers = self._headers(read, place)
        if read.htmx:
            headers = {**headers, "HX-Request": "true"}
        kwargs: dict[str, Any] = {"method": read.method, "headers": headers}
        if read.is_write:
            assert place is not None
            reset_register(self.app, place)
            # Unmeasured first: the token's "last used" is written at most once a minute.
            client.get("/api/v1/me" if headers else "/", headers=headers)
            if read.json:
                kwargs["json"] = read.json(place)
            if read.form is not None:
                token = csrf_from(client.get("/").get_data(as_text=True))
                kwargs["data"] = {**read.form, "csrf_token": token}
        else:
            # Once unmeasured: what a first request does once (and the fragment's ETag).
            warm = client.open(url, headers=headers)
            expected = 200 if read.revalidate else read.status
            assert warm.status_code == expected, f"{url}: {warm.status_code}"
            if read.revalidate:
                etag = warm.headers.get("ETag")
                assert etag, f"{url}: no ETag to revalidate with"
                kwargs["headers"] = {**headers, "If-None-Match": etag}
        with counting(self.engine) as count:
            response = client.open(url, **kwargs)
        assert response.status_code == read.status, (
            f"{read.method} {url}: {response.status_code}\n{response.get_data(as_text=True)[:500]}"
        )
        return Measurement(url, count)

    def counts(self, read: Read) -> dict[str, Measurement]:
        """The read's count at each of its sizes."""
        if read.axis == "all":
            return {"before": self.before[read.name], "after": self.measure(read, "after")}
        return {size: self.measure(read, size) for size in read.sizes}


def prepare(app: Flask) -> Meter:
    """Builds the data (the database should be empty) and measures the reads over all councils
    before the 400-member council joins them."""
    world = World(app)
    build(app, world, SMALL)
    meter = Meter(world)
    for read in READS:
        if read.axis == "all":
            meter.before[read.name] = meter.measure(read, "before")
    build(app, world, LARGE)
    return meter


def describe(read: Read, counts: dict[str, Measurement]) -> str:
    sizes = ", ".join(f"{size}: {m.count.summary()}" for size, m in counts.items())
    return f"{read.name} ({' '.join(m.url for m in counts.values())}): {sizes} statements"
