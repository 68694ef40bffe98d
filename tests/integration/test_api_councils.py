"""The councils-and-members API, as ../shared/API.md fixes it, refusals included."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import PASSWORD, bearer
from wijkraad import clock
from wijkraad.auth import services
from wijkraad.auth.models import ApiToken, User
from wijkraad.auth.services import find_user
from wijkraad.councils.models import Council
from wijkraad.councils.rules import Role, Seat
from wijkraad.extensions import db

COUNCIL = {
    "slug": "oosterpark",
    "name": "Wijkraad Oosterpark",
    "municipality": "Groningen",
    "resident_seats": 11,
    "councillor_seats": 6,
}


def problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["code"] == code
    assert body["status"] == status
    assert body["title"] and body["detail"] and body["type"]
    return body


@pytest.fixture
def admin_token(app, make):
    with app.app_context():
        return make.token(make.user("admin@example.org", admin=True))


def test_token_from_credentials(app, client, make):
    with app.app_context():
        make.user("a@example.org")
    response = client.post("/api/v1/tokens", json={"email": "A@example.org", "password": PASSWORD})
    assert response.status_code == 201
    token = response.get_json()["token"]
    me = client.get("/api/v1/me", headers=bearer(token))
    assert me.status_code == 200
    assert me.get_json()["email"] == "a@example.org"


def test_token_refused_for_bad_credentials_then_rate_limited(app, client, make):
    with app.app_context():
        make.user("a@example.org")
    for _ in range(5):
        response = client.post("/api/v1/tokens", json={"email": "a@example.org", "password": "x"})
        problem(response, 401, "bad-credentials")
    # Even the right password is refused while the limit holds.
    response = client.post("/api/v1/tokens", json={"email": "a@example.org", "password": PASSWORD})
    problem(response, 429, "login-throttled")


def test_token_request_validation(client):
    body = problem(
        client.post("/api/v1/tokens", json={"email": "a@example.org"}), 422, "invalid-input"
    )
    assert [e["field"] for e in body["errors"]] == ["password"]
    problem(
        client.post("/api/v1/tokens", data="{not json", content_type="application/json"),
        400,
        "invalid-json",
    )
    problem(client.post("/api/v1/tokens", json=[1, 2]), 400, "invalid-json")


def test_list_and_create_council(client, admin_token):
    assert client.get("/api/v1/councils").get_json() == []
    response = client.post("/api/v1/councils", json=COUNCIL, headers=bearer(admin_token))
    assert response.status_code == 201
    created = response.get_json()
    for key, value in COUNCIL.items():
        assert created[key] == value
    assert created["decision_rule"] == "cooperative"
    listed = client.get("/api/v1/councils").get_json()
    assert [c["slug"] for c in listed] == ["oosterpark"]
    assert set(listed[0]) >= {
        "slug",
        "name",
        "municipality",
        "resident_seats",
        "councillor_seats",
        "decision_rule",
    }


def test_create_council_refusals(app, client, make, admin_token):
    problem(client.post("/api/v1/councils", json=COUNCIL), 401, "unauthorized")
    problem(
        client.post("/api/v1/councils", json=COUNCIL, headers=bearer("wr_nonsense")),
        401,
        "invalid-token",
    )
    with app.app_context():
        member_token = make.token(make.user("m@example.org"))
    problem(
        client.post("/api/v1/councils", json=COUNCIL, headers=bearer(member_token)),
        403,
        "forbidden",
    )
    assert (
        client.post("/api/v1/councils", json=COUNCIL, headers=bearer(admin_token)).status_code
        == 201
    )
    problem(
        client.post("/api/v1/councils", json=COUNCIL, headers=bearer(admin_token)),
        409,
        "slug-taken",
    )
    body = problem(
        client.post(
            "/api/v1/councils",
            json={**COUNCIL, "slug": "gelijk", "resident_seats": 6, "councillor_seats": 6},
            headers=bearer(admin_token),
        ),
        422,
        "residents-not-majority",
    )
    assert body["errors"][0]["field"] == "resident_seats"
    # A simple council may have as many councillors as residents.
    response = client.post(
        "/api/v1/councils",
        json={
            **COUNCIL,
            "slug": "gewoon",
            "resident_seats": 6,
            "councillor_seats": 6,
            "decision_rule": "simple",
        },
        headers=bearer(admin_token),
    )
    assert response.status_code == 201
    body = problem(
        client.post(
            "/api/v1/councils",
            json={**COUNCIL, "slug": "x", "resident_seats": "elf"},
            headers=bearer(admin_token),
        ),
        422,
        "invalid-input",
    )
    assert body["errors"][0]["field"] == "resident_seats"
    body = problem(
        client.post(
            "/api/v1/councils", json={**COUNCIL, "slug": "Geen Slug!"}, headers=bearer(admin_token)
        ),
        422,
        "invalid-input",
    )
    assert body["errors"][0]["field"] == "slug"


def test_council_detail_lists_current_members_without_email(app, client, make):
    with app.app_context():
        council = make.council("oost")
        chair = make.member(council, role=Role.CHAIR, name="Fatima", email="fatima@example.org")
        make.member(council, seat=Seat.COUNCILLOR, name="Gerrit")
        future = make.member(council, name="Later", starts_on=make.today + timedelta(days=30))
        chair, future = chair.id, future.id
    response = client.get("/api/v1/councils/oost")
    assert response.status_code == 200
    body = response.get_json()
    assert body["slug"] == "oost"
    names = {m["name"] for m in body["members"]}
    assert names == {"Fatima", "Gerrit"}
    assert future not in {m["id"] for m in body["members"]}
    chair_out = next(m for m in body["members"] if m["id"] == chair)
    assert chair_out == {
        "id": chair,
        "name": "Fatima",
        "seat": "resident",
        "role": "chair",
        "starts_on": make.today.isoformat(),
        "ends_on": None,
    }
    assert "fatima@example.org" not in response.get_data(as_text=True)
    assert body["vacancies"] == {"resident": 10, "councillor": 5}
    problem(client.get("/api/v1/councils/nergens"), 404, "council-not-found")


def test_private_resident_names_are_hidden_from_the_public(app, client, make):
    with app.app_context():
        council = make.council("stil", public_names=False)
        resident = make.member(council, name="Anoniem Blijven")
        make.member(council, seat=Seat.COUNCILLOR, name="Openbaar Raadslid")
        token = make.token(resident.person.user)
        resident = resident.id
    public = client.get("/api/v1/councils/stil").get_json()
    by_id = {m["id"]: m for m in public["members"]}
    assert by_id[resident]["name"] is None
    assert "Openbaar Raadslid" in {m["name"] for m in public["members"]}
    own = client.get("/api/v1/councils/stil", headers=bearer(token)).get_json()
    assert {m["id"]: m for m in own["members"]}[resident]["name"] == "Anoniem Blijven"


def test_appoint_member_seats_the_person_with_an_account(app, client, make, admin_token):
    with app.app_context():
        make.council("oost")
    response = client.post(
        "/api/v1/councils/oost/members",
        json={"name": "Anouk de Vries", "email": "Anouk@Example.org", "seat": "resident"},
        headers=bearer(admin_token),
    )
    assert response.status_code == 201, response.get_json()
    member = response.get_json()
    assert member["name"] == "Anouk de Vries"
    assert member["role"] == "member"
    assert member["starts_on"] == make.today.isoformat()
    assert member["ends_on"] is None
    assert "/zetel-uitnodiging/" in member["invitation_url"]
    # Seated at once: a current member, the seat no longer vacant.
    detail = client.get("/api/v1/councils/oost").get_json()
    assert [m["id"] for m in detail["members"]] == [member["id"]]
    assert detail["vacancies"] == {"resident": 10, "councillor": 6}
    # A new e-mail: the account is made (its owner chooses the password through the link).
    with app.app_context():
        user = find_user(db.session, "anouk@example.org")
        assert user is not None and user.name == "Anouk de Vries" and user.password_hash is None


def test_appoint_refusals(app, client, make, admin_token):
    with app.app_context():
        council_id = make.council("klein", residents=2, councillors=1).id
    url = "/api/v1/councils/klein/members"
    headers = bearer(admin_token)
    body = {"name": "A", "email": "a@example.org", "seat": "councillor", "role": "chair"}
    problem(client.post(url, json=body, headers=headers), 422, "chair-not-resident")
    with app.app_context():
        make.member(db.session.get(Council, council_id), seat=Seat.COUNCILLOR)
    body = {"name": "B", "email": "b@example.org", "seat": "councillor"}
    problem(client.post(url, json=body, headers=headers), 409, "seats-full")
    problem(client.post(url, json={**body, "seat": "mayor"}, headers=headers), 422, "invalid-input")
    problem(client.post(url, json={"name": "C"}, headers=headers), 422, "invalid-input")
    problem(
        client.post("/api/v1/councils/nergens/members", json=body, headers=headers),
        404,
        "council-not-found",
    )
    problem(client.post(url, json=body), 401, "unauthorized")


def test_secretary_appoints_in_own_council_only(app, client, make):
    with app.app_context():
        own = make.council("eigen")
        make.council("ander")
        secretary = make.member(own, role=Role.SECRETARY)
        token = make.token(secretary.person.user)
        own = own.id
    body = {"name": "Nieuw Lid", "email": "nieuw@example.org", "seat": "resident"}
    assert (
        client.post("/api/v1/councils/eigen/members", json=body, headers=bearer(token)).status_code
        == 201
    )
    problem(
        client.post("/api/v1/councils/ander/members", json=body, headers=bearer(token)),
        403,
        "forbidden",
    )
    with app.app_context():
        member_token = make.token(make.member(db.session.get(Council, own)).person.user)
    problem(
        client.post("/api/v1/councils/eigen/members", json=body, headers=bearer(member_token)),
        403,
        "forbidden",
    )


def test_end_membership(app, client, make, admin_token):
    with app.app_context():
        council = make.council("oost")
        council_id, membership = council.id, make.member(council, name="Vertrekt").id
    response = client.post(
        f"/api/v1/members/{membership}/end", json={}, headers=bearer(admin_token)
    )
    assert response.status_code == 200
    assert response.get_json()["ends_on"] == make.today.isoformat()
    current = client.get("/api/v1/councils/oost").get_json()["members"]
    assert membership not in {m["id"] for m in current}
    problem(
        client.post(f"/api/v1/members/{membership}/end", json={}, headers=bearer(admin_token)),
        409,
        "already-ended",
    )
    with app.app_context():
        other = make.member(db.session.get(Council, council_id))
        other, early = other.id, (other.starts_on - timedelta(days=1)).isoformat()
    problem(
        client.post(
            f"/api/v1/members/{other}/end", json={"ends_on": early}, headers=bearer(admin_token)
        ),
        422,
        "ends-before-start",
    )
    problem(
        client.post("/api/v1/members/99999/end", json={}, headers=bearer(admin_token)),
        404,
        "member-not-found",
    )


def test_ended_seat_can_be_filled_again(app, client, make, admin_token):
    with app.app_context():
        council = make.council("klein", residents=2, councillors=1)
        make.member(council)
        leaving = make.member(council).id
    url = "/api/v1/councils/klein/members"
    body = {"name": "Opvolger", "email": "opvolger@example.org", "seat": "resident"}
    problem(client.post(url, json=body, headers=bearer(admin_token)), 409, "seats-full")
    client.post(f"/api/v1/members/{leaving}/end", json={}, headers=bearer(admin_token))
    assert client.post(url, json=body, headers=bearer(admin_token)).status_code == 201


def test_update_council_refuses_fewer_seats_than_seated(app, client, make, admin_token):
    with app.app_context():
        council = make.council("oost", residents=3, councillors=2)
        make.member(council, seat=Seat.COUNCILLOR)
        make.member(council, seat=Seat.COUNCILLOR)
    problem(
        client.patch(
            "/api/v1/councils/oost", json={"councillor_seats": 1}, headers=bearer(admin_token)
        ),
        409,
        "seats-below-seated",
    )
    response = client.patch(
        "/api/v1/councils/oost", json={"name": "Nieuwe naam"}, headers=bearer(admin_token)
    )
    assert response.status_code == 200
    assert response.get_json()["name"] == "Nieuwe naam"


def test_revoked_token_is_refused(app, client, make):
    with app.app_context():
        user = make.user("a@example.org")
        user_id, token = user.id, make.token(user)
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    with app.app_context():
        user = db.session.get(User, user_id)
        services.revoke_token(db.session, None, user.tokens[0], clock.now())
        db.session.commit()
    problem(client.get("/api/v1/me", headers=bearer(token)), 401, "invalid-token")


def test_tokens_are_stored_hashed(app, make):
    with app.app_context():
        token = make.token(make.user())
        stored = db.session.scalars(db.select(ApiToken.token_hash)).all()
    assert token not in stored
    assert all(len(h) == 64 for h in stored)


def test_openapi_document_names_the_contract(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    for path in [
        "/tokens",
        "/councils",
        "/councils/{slug}",
        "/councils/{slug}/members",
        "/members/{id}/end",
    ]:
        assert path in doc["paths"], path
    assert "CouncilCreate" in doc["components"]["schemas"]
    # Every $ref resolves.
    import json
    import re

    refs = set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(doc)))
    assert refs <= set(doc["components"]["schemas"]), refs - set(doc["components"]["schemas"])


def test_unknown_api_path_is_problem_json(client):
    problem(client.get("/api/v1/nothing-here"), 404, "not-found")
    problem(client.delete("/api/v1/councils"), 405, "method-not-allowed")


def test_text_a_database_cannot_store_is_refused(client, admin_token, web):
    body = {**COUNCIL, "name": "Wijk\x00raad"}
    response = client.post("/api/v1/councils", json=body, headers=bearer(admin_token))
    problem(response, 422, "invalid-input")
    assert response.get_json()["errors"][0]["field"] == "name"
    assert web.get("/aanmelden?next=/x%00y").status_code == 400
