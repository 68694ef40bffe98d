"""Appointing seats the member at once, and tells the appointer nothing about accounts: the
answer, the pages and every count afterwards are the same for a new address (whose account the
appointment makes) and for an existing account (which joins the seat only when its owner
confirms). Both surfaces (pages and API), on every database."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import bearer
from tests.integration.seats import (
    APPOINTMENT_FIELDS,
    EXISTING,
    NEW,
    REAL,
    TYPED,
    appoint,
    build_oost,
    make_token,
    masked,
    masked_page,
    text,
    token_of,
)
from wijkraad import clock
from wijkraad.auth import services as auth_services
from wijkraad.councils import invitations
from wijkraad.councils.models import Council, Membership
from wijkraad.councils.rules import Role, Seat
from wijkraad.extensions import db


@pytest.fixture
def oost(app, make):
    return build_oost(app, make)


class Statements:
    """The SQL statements a request runs, to count the work of a read."""

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


# ------------------------------------------------------- the member is seated at once


def test_a_new_address_appointed_through_the_api_gets_a_token_and_votes(app, client, make):
    """API.md end to end: appoint, `flask user token EMAIL`, and the member votes."""
    from tests.integration.test_api_voting import Council as Seated
    from tests.integration.test_api_voting import meeting_with_motion

    with app.app_context():
        council = make.council("oost", residents=3, councillors=1)
        chair = make.member(council, role=Role.CHAIR)
        secretary = make.member(council, role=Role.SECRETARY)
        councillor = make.member(council, seat=Seat.COUNCILLOR)
        admin = make.token(make.user("admin@example.org", admin=True))
        c = Seated("oost", make.token(chair.person.user), make.token(secretary.person.user))
        c.residents = [(chair.id, c.chair), (secretary.id, c.secretary)]
        c.councillors = [(councillor.id, make.token(councillor.person.user))]
    appointed = appoint(client, admin, NEW, name="Nieuw Lid")
    assert appointed.status_code == 201, appointed.get_json()
    member_id = appointed.get_json()["id"]
    # Seated from today: a current member, in the public list.
    members = client.get("/api/v1/councils/oost").get_json()["members"]
    assert {"id": member_id, "name": "Nieuw Lid"}.items() <= next(
        m for m in members if m["id"] == member_id
    ).items()

    result = app.test_cli_runner().invoke(args=["user", "token", NEW])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    me = client.get("/api/v1/me", headers=bearer(token)).get_json()
    assert me["name"] == "Nieuw Lid"
    assert me["seats"] == [{"council": "oost", "seat": "resident", "role": "member"}]

    c.residents.append((member_id, token))
    meeting_id, _, motion_id = meeting_with_motion(client, c)
    attendance = client.get(f"/api/v1/meetings/{meeting_id}/attendance").get_json()
    assert attendance["seated"] == 4 and member_id in attendance["present_ids"]
    assert client.post(f"/api/v1/meetings/{meeting_id}/open", headers=bearer(c.chair)).status_code
    opened = client.post(f"/api/v1/motions/{motion_id}/rounds", json={}, headers=bearer(c.chair))
    assert opened.status_code == 201, opened.get_json()
    vote = client.post(
        f"/api/v1/rounds/{opened.get_json()['id']}/votes",
        json={"choice": "yes"},
        headers=bearer(token),
    )
    assert vote.status_code == 201, vote.get_json()


def test_an_existing_account_joins_only_when_it_confirms(app, client, make):
    """Seated all the same (present, counted), but the account has no vote and does not see
    the council as its own until its owner confirms; then it votes on that very seat."""
    from tests.integration.test_api_voting import Council as Seated
    from tests.integration.test_api_voting import meeting_with_motion

    with app.app_context():
        council = make.council("oost", residents=3, councillors=1)
        chair = make.member(council, role=Role.CHAIR)
        secretary = make.member(council, role=Role.SECRETARY)
        councillor = make.member(council, seat=Seat.COUNCILLOR)
        stil = make.council("stil", residents=3, councillors=1, public_names=False)
        elsewhere = make.member(stil, name=REAL, email=EXISTING)
        elsewhere_person_id = elsewhere.person_id
        token = make_token(elsewhere.person.user)
        admin = make.token(make.user("admin@example.org", admin=True))
        c = Seated("oost", make.token(chair.person.user), make.token(secretary.person.user))
        c.residents = [(chair.id, c.chair), (secretary.id, c.secretary)]
        c.councillors = [(councillor.id, make.token(councillor.person.user))]
    appointed = appoint(client, admin, EXISTING).get_json()
    with app.app_context():
        placeholder = db.session.get(Membership, appointed["id"])
        assert placeholder.person.user_id is None and placeholder.person.name == TYPED

    def own_councils() -> list[str]:
        me = client.get("/api/v1/me", headers=bearer(token)).get_json()
        return sorted(s["council"] for s in me["seats"])

    assert own_councils() == ["stil"]
    c.residents.append((appointed["id"], token))
    meeting_id, _, motion_id = meeting_with_motion(client, c)
    assert client.get(f"/api/v1/meetings/{meeting_id}/attendance").get_json()["seated"] == 4
    client.post(f"/api/v1/meetings/{meeting_id}/open", headers=bearer(c.chair))
    round_id = client.post(
        f"/api/v1/motions/{motion_id}/rounds", json={}, headers=bearer(c.chair)
    ).get_json()["id"]

    def vote():
        url = f"/api/v1/rounds/{round_id}/votes"
        return client.post(url, json={"choice": "no"}, headers=bearer(token))

    refused = vote()
    assert refused.status_code == 403 and refused.get_json()["code"] == "not-entitled"
    link = token_of(appointed["invitation_url"])
    accepted = client.post(f"/api/v1/seat-invitations/{link}/accept", headers=bearer(token))
    assert accepted.status_code == 200, accepted.get_json()
    assert own_councils() == ["oost", "stil"]
    assert vote().status_code == 201
    with app.app_context():
        assert db.session.get(Membership, appointed["id"]).person_id == elsewhere_person_id


# ------------------------------------------------------------------ no enumeration


def test_the_api_answer_does_not_tell_whether_the_address_has_an_account(app, client, oost):
    token = oost["secretary"]
    existing = appoint(client, token, EXISTING)
    new = appoint(client, token, NEW)
    assert existing.status_code == new.status_code == 201, existing.get_json()
    assert set(existing.get_json()) == set(new.get_json()) == APPOINTMENT_FIELDS
    assert masked(existing.get_json()) == masked(new.get_json())
    assert existing.get_json()["name"] == new.get_json()["name"] == TYPED
    for answer in (existing, new):
        assert re.fullmatch(
            r"http://localhost/zetel-uitnodiging/[\w.\-]+", answer.get_json()["invitation_url"]
        )
    assert REAL not in text(existing)
    # The new address got its account, linked to the seat; the existing one is not linked.
    with app.app_context():
        new_member = db.session.get(Membership, new.get_json()["id"])
        assert new_member.person.user.email == NEW
        assert new_member.person.user.password_hash is None
        existing_member = db.session.get(Membership, existing.get_json()["id"])
        assert existing_member.person.user_id is None


def test_what_the_appointer_sees_afterwards_is_the_same(app, web, client, make):
    """Two councils alike; an existing account appointed in one, a new address in the other:
    the lists, counts and pages that follow differ only in the council's own name."""
    with app.app_context():
        stil = make.council("stil", residents=3, councillors=1, public_names=False)
        make.member(stil, name=REAL, email=EXISTING)
        make.user("admin@example.org", admin=True)
        admin = make_token(auth_services.find_user(db.session, "admin@example.org"))
    meetings = {}
    for slug, email in (("oost", EXISTING), ("west", NEW)):
        with app.app_context():
            council = make.council(slug, residents=3, councillors=1)
            make.member(council, role=Role.CHAIR, name="Voorzitter", email=f"vz@{slug}.example")
        assert appoint(client, admin, email, slug=slug).status_code == 201
        meeting = client.post(
            f"/api/v1/councils/{slug}/meetings",
            json={
                "title": "Vergadering",
                "starts_at": "2026-12-01T19:30:00+01:00",
                "location": "X",
            },
            headers=bearer(admin),
        )
        meetings[slug] = meeting.get_json()["id"]

    def seen(slug: str) -> list:
        headers = bearer(admin)
        reads = [
            client.get(f"/api/v1/councils/{slug}").get_json(),
            client.get(f"/api/v1/councils/{slug}", headers=headers).get_json(),
            client.get(f"/api/v1/councils/{slug}/invitations", headers=headers).get_json(),
            client.get(f"/api/v1/meetings/{meetings[slug]}/attendance", headers=headers).get_json(),
        ]
        for read in reads[:2]:
            read.update(slug="?", name="?", code="?")
        for invitation in reads[2]:
            invitation["email"] = "?"
        reads[3].update(present_ids="?", absent_with_notice_ids="?")
        return masked(reads)

    oost, west = seen("oost"), seen("west")
    assert oost == west
    assert [m["name"] for m in oost[0]["members"]] == ["Voorzitter", TYPED]
    assert oost[0]["vacancies"] == {"resident": 1, "councillor": 1}
    assert oost[3]["seated"] == 2
    web.login("admin@example.org")
    web.get("/")  # the login's message is shown there, and gone after
    pages = {
        slug: masked_page(
            text(web.get(f"/wijkraden/{slug}")),
            **{f"Wijkraad {slug}": "COUNCIL", f"/wijkraden/{slug}": "/wijkraden/SLUG"},
        )
        for slug in ("oost", "west")
    }
    pages = {
        slug: re.sub(r"/vergaderingen/\d+", "/vergaderingen/ID", p) for slug, p in pages.items()
    }
    assert pages["oost"] == pages["west"]
    assert TYPED in pages["oost"] and REAL not in pages["oost"]


def test_the_appointment_page_does_not_tell_either(web, oost):
    web.login("sec@example.org")
    pages = {}
    for email in (EXISTING, NEW):
        response = web.post_form(
            "/wijkraden/oost/leden/nieuw",
            {
                "name": TYPED,
                "email": email,
                "seat": "resident",
                "role": "member",
                "starts_on": clock.today().isoformat(),
            },
        )
        assert response.status_code == 302, text(response)
        page = text(web.get(response.headers["Location"]))
        assert f"{TYPED} is benoemd." in page
        assert REAL not in page
        pages[email] = masked_page(page, **{email: "ADDRESS"})
    assert pages[EXISTING] == pages[NEW]
    # Both are seated: two more in the list of current members.
    members = web.get("/api/v1/councils/oost").get_json()["members"]
    assert [m["name"] for m in members].count(TYPED) == 2


def test_a_private_residents_real_name_is_never_shown_in_oost(web, client, oost):
    """The existing account is a resident of a council that keeps names private."""
    appointed = appoint(client, oost["secretary"], EXISTING).get_json()
    headers = bearer(oost["secretary"])
    reads = [
        client.get("/api/v1/councils/oost"),
        client.get("/api/v1/councils/oost", headers=headers),
        client.get("/api/v1/councils/oost/invitations", headers=headers),
        client.get(appointed["invitation_url"]),
        client.get(f"/api/v1/seat-invitations/{token_of(appointed['invitation_url'])}"),
    ]
    web.login("sec@example.org")
    reads += [
        web.get("/wijkraden/oost"),
        web.get(f"/wijkraden/oost/leden/{appointed['id']}/uitnodiging"),
        web.get(f"/wijkraden/oost/leden/{appointed['id']}/beeindigen"),
    ]
    for response in reads:
        assert response.status_code == 200
        assert TYPED in text(response) and REAL not in text(response)


def test_appointing_a_current_member_again_answers_like_anyone_else(app, client, oost, make):
    with app.app_context():
        council = db.session.get(Council, oost["council_id"])
        seated = make.member(council, name="Zit Al", email="zit@example.org")
        invitation = seated.invitation
        invitations.accept(db.session, seated.person.user, invitation, clock.now())  # confirmed
        db.session.commit()
        seated_token = make_token(seated.person.user)
    response = appoint(client, oost["secretary"], "zit@example.org")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["name"] == TYPED
    # Only the member themselves learns that they already sit, when they try to confirm.
    link = token_of(response.get_json()["invitation_url"])
    refused = client.post(
        f"/api/v1/seat-invitations/{link}/accept",
        headers=bearer(seated_token),
    )
    assert refused.status_code == 409 and refused.get_json()["code"] == "already-member"
    # The seat stays with the name typed, until the appointer ends it.
    names = [m["name"] for m in client.get("/api/v1/councils/oost").get_json()["members"]]
    assert "Zit Al" in names and TYPED in names
    ended = client.post(
        f"/api/v1/members/{response.get_json()['id']}/end",
        json={},
        headers=bearer(oost["secretary"]),
    )
    assert ended.status_code == 200
    names = [m["name"] for m in client.get("/api/v1/councils/oost").get_json()["members"]]
    assert TYPED not in names


@pytest.mark.parametrize("email", [EXISTING, NEW])
def test_a_second_invitation_to_the_same_address_is_refused_alike(client, oost, email):
    assert appoint(client, oost["secretary"], email).status_code == 201
    again = appoint(client, oost["secretary"], email.upper(), name="Nog Eens")
    assert again.status_code == 409 and again.get_json()["code"] == "already-invited"


# --------------------------------------------------------------- the appointer's side


@pytest.mark.parametrize("email", [EXISTING, NEW])
def test_the_appointer_withdraws_an_invitation_by_ending_the_membership(
    app, web, client, oost, email
):
    first = appoint(client, oost["secretary"], email).get_json()
    ended = client.post(
        f"/api/v1/members/{first['id']}/end", json={}, headers=bearer(oost["secretary"])
    )
    assert ended.status_code == 200 and ended.get_json()["ends_on"] == clock.today().isoformat()
    assert client.get(first["invitation_url"]).status_code == 409  # the link stopped working
    # One that has not started yet ends on its first day: a seat that never ran.
    later = (clock.today() + timedelta(days=7)).isoformat()
    second = appoint(client, oost["secretary"], email, starts_on=later).get_json()
    web.login("sec@example.org")
    page = f"/wijkraden/oost/leden/{second['id']}/uitnodiging"
    assert second["invitation_url"] in text(web.get(page))
    response = web.post_form(page + "/intrekken", {}, page=page)
    assert response.status_code == 302
    assert "is ingetrokken en het lidmaatschap is beëindigd." in text(web.get("/wijkraden/oost"))
    assert TYPED not in text(web.get("/wijkraden/oost"))  # not current, nor upcoming
    with app.app_context():
        assert db.session.get(Membership, second["id"]).ends_on.isoformat() == later
    detail = client.get("/api/v1/councils/oost").get_json()
    assert detail["vacancies"]["resident"] == 4
    listed = client.get("/api/v1/councils/oost/invitations", headers=bearer(oost["secretary"]))
    assert [i["member_id"] for i in listed.get_json()] == [oost["secretary_id"]]


def test_ending_an_unconfirmed_membership_later_also_closes_its_link(web, client, oost):
    appointed = appoint(client, oost["secretary"], NEW).get_json()
    web.login("sec@example.org")
    url = f"/wijkraden/oost/leden/{appointed['id']}/beeindigen"
    assert "de link werkt daarna niet meer" in text(web.get(url))
    ends_on = (clock.today() + timedelta(days=30)).isoformat()
    assert web.post_form(url, {"ends_on": ends_on}).status_code == 302
    member = next(
        m
        for m in client.get("/api/v1/councils/oost").get_json()["members"]
        if m["id"] == appointed["id"]
    )
    assert member["ends_on"] == ends_on  # seated until then
    assert client.get(appointed["invitation_url"]).status_code == 409


def test_the_invitations_read_does_not_grow_with_the_invitations(app, client, oost):
    headers = bearer(oost["secretary"])
    client.get("/api/v1/me", headers=headers)  # the token's first use is behind us
    seen = []
    for batch in (["a"], ["b", "c", "d"]):
        for name in batch:
            appoint(client, oost["secretary"], f"{name}@example.org")
        with Statements(app) as work:
            listed = client.get("/api/v1/councils/oost/invitations", headers=headers).get_json()
        seen.append((len(listed), len(work.seen)))
    # The secretary's own invitation is open too (the set-up never answered it).
    assert [n for n, _ in seen] == [2, 5]
    assert seen[0][1] == seen[1][1]
