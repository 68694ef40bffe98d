"""The chair's seat is the administrators' alone: a secretary can neither end the chair's
membership nor give anyone (themselves included) the chair role, on pages or through the API."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import bearer
from wijkraad.councils.models import Council, Membership
from wijkraad.councils.rules import Role
from wijkraad.extensions import db


@pytest.fixture
def oost(app, make):
    """Council oost's chair and secretary (membership ids), with API tokens."""
    with app.app_context():
        council = make.council("oost", residents=5, councillors=2)
        chair = make.member(council, role=Role.CHAIR, name="Carla Voorzitter")
        secretary = make.member(council, role=Role.SECRETARY, email="sec@example.org")
        admin = make.user("admin@example.org", admin=True)
        return {
            "council": council.id,
            "chair": chair.id,
            "secretary": secretary.id,
            "secretary_token": make.token(secretary.person.user),
            "admin_token": make.token(admin),
        }


def chairs_end(app, oost) -> date | None:
    with app.app_context():
        return db.session.get(Membership, oost["chair"]).ends_on


def test_a_secretary_cannot_end_the_chairs_membership_through_the_api(app, client, oost):
    url = f"/api/v1/members/{oost['chair']}/end"
    refused = client.post(url, json={}, headers=bearer(oost["secretary_token"]))
    assert refused.status_code == 403 and refused.get_json()["code"] == "forbidden"
    assert chairs_end(app, oost) is None
    assert client.post(url, json={}, headers=bearer(oost["admin_token"])).status_code == 200


def test_a_secretary_cannot_make_a_chair_through_the_api(client, oost):
    client.post(
        f"/api/v1/members/{oost['chair']}/end", json={}, headers=bearer(oost["admin_token"])
    )
    body = {"name": "Sec Zelf", "email": "sec@example.org", "seat": "resident", "role": "chair"}
    url = "/api/v1/councils/oost/members"
    refused = client.post(url, json=body, headers=bearer(oost["secretary_token"]))
    assert refused.status_code == 403
    members = client.get("/api/v1/councils/oost").get_json()["members"]
    assert "chair" not in {m["role"] for m in members}
    assert "Sec Zelf" not in {m["name"] for m in members}
    # The secretary still appoints ordinary members.
    member = {**body, "role": "member", "email": "lid@example.org"}
    assert client.post(url, json=member, headers=bearer(oost["secretary_token"])).status_code == 201
    # The administrator appoints the next chair.
    successor = {**body, "name": "Nieuwe Voorzitter", "email": "vz@example.org"}
    created = client.post(url, json=successor, headers=bearer(oost["admin_token"]))
    assert created.status_code == 201 and created.get_json()["role"] == "chair"


def test_a_secretary_cannot_touch_the_chairs_invitation(client, oost):
    client.post(
        f"/api/v1/members/{oost['chair']}/end", json={}, headers=bearer(oost["admin_token"])
    )
    body = {
        "name": "Nieuwe Voorzitter",
        "email": "vz@example.org",
        "seat": "resident",
        "role": "chair",
    }
    invited = client.post(
        "/api/v1/councils/oost/members", json=body, headers=bearer(oost["admin_token"])
    ).get_json()
    secretary = bearer(oost["secretary_token"])
    listed = client.get("/api/v1/councils/oost/invitations", headers=secretary).get_json()
    (chairs,) = [i for i in listed if i["member_id"] == invited["id"]]
    assert chairs["invitation_url"] is None  # the link is not theirs to hand over
    assert (
        client.post(f"/api/v1/members/{invited['id']}/invitation", headers=secretary).status_code
        == 403
    )
    assert (
        client.post(f"/api/v1/members/{invited['id']}/end", json={}, headers=secretary).status_code
        == 403
    )


def test_a_secretary_cannot_end_the_chairs_membership_on_the_pages(app, web, oost):
    web.login("sec@example.org")
    url = f"/wijkraden/oost/leden/{oost['chair']}/beeindigen"
    assert web.get(url).status_code == 403
    response = web.post_form(url, {"ends_on": "2099-01-01"}, page="/wijkraden/oost")
    assert response.status_code == 403
    assert chairs_end(app, oost) is None
    # The council page offers the secretary no way to end the chair's membership.
    page = web.get("/wijkraden/oost").get_data(as_text=True)
    assert url not in page
    assert f"/wijkraden/oost/leden/{oost['secretary']}/beeindigen" in page


def test_a_secretary_cannot_make_a_chair_on_the_pages(app, web, make, oost):
    web.login("sec@example.org")
    form = web.get("/wijkraden/oost/leden/nieuw").get_data(as_text=True)
    assert 'value="chair"' not in form  # not offered
    response = web.post_form(
        "/wijkraden/oost/leden/nieuw",
        {
            "name": "Sec Zelf",
            "email": "sec@example.org",
            "seat": "resident",
            "role": "chair",
            "starts_on": make.today.isoformat(),
        },
    )
    assert response.status_code == 403
    with app.app_context():
        council = db.session.get(Council, oost["council"])
        assert [m.id for m in council.memberships] == [oost["chair"], oost["secretary"]]


def test_an_administrator_ends_the_chairs_membership_on_the_pages(app, web, make, oost):
    with app.app_context():
        make.user("beheer@example.org", admin=True)
    web.login("beheer@example.org")
    url = f"/wijkraden/oost/leden/{oost['chair']}/beeindigen"
    assert web.post_form(url, {"ends_on": make.today.isoformat()}).status_code == 302
    assert chairs_end(app, oost) == make.today


def test_the_chair_cannot_end_their_own_seat_either(app, client, make, oost):
    # Stepping down goes through an administrator, who also appoints the successor.
    with app.app_context():
        token = make.token(db.session.get(Membership, oost["chair"]).person.user)
    url = f"/api/v1/members/{oost['chair']}/end"
    assert client.post(url, json={}, headers=bearer(token)).status_code == 403
