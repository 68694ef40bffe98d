"""Appointing invites: the appointer learns nothing about accounts, and only the invitee's own
acceptance seats them. Both surfaces (pages and API), on every database."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD, bearer
from wijkraad import clock
from wijkraad.auth import services as auth_services
from wijkraad.councils.models import Membership, Person
from wijkraad.councils.rules import MembershipStatus, Role, Seat
from wijkraad.extensions import db

EXISTING = "bestaand@example.org"
NEW = "nieuw@example.org"
TYPED = "Getypte Naam"
REAL = "Echte Naam"


def text(response) -> str:
    return response.get_data(as_text=True)


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[1]


@pytest.fixture
def oost(make):
    """Council oost with a secretary, and an account elsewhere: a resident of a council that
    keeps residents' names private, whose real name nobody in oost may learn."""
    council = make.council("oost", residents=5, councillors=2)
    secretary = make.member(council, role=Role.SECRETARY, email="sec@example.org")
    stil = make.council("stil", residents=3, councillors=1, public_names=False)
    existing = make.member(stil, name=REAL, email=EXISTING)
    return {
        "council": council,
        "secretary": make.token(secretary.person.user),
        "existing": existing,
    }


def appoint(client, token: str, email: str, name: str = TYPED, **extra):
    body = {"name": name, "email": email, "seat": "resident", **extra}
    return client.post("/api/v1/councils/oost/members", json=body, headers=bearer(token))


def masked(body: dict) -> dict:
    return {**body, "id": "?", "invitation_url": "?", "invitation_expires_at": "?"}


class Statements:
    """The SQL statements a request runs, to compare the work of two requests."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __enter__(self) -> Statements:
        sa.event.listen(db.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *_: object) -> None:
        sa.event.remove(db.engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, parameters, context, executemany) -> None:
        # The second request sees one more membership: the same query, one more IN value.
        self.seen.append(re.sub(r"IN \((?:[^()]|\([^()]*\))*\)", "IN (...)", statement))


# ------------------------------------------------------------------ no enumeration


def test_the_api_answer_does_not_tell_whether_the_address_has_an_account(client, oost):
    token = oost["secretary"]
    client.get("/api/v1/me", headers=bearer(token))  # the token's first use is behind us
    with Statements() as existing_work:
        existing = appoint(client, token, EXISTING)
    with Statements() as new_work:
        new = appoint(client, token, NEW)
    assert existing.status_code == new.status_code == 201, existing.get_json()
    assert masked(existing.get_json()) == masked(new.get_json())
    assert existing.get_json()["name"] == TYPED
    assert REAL not in text(existing)
    # The same work either way: accounts are not even looked up.
    assert existing_work.seen == new_work.seen
    assert not any("FROM users" in s for s in existing_work.seen)
    # Nobody is seated, and the existing account gained no seat in oost.
    assert client.get("/api/v1/councils/oost").get_json()["invited"]["resident"] == 2
    user = auth_services.find_user(db.session, EXISTING)
    me = client.get("/api/v1/me", headers=bearer(make_token(user))).get_json()
    assert [s["council"] for s in me["seats"]] == ["stil"]
    membership = db.session.get(Membership, existing.get_json()["id"])
    assert membership.person.user_id is None and membership.person.name == TYPED


def make_token(user) -> str:
    value = auth_services.issue_token(db.session, None, user, "test")
    db.session.commit()
    return value


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
        assert f"{TYPED} is uitgenodigd." in page
        assert REAL not in page
        page = page.replace(email, "ADDRESS")
        page = re.sub(r"/leden/\d+/", "/leden/ID/", page)
        pages[email] = re.sub(r"zetel-uitnodiging/[^\"]+", "zetel-uitnodiging/TOKEN", page)
    assert pages[EXISTING] == pages[NEW]


def test_appointing_a_current_member_again_answers_like_anyone_else(client, oost, make):
    seated = make.member(oost["council"], name="Zit Al", email="zit@example.org")
    response = appoint(client, oost["secretary"], "zit@example.org")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["name"] == TYPED
    # Only the member themselves learns that they already sit, when they try to accept.
    link = token_of(response.get_json()["invitation_url"])
    refused = client.post(
        f"/api/v1/seat-invitations/{link}/accept",
        headers=bearer(make_token(seated.person.user)),
    )
    assert refused.status_code == 409 and refused.get_json()["code"] == "already-member"


@pytest.mark.parametrize("email", [EXISTING, NEW])
def test_a_second_invitation_to_the_same_address_is_refused_alike(client, oost, email):
    assert appoint(client, oost["secretary"], email).status_code == 201
    again = appoint(client, oost["secretary"], email.upper(), name="Nog Eens")
    assert again.status_code == 409 and again.get_json()["code"] == "already-invited"


# --------------------------------------------------------------- the invitee's side


def test_the_link_page_looks_the_same_for_new_and_existing_addresses(client, oost):
    pages = {}
    for email in (EXISTING, NEW):
        url = appoint(client, oost["secretary"], email).get_json()["invitation_url"]
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"  # the link is a secret
        page = text(response).replace(email, "ADDRESS")
        pages[email] = page.replace(token_of(url), "TOKEN")
    assert pages[EXISTING] == pages[NEW]
    assert "Hebt u al een account?" in pages[NEW] and "Nog geen account?" in pages[NEW]
    assert TYPED in pages[NEW] and "Wijkraad oost" in pages[NEW]


def test_a_new_invitee_chooses_a_password_logs_in_and_accepts(web, client, oost):
    url = appoint(client, oost["secretary"], NEW).get_json()["invitation_url"]
    path = url.removeprefix("http://localhost")
    response = web.post_form(
        path + "/wachtwoord",
        {"password": "een goed wachtwoord", "confirm": "een goed wachtwoord"},
        page=path,
    )
    assert response.status_code == 302
    assert "/aanmelden?next=" in response.headers["Location"]
    login = web.post_form(
        "/aanmelden", {"email": NEW, "password": "een goed wachtwoord", "next": path}
    )
    assert login.headers["Location"].endswith(path)
    page = text(web.get(path))
    assert "Zetel aannemen" in page
    accepted = web.post_form(path + "/aannemen", {}, page=path)
    assert accepted.status_code == 302
    council_page = text(web.get("/wijkraden/oost"))
    assert "U hebt de zetel in Wijkraad oost aangenomen." in council_page
    members = client.get("/api/v1/councils/oost").get_json()["members"]
    assert TYPED in {m["name"] for m in members}
    user = auth_services.find_user(db.session, NEW)
    assert user.name == TYPED
    # The link worked once.
    assert web.get(path).status_code == 409


def test_an_existing_invitee_logs_in_and_accepts_with_their_own_person(web, client, oost):
    appointed = appoint(client, oost["secretary"], EXISTING).get_json()
    path = appointed["invitation_url"].removeprefix("http://localhost")
    membership_id = appointed["id"]
    web.login(EXISTING)
    assert web.post_form(path + "/aannemen", {}, page=path).status_code == 302
    db.session.expire_all()
    membership = db.session.get(Membership, membership_id)
    assert membership.status is MembershipStatus.ACCEPTED
    assert membership.person_id == oost["existing"].person_id
    # The person made for the invitation is gone; the account keeps one person.
    assert db.session.scalar(sa.select(sa.func.count()).where(Person.name == TYPED)) == 0
    me = client.get("/api/v1/me", headers=bearer(make_token(membership.person.user))).get_json()
    assert sorted(s["council"] for s in me["seats"]) == ["oost", "stil"]


def test_choosing_a_password_for_an_existing_account_changes_nothing(web, client, oost):
    answers = {}
    for email in (EXISTING, NEW):
        url = appoint(client, oost["secretary"], email).get_json()["invitation_url"]
        path = url.removeprefix("http://localhost")
        response = web.post_form(
            path + "/wachtwoord",
            {"password": "gekozen wachtwoord", "confirm": "gekozen wachtwoord"},
            page=path,
        )
        # The status, where it leads, and the page with the message it leaves.
        answers[email] = (
            response.status_code,
            response.headers["Location"].replace(token_of(url), "TOKEN"),
            text(web.get("/")).replace(email, "ADDRESS"),
        )
    assert answers[EXISTING] == answers[NEW]
    assert web.login(EXISTING, "gekozen wachtwoord").status_code == 401
    assert web.login(EXISTING, PASSWORD).status_code == 302


def test_an_invitee_who_declines_frees_the_seat(client, oost):
    url = appoint(client, oost["secretary"], EXISTING).get_json()["invitation_url"]
    link = token_of(url)
    declined = client.post(f"/api/v1/seat-invitations/{link}/decline")
    assert declined.status_code == 200
    assert declined.get_json()["status"] == "declined" and not declined.get_json()["is_open"]
    detail = client.get("/api/v1/councils/oost").get_json()
    assert detail["invited"]["resident"] == 0 and detail["vacancies"]["resident"] == 4
    assert client.post(f"/api/v1/seat-invitations/{link}/decline").status_code == 409
    assert client.get(url).status_code == 409


def test_the_page_decline_frees_the_seat(web, client, oost):
    url = appoint(client, oost["secretary"], NEW).get_json()["invitation_url"]
    path = url.removeprefix("http://localhost")
    response = web.post_form(path + "/afwijzen", {}, page=path)
    assert response.status_code == 302
    assert "De zetel is weer vrij." in text(web.get("/"))
    assert client.get("/api/v1/councils/oost").get_json()["invited"]["resident"] == 0


def test_only_the_invited_account_can_accept(web, client, oost, make):
    url = appoint(client, oost["secretary"], EXISTING).get_json()["invitation_url"]
    path = url.removeprefix("http://localhost")
    make.user("ander@example.org")
    response = client.post(
        f"/api/v1/seat-invitations/{token_of(url)}/accept",
        headers=bearer(make_token(auth_services.find_user(db.session, "ander@example.org"))),
    )
    assert (
        response.status_code == 403 and response.get_json()["code"] == "seat-invite-other-account"
    )
    web.login("ander@example.org")
    assert "U bent aangemeld met een ander e-mailadres" in text(web.get(path))
    assert web.post_form(path + "/aannemen", {}, page=path).status_code == 403
    anonymous = client.post(f"/api/v1/seat-invitations/{token_of(url)}/accept")
    assert anonymous.status_code == 401


def test_an_expired_link_cannot_be_answered(client, oost):
    appointed = appoint(client, oost["secretary"], EXISTING).get_json()
    url = appointed["invitation_url"]
    invitation = db.session.get(Membership, appointed["id"]).invitation
    invitation.expires_at = clock.now() - timedelta(seconds=1)
    db.session.commit()
    link = token_of(url)
    assert client.get(f"/api/v1/seat-invitations/{link}").get_json()["is_open"] is False
    user = auth_services.find_user(db.session, EXISTING)
    response = client.post(
        f"/api/v1/seat-invitations/{link}/accept", headers=bearer(make_token(user))
    )
    assert response.status_code == 409 and response.get_json()["code"] == "seat-invite-closed"
    assert client.get(url).status_code == 409
    # The seat stays reserved until the appointer renews the link or withdraws it.
    assert client.get("/api/v1/councils/oost").get_json()["invited"]["resident"] == 1


def test_a_forged_or_replaced_link_is_refused(client, oost):
    response = appoint(client, oost["secretary"], NEW).get_json()
    link = token_of(response["invitation_url"])
    forged = link[:-2] + ("AA" if not link.endswith("AA") else "BB")
    assert client.get(f"/api/v1/seat-invitations/{forged}").status_code == 404
    assert client.get(f"/zetel-uitnodiging/{forged}").status_code == 404
    assert client.get("/api/v1/seat-invitations/nonsense").status_code == 404
    renewed = client.post(
        f"/api/v1/members/{response['id']}/invitation", headers=bearer(oost["secretary"])
    )
    assert renewed.status_code == 200
    new_link = token_of(renewed.get_json()["invitation_url"])
    assert new_link != link
    assert client.get(f"/api/v1/seat-invitations/{link}").status_code == 404
    assert client.get(f"/api/v1/seat-invitations/{new_link}").status_code == 200


def test_the_appointer_withdraws_an_invitation(web, client, oost):
    first = appoint(client, oost["secretary"], NEW).get_json()
    ended = client.post(
        f"/api/v1/members/{first['id']}/end", json={}, headers=bearer(oost["secretary"])
    )
    assert ended.status_code == 200
    assert client.get(first["invitation_url"]).status_code == 409
    second = appoint(client, oost["secretary"], EXISTING).get_json()
    web.login("sec@example.org")
    page = f"/wijkraden/oost/leden/{second['id']}/uitnodiging"
    assert second["invitation_url"] in text(web.get(page))
    response = web.post_form(page + "/intrekken", {}, page=page)
    assert response.status_code == 302
    assert "De zetel is weer vrij." in text(web.get("/wijkraden/oost"))
    detail = client.get("/api/v1/councils/oost").get_json()
    assert detail["invited"]["resident"] == 0 and detail["vacancies"]["resident"] == 4
    listed = client.get("/api/v1/councils/oost/invitations", headers=bearer(oost["secretary"]))
    assert listed.status_code == 200 and listed.get_json() == []


# ------------------------------------------------------- what an open invitation counts


def test_an_open_invitation_reserves_the_seat_but_seats_nobody(client, make):
    from tests.integration.test_api_voting import Council as Seated
    from tests.integration.test_api_voting import meeting_with_motion

    council = make.council("oost", residents=3, councillors=1)
    chair = make.member(council, role=Role.CHAIR)
    secretary = make.member(council, role=Role.SECRETARY)
    councillor = make.member(council, seat=Seat.COUNCILLOR)
    invitee = make.user(EXISTING)
    c = Seated("oost", make.token(chair.person.user), make.token(secretary.person.user))
    c.residents = [(chair.id, c.chair), (secretary.id, c.secretary)]
    c.councillors = [(councillor.id, make.token(councillor.person.user))]
    admin = make.token(make.user("admin@example.org", admin=True))
    invited = appoint(client, admin, EXISTING).get_json()
    # The last resident seat is reserved: nobody else gets it meanwhile.
    refused = appoint(client, admin, NEW, name="Tweede")
    assert refused.status_code == 409 and refused.get_json()["code"] == "seats-full"
    # Not seated: not on the attendance register, not counted for quorum, no vote.
    meeting_id, _, motion_id = meeting_with_motion(client, c)
    wrong = client.put(
        f"/api/v1/meetings/{meeting_id}/attendance",
        json={"present": [m for m, _ in c.everyone] + [invited["id"]]},
        headers=bearer(c.secretary),
    )
    assert wrong.status_code == 422 and wrong.get_json()["code"] == "not-seated"
    attendance = client.get(f"/api/v1/meetings/{meeting_id}/attendance").get_json()
    assert attendance["seated"] == 3
    assert (
        client.post(f"/api/v1/meetings/{meeting_id}/open", headers=bearer(c.chair)).status_code
        == 200
    )
    round_id = client.post(
        f"/api/v1/motions/{motion_id}/rounds", json={}, headers=bearer(c.chair)
    ).get_json()["id"]
    vote = client.post(
        f"/api/v1/rounds/{round_id}/votes",
        json={"choice": "yes"},
        headers=bearer(make_token(invitee)),
    )
    assert vote.status_code == 403 and vote.get_json()["code"] == "not-entitled"


def test_the_invitations_read_does_not_grow_with_the_invitations(client, oost):
    headers = bearer(oost["secretary"])
    client.get("/api/v1/me", headers=headers)  # the token's first use is behind us
    seen = []
    for batch in (["a"], ["b", "c", "d"]):
        for name in batch:
            appoint(client, oost["secretary"], f"{name}@example.org")
        with Statements() as work:
            listed = client.get("/api/v1/councils/oost/invitations", headers=headers).get_json()
        seen.append((len(listed), len(work.seen)))
    assert [n for n, _ in seen] == [1, 4]
    assert seen[0][1] == seen[1][1]
