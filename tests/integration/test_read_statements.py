"""Every read of the council, account and administration pages and of the councils API runs
the same number of SQL statements for a council of 17 members as for one of 400, and for 5
accounts as for 200: the reads load in bulk, never a statement per row. On every database."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD, bearer
from wijkraad import clock
from wijkraad.auth.models import ApiToken, User
from wijkraad.councils.models import Membership, Person, SeatInvitation
from wijkraad.councils.rules import MembershipStatus, Role, Seat
from wijkraad.extensions import db

ADMIN = "beheer@example.org"
# A token's "last used" and a session's "last seen" are written when they are old enough: a
# matter of the clock, not of the data, so not counted.
STAMPS = ("UPDATE api_tokens SET last_used_at", "UPDATE login_sessions SET last_seen_at")


class Statements:
    """The SQL statements a request runs."""

    def __init__(self, app) -> None:
        self.seen: list[str] = []
        with app.app_context():
            self.engine = db.engine

    def __enter__(self) -> Statements:
        sa.event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *_: object) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.seen.append(statement)


class World:
    """A council whose members, invitations, other councils, accounts and tokens grow in bulk
    (straight rows: what is read is the point here, not how it was written)."""

    def __init__(self, app, make) -> None:
        self.app, self.make = app, make
        with app.app_context():
            self.admin_id = make.user(ADMIN, admin=True, name="Beheer").id
            council = make.council("oost", residents=300, councillors=100, public_names=False)
            self.council_id = council.id
            self.chair = make.member(council, role=Role.CHAIR).id
        self.members = 0
        self.councils = 1
        self.accounts = 1
        self.tokens = 0
        self.invited: int | None = None

    def grow(self, *, members: int, councils: int, accounts: int, tokens: int) -> None:
        with self.app.app_context():
            today, now = clock.today(), clock.now()
            invited_first = None
            while self.members < members - 1:  # the chair is one
                self.members += 1
                n = self.members
                seat = Seat.COUNCILLOR if n % 4 == 0 else Seat.RESIDENT
                person = Person(
                    name=f"{'Raadslid' if seat is Seat.COUNCILLOR else 'Inwoner'} {n:03}"
                )
                invited = n % 5 == 0
                membership = Membership(
                    council_id=self.council_id,
                    person=person,
                    seat=seat,
                    role=Role.MEMBER,
                    # Some begin later: they are the page's coming appointments.
                    starts_on=today + timedelta(days=30) if n % 7 == 0 else today,
                    status=MembershipStatus.INVITED if invited else MembershipStatus.ACCEPTED,
                )
                db.session.add(membership)
                if invited:
                    db.session.add(
                        SeatInvitation(
                            membership=membership,
                            email=f"lid{n}@example.org",
                            nonce=f"{n:032}",
                            expires_at=now + timedelta(days=14),
                        )
                    )
                    invited_first = invited_first or membership
            while self.councils < councils:
                self.councils += 1
                db.session.flush()
                self.make.council(f"raad{self.councils}")
            while self.accounts < accounts:
                self.accounts += 1
                db.session.add(User(email=f"account{self.accounts}@example.org", name="Account"))
            while self.tokens < tokens:
                self.tokens += 1
                db.session.add(
                    ApiToken(user_id=self.admin_id, token_hash=f"{self.tokens:064}", label="t")
                )
            db.session.commit()
            if self.invited is None and invited_first is not None:
                self.invited = invited_first.id


def test_reads_do_not_grow_with_the_data(app, client, make):
    world = World(app, make)
    world.grow(members=17, councils=2, accounts=5, tokens=1)
    assert world.invited is not None
    with app.app_context():
        api = bearer(make.token(db.session.get(User, world.admin_id)))
    browser = app.test_client()
    page = browser.get("/aanmelden").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token is not None
    login = {"email": ADMIN, "password": PASSWORD, "csrf_token": token.group(1)}
    assert browser.post("/aanmelden", data=login).status_code == 302
    invited, chair = world.invited, world.chair
    reads = [
        # (who, url): the pages as the administrator and as anyone, then the API.
        (browser, "/"),
        (browser, "/wijkraden/oost"),
        (browser, "/wijkraden/oost/leden/nieuw"),
        (browser, f"/wijkraden/oost/leden/{invited}/uitnodiging"),
        (browser, f"/wijkraden/oost/leden/{chair}/beeindigen"),
        (browser, "/beheer/accounts"),
        (browser, f"/beheer/accounts/{world.admin_id}"),
        (browser, "/account"),
        (client, "/"),
        (client, "/wijkraden/oost"),
        (client, "/api/v1/councils"),
        (client, "/api/v1/councils/oost"),
        (api, "/api/v1/councils/oost"),
        (api, "/api/v1/councils/oost/invitations"),
        (api, "/api/v1/councils/oost/invitations?page=2&per_page=10"),
        (client, "/api/v1/councils/oost/members?per_page=200"),
        (api, "/api/v1/me"),
    ]

    def count() -> dict[str, int]:
        counts = {}
        for who, url in reads:
            key = f"{'api' if isinstance(who, dict) else 'page'} {url}"
            for _ in range(2):  # the second: nothing left over from the first (a token's use)
                with Statements(app) as work:
                    if isinstance(who, dict):
                        response = client.get(url, headers=who)
                    else:
                        response = who.get(url)
                assert response.status_code == 200, (url, response.status_code)
            counts[key] = len([s for s in work.seen if not s.startswith(STAMPS)])
        return counts

    small = count()
    world.grow(members=400, councils=12, accounts=200, tokens=30)
    large = count()
    assert small == large
    # What was shown grew: the reads above read the grown data.
    listed = client.get("/api/v1/councils/oost/invitations?per_page=200", headers=api)
    assert listed.headers["X-Total-Count"] == "80"
    assert len(listed.get_json()) == 79 + 1  # every fifth member, and the chair's own invitation
    members = client.get("/api/v1/councils/oost/members?per_page=200")
    assert members.headers["X-Total-Count"] == str(
        len(client.get("/api/v1/councils/oost").get_json()["members"])
    )
    detail = client.get("/api/v1/councils/oost").get_json()
    assert len(detail["members"]) > 300
    # Residents' names stay hidden from the public; councillors' are shown.
    assert {m["name"] is None for m in detail["members"] if m["seat"] == "resident"} == {True}
    assert all(m["name"] for m in detail["members"] if m["seat"] == "councillor")


@pytest.mark.parametrize("path", ["/wijkraden/oost", "/api/v1/councils/oost", "/"])
def test_public_output_has_no_addresses(app, client, make, path):
    world = World(app, make)
    world.grow(members=17, councils=1, accounts=1, tokens=0)
    body = client.get(path).get_data(as_text=True)
    assert "@example.org" not in body
    assert "Inwoner 0" not in body  # the council publishes no residents' names
    if path != "/":
        assert "Raadslid 004" in body  # councillors' names it does
