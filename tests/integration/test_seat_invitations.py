"""The invitee's side of an appointment: the link confirms the seat (a new account by choosing
its password, an existing one by logging in and confirming) or declines it, which ends the
membership. Pages and API, on every database."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD, bearer
from tests.integration.seats import (
    CSRF_VALUE,
    EXISTING,
    NEW,
    TYPED,
    appoint,
    build_oost,
    make_token,
    masked_page,
    text,
    token_of,
)
from wijkraad import clock
from wijkraad.auth import services as auth_services
from wijkraad.councils.models import Membership, Person
from wijkraad.councils.rules import MembershipStatus
from wijkraad.extensions import db


@pytest.fixture
def oost(app, make):
    return build_oost(app, make)


def path_of(url: str) -> str:
    return url.removeprefix("http://localhost")


def test_the_link_page_looks_the_same_for_new_and_existing_addresses(client, oost):
    pages = {}
    for email in (EXISTING, NEW):
        url = appoint(client, oost["secretary"], email).get_json()["invitation_url"]
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"  # the link is a secret
        # The CSRF tokens carry the second they were made: not part of what the page tells.
        page = re.sub(r'(name="csrf_token"[^>]*value=")[^"]*', r"\1CSRF", text(response))
        page = page.replace(email, "ADDRESS")
        pages[email] = page.replace(token_of(url), "TOKEN")
        read = client.get(f"/api/v1/seat-invitations/{token_of(url)}").get_json()
        assert read["status"] == "invited" and read["is_open"] is True
    assert pages[EXISTING] == pages[NEW]
    assert "Hebt u al een account?" in pages[NEW] and "Nog geen account?" in pages[NEW]
    assert TYPED in pages[NEW] and "Wijkraad oost" in pages[NEW]


def test_a_new_member_chooses_a_password_which_confirms_the_seat(app, web, client, oost):
    appointed = appoint(client, oost["secretary"], NEW).get_json()
    path = path_of(appointed["invitation_url"])
    response = web.post_form(
        path + "/wachtwoord",
        {"password": "een goed wachtwoord", "confirm": "een goed wachtwoord"},
        page=path,
    )
    assert response.status_code == 302
    assert "/aanmelden?next=" in response.headers["Location"]
    with app.app_context():
        membership = db.session.get(Membership, appointed["id"])
        assert membership.status is MembershipStatus.ACCEPTED
        user = auth_services.find_user(db.session, NEW)
        assert user.name == TYPED and membership.person.user_id == user.id
        token = make_token(user)
    login = web.post_form(
        "/aanmelden", {"email": NEW, "password": "een goed wachtwoord", "next": path}
    )
    assert login.headers["Location"].endswith(path)
    confirmed = web.get(path)
    assert confirmed.status_code == 200
    assert "Uw zetel in Wijkraad oost is bevestigd." in text(confirmed)
    me = client.get("/api/v1/me", headers=bearer(token)).get_json()
    assert [s["council"] for s in me["seats"]] == ["oost"]
    # The link worked once: for anyone else it is closed now.
    web.logout()
    assert web.get(path).status_code == 409


def test_an_existing_member_logs_in_and_confirms_with_their_own_person(app, web, client, oost):
    appointed = appoint(client, oost["secretary"], EXISTING).get_json()
    path = path_of(appointed["invitation_url"])
    membership_id = appointed["id"]
    web.login(EXISTING)
    assert "Zetel aannemen" in text(web.get(path))
    assert web.post_form(path + "/aannemen", {}, page=path).status_code == 302
    assert "U hebt de zetel in Wijkraad oost aangenomen." in text(web.get("/wijkraden/oost"))
    with app.app_context():
        membership = db.session.get(Membership, membership_id)
        assert membership.status is MembershipStatus.ACCEPTED
        assert membership.person_id == oost["existing_person_id"]
        # The person made for the appointment is gone; the account keeps one person.
        assert db.session.scalar(sa.select(sa.func.count()).where(Person.name == TYPED)) == 0
        token = make_token(membership.person.user)
    me = client.get("/api/v1/me", headers=bearer(token)).get_json()
    assert sorted(s["council"] for s in me["seats"]) == ["oost", "stil"]
    assert web.get(path).status_code == 200  # the invitee sees it done
    assert "is bevestigd" in text(web.get(path))


def test_an_account_without_a_person_of_its_own_takes_the_seats_person(app, client, oost, make):
    with app.app_context():
        user = make.user("los@example.org", name="Los Account")
        user_id, token = user.id, make_token(user)
    appointed = appoint(client, oost["secretary"], "los@example.org").get_json()
    link = token_of(appointed["invitation_url"])
    response = client.post(f"/api/v1/seat-invitations/{link}/accept", headers=bearer(token))
    assert response.status_code == 200, response.get_json()
    with app.app_context():
        assert db.session.get(Membership, appointed["id"]).person.user_id == user_id


def test_choosing_a_password_for_an_existing_account_changes_nothing(web, client, oost):
    answers = {}
    for email in (EXISTING, NEW):
        url = appoint(client, oost["secretary"], email).get_json()["invitation_url"]
        path = path_of(url)
        response = web.post_form(
            path + "/wachtwoord",
            {"password": "gekozen wachtwoord", "confirm": "gekozen wachtwoord"},
            page=path,
        )
        # The status, where it leads, and the page with the message it leaves.
        answers[email] = (
            response.status_code,
            response.headers["Location"].replace(token_of(url), "TOKEN"),
            # The page's CSRF token is signed anew, with the time, for each request.
            CSRF_VALUE.sub(r"\1CSRF\2", text(web.get("/"))).replace(email, "ADDRESS"),
        )
    assert answers[EXISTING] == answers[NEW]
    assert web.login(EXISTING, "gekozen wachtwoord").status_code == 401
    assert web.login(EXISTING, PASSWORD).status_code == 302


@pytest.mark.parametrize("email", [EXISTING, NEW])
@pytest.mark.parametrize(("starts_in", "ends_in"), [(-3, 0), (0, 0), (7, 7)])
def test_declining_ends_the_membership_alike(client, oost, email, starts_in, ends_in):
    """It ends today, or on its first day when it has not started: a seat that never ran."""
    today = clock.today()
    starts_on = (today + timedelta(days=starts_in)).isoformat()
    appointed = appoint(client, oost["secretary"], email, starts_on=starts_on).get_json()
    link = token_of(appointed["invitation_url"])
    declined = client.post(f"/api/v1/seat-invitations/{link}/decline")
    assert declined.status_code == 200
    assert declined.get_json()["status"] == "declined" and not declined.get_json()["is_open"]
    assert declined.get_json()["ends_on"] == (today + timedelta(days=ends_in)).isoformat()
    detail = client.get("/api/v1/councils/oost").get_json()
    assert detail["vacancies"]["resident"] == 4
    assert appointed["id"] not in {m["id"] for m in detail["members"]}
    assert client.post(f"/api/v1/seat-invitations/{link}/decline").status_code == 409
    assert client.get(appointed["invitation_url"]).status_code == 409


def test_the_page_decline_ends_the_membership(web, client, oost):
    appointed = appoint(client, oost["secretary"], NEW).get_json()
    path = path_of(appointed["invitation_url"])
    response = web.post_form(path + "/afwijzen", {}, page=path)
    assert response.status_code == 302
    assert "Uw lidmaatschap is beëindigd." in text(web.get("/"))
    members = client.get("/api/v1/councils/oost").get_json()["members"]
    assert appointed["id"] not in {m["id"] for m in members}


def test_only_the_invited_account_can_accept(app, web, client, oost, make):
    url = appoint(client, oost["secretary"], EXISTING).get_json()["invitation_url"]
    path = path_of(url)
    with app.app_context():
        make.user("ander@example.org")
        other = make_token(auth_services.find_user(db.session, "ander@example.org"))
    response = client.post(
        f"/api/v1/seat-invitations/{token_of(url)}/accept", headers=bearer(other)
    )
    assert (
        response.status_code == 403 and response.get_json()["code"] == "seat-invite-other-account"
    )
    web.login("ander@example.org")
    assert "U bent aangemeld met een ander e-mailadres" in text(web.get(path))
    assert web.post_form(path + "/aannemen", {}, page=path).status_code == 403
    anonymous = client.post(f"/api/v1/seat-invitations/{token_of(url)}/accept")
    assert anonymous.status_code == 401


def test_an_expired_link_cannot_be_answered(app, client, oost):
    appointed = appoint(client, oost["secretary"], EXISTING).get_json()
    url = appointed["invitation_url"]
    with app.app_context():
        invitation = db.session.get(Membership, appointed["id"]).invitation
        invitation.expires_at = clock.now() - timedelta(seconds=1)
        db.session.commit()
    link = token_of(url)
    assert client.get(f"/api/v1/seat-invitations/{link}").get_json()["is_open"] is False
    with app.app_context():
        token = make_token(auth_services.find_user(db.session, EXISTING))
    response = client.post(f"/api/v1/seat-invitations/{link}/accept", headers=bearer(token))
    assert response.status_code == 409 and response.get_json()["code"] == "seat-invite-closed"
    assert client.get(url).status_code == 409
    # The member stays seated; the appointer makes a new link or ends the membership.
    members = client.get("/api/v1/councils/oost").get_json()["members"]
    assert appointed["id"] in {m["id"] for m in members}
    renewed = client.post(
        f"/api/v1/members/{appointed['id']}/invitation", headers=bearer(oost["secretary"])
    )
    assert renewed.status_code == 200 and renewed.get_json()["invitation_url"]


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


def test_the_appointers_invitation_page_follows_the_answer_alike(web, client, oost):
    """The appointer's page before and after the answer: the same for both kinds of address."""
    web.login("sec@example.org")
    web.get("/")  # the login's message is shown there, and gone after
    pages = {}
    for email in (EXISTING, NEW):
        appointed = appoint(client, oost["secretary"], email).get_json()
        page = f"/wijkraden/oost/leden/{appointed['id']}/uitnodiging"
        before = text(web.get(page))
        client.post(f"/api/v1/seat-invitations/{token_of(appointed['invitation_url'])}/decline")
        after = text(web.get(page))
        pages[email] = [masked_page(p, **{email: "ADDRESS"}) for p in (before, after)]
    assert pages[EXISTING] == pages[NEW]
    before, after = pages[NEW]
    assert "is lid vanaf" in before and "De zetel is afgewezen." in after
