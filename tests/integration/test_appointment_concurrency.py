"""Appointments and answers that arrive at the same moment, from threads (one client each, as
several workers would): one wins, the other is refused, and the records stay whole.
Runs on SQLite and on PostgreSQL (see conftest)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
import sqlalchemy as sa

from tests.conftest import Web, bearer, csrf_from
from wijkraad import clock
from wijkraad.audit import AuditEvent
from wijkraad.auth import services as auth_services
from wijkraad.auth.models import User
from wijkraad.councils import rules
from wijkraad.councils.models import Membership
from wijkraad.councils.rules import MembershipStatus, Role
from wijkraad.extensions import db


def together(app, calls: list[Callable]) -> list[int]:
    """Runs each call(client) in its own thread, released at once; their status codes."""
    barrier = threading.Barrier(len(calls))
    statuses: dict[int, int] = {}

    def run(index: int, call: Callable) -> None:
        client = app.test_client()
        barrier.wait(timeout=30)
        statuses[index] = call(client).status_code

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return [statuses.get(i, 0) for i in range(len(calls))]


def slowed(monkeypatch, name: str) -> None:
    """Widens the race: the rule ``name`` of councils.rules takes a moment, so both requests
    have read the state before either writes."""
    original = getattr(rules, name)

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return original(*args, **kwargs)

    monkeypatch.setattr(rules, name, slow)


@pytest.fixture
def invited(app, client, make):
    with app.app_context():
        council = make.council("oost", residents=3, councillors=1).id
        admin = make.token(make.user("admin@example.org", admin=True))
        invitee = make.token(make.user("invitee@example.org"))
    response = client.post(
        "/api/v1/councils/oost/members",
        json={"name": "Invitee", "email": "invitee@example.org", "seat": "resident"},
        headers=bearer(admin),
    ).get_json()
    link = response["invitation_url"].rsplit("/", 1)[1]
    # A token's first use writes (its last use), which would line the requests up.
    client.get("/api/v1/me", headers=bearer(invitee))
    return {
        "council": council,
        "admin": admin,
        "invitee": invitee,
        "id": response["id"],
        "link": link,
    }


def accept(invited):
    return lambda c: c.post(
        f"/api/v1/seat-invitations/{invited['link']}/accept", headers=bearer(invited["invitee"])
    )


def test_accepting_twice_at_once_seats_once(app, invited, monkeypatch):
    slowed(monkeypatch, "invitation_problem")
    statuses = together(app, [accept(invited)] * 2)
    assert sorted(statuses) == [200, 409]
    with app.app_context():
        assert db.session.get(Membership, invited["id"]).status is MembershipStatus.ACCEPTED
        accepted = db.session.scalar(
            sa.select(sa.func.count()).where(AuditEvent.action == "membership.accept")
        )
        assert accepted == 1


def test_confirming_and_ending_at_once_ends_the_membership(app, invited, monkeypatch):
    """The appointer's ending always ends it; the confirmation wins only if it came first."""
    slowed(monkeypatch, "invitation_problem")
    end = lambda c: c.post(  # noqa: E731
        f"/api/v1/members/{invited['id']}/end", json={}, headers=bearer(invited["admin"])
    )
    statuses = together(app, [accept(invited), end])
    assert statuses[1] == 200 and statuses[0] in (200, 409)
    with app.app_context():
        membership = db.session.get(Membership, invited["id"])
        assert membership.ends_on is not None
        expected = MembershipStatus.ACCEPTED if statuses[0] == 200 else MembershipStatus.WITHDRAWN
        assert membership.status is expected


def test_declining_and_ending_at_once_leave_one_end(app, invited, monkeypatch):
    slowed(monkeypatch, "invitation_problem")
    decline = lambda c: c.post(  # noqa: E731
        f"/api/v1/seat-invitations/{invited['link']}/decline"
    )
    end = lambda c: c.post(  # noqa: E731
        f"/api/v1/members/{invited['id']}/end", json={}, headers=bearer(invited["admin"])
    )
    statuses = together(app, [decline, end])
    assert sorted(statuses) in ([200, 409], [200, 200])
    with app.app_context():
        membership = db.session.get(Membership, invited["id"])
        assert membership.ends_on is not None
        assert membership.status in (MembershipStatus.DECLINED, MembershipStatus.WITHDRAWN)
        actions = ["membership.decline", "membership.withdraw", "membership.end"]
        ends = db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action.in_(actions)))
        assert ends == 1


def test_two_appointments_for_the_last_seat_at_once(app, make, monkeypatch):
    slowed(monkeypatch, "appointment_problems")
    with app.app_context():
        council = make.council("klein", residents=2, councillors=1)
        make.member(council, role=Role.CHAIR)
        admin = make.token(make.user("admin@example.org", admin=True))
        council_id = council.id
    # A token's first use writes (its last use), which would line the two requests up.
    app.test_client().get("/api/v1/me", headers=bearer(admin))

    def appoint(email: str) -> Callable:
        body = {"name": email, "email": email, "seat": "resident"}
        return lambda c: c.post("/api/v1/councils/klein/members", json=body, headers=bearer(admin))

    statuses = together(app, [appoint("a@example.org"), appoint("b@example.org")])
    assert sorted(statuses) == [201, 409]
    with app.app_context():
        holders = db.session.scalars(
            sa.select(Membership).where(Membership.council_id == council_id)
        ).all()
        assert len(holders) == 2


def test_one_new_address_appointed_in_two_councils_at_once(app, make, monkeypatch):
    """Both appointments seat their member; the address gets one account, which holds one of
    the two seats (the other waits for its owner to confirm, as for any existing account)."""
    # Both have looked the address up, and found nothing, before either makes the account.
    find_user = auth_services.find_user

    def look_then_wait(*args, **kwargs):
        found = find_user(*args, **kwargs)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(auth_services, "find_user", look_then_wait)
    with app.app_context():
        for slug in ("oost", "west"):
            make.council(slug, residents=3, councillors=1)
        admin = make.token(make.user("admin@example.org", admin=True))
    app.test_client().get("/api/v1/me", headers=bearer(admin))

    def appoint(slug: str) -> Callable:
        body = {"name": "Dubbel", "email": "dubbel@example.org", "seat": "resident"}
        url = f"/api/v1/councils/{slug}/members"
        return lambda c: c.post(url, json=body, headers=bearer(admin))

    assert together(app, [appoint("oost"), appoint("west")]) == [201, 201]
    with app.app_context():
        query = sa.select(User).where(User.email == "dubbel@example.org")
        assert len(db.session.scalars(query).all()) == 1
        people = [m.person for m in db.session.scalars(sa.select(Membership)).all()]
        assert sorted(p.user_id is not None for p in people) == [False, True]


def test_two_appointments_for_the_last_seat_at_once_on_the_page(app, make, monkeypatch):
    """The page guards the last seat as the API does: one appointment seats its member, the
    other gets the form again with why, and the council never holds more than its seats."""
    slowed(monkeypatch, "appointment_problems")
    with app.app_context():
        council = make.council("klein", residents=2, councillors=1)
        make.member(council, role=Role.CHAIR)
        make.user("admin@example.org", admin=True)
        council_id = council.id
    url = "/wijkraden/klein/leden/nieuw"
    forms = []
    for email in ("a@example.org", "b@example.org"):
        client = app.test_client()
        web = Web(client)
        assert web.login("admin@example.org").status_code == 302
        token = csrf_from(client.get(url).get_data(as_text=True))
        data = {
            "name": email,
            "email": email,
            "seat": "resident",
            "role": "member",
            "starts_on": clock.today().isoformat(),
            "csrf_token": token,
        }
        forms.append((client, data))

    barrier = threading.Barrier(2)
    answers: dict[int, tuple[int, str]] = {}

    def post(index: int) -> None:
        client, data = forms[index]
        barrier.wait(timeout=30)
        response = client.post(url, data=data)
        answers[index] = (response.status_code, response.get_data(as_text=True))

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    statuses = sorted(status for status, _ in answers.values())
    assert statuses == [302, 422], statuses
    refused = next(html for status, html in answers.values() if status == 422)
    assert 'name="email"' in refused  # the form again, with what was typed
    assert "zetels voor" in refused and "bezet" in refused  # and why
    with app.app_context():
        holders = db.session.scalars(
            sa.select(Membership).where(Membership.council_id == council_id)
        ).all()
        assert len(holders) == 2
