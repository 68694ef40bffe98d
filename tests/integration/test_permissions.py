"""Every protected URL against every role: anonymous, member, secretary, chair, admin, and a
member of another council. The server refuses what the role may not do, on pages and API."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.conftest import PASSWORD, Web, bearer, csrf_from
from wijkraad.auth.services import find_user
from wijkraad.councils import invitations
from wijkraad.councils import services as council_services
from wijkraad.councils.rules import Role, Seat
from wijkraad.extensions import db

ROLES = ["anonymous", "member", "secretary", "chair", "admin", "other"]


@dataclass
class World:
    emails: dict[str, str]
    tokens: dict[str, str]
    member_id: int
    chair_member_id: int
    user_id: int
    invite_id: int = 0  # an open seat invitation, for an address none of the roles has
    link: str = ""  # its link token

    def url(self, template: str) -> str:
        return template.format(
            member_id=self.member_id,
            chair_member_id=self.chair_member_id,
            user_id=self.user_id,
            invite_id=self.invite_id,
            link=self.link,
        )


@pytest.fixture
def world(app, make) -> World:
    with app.app_context():
        oost = make.council("oost")
        west = make.council("west")
        admin = make.user("admin@example.org", admin=True)
        chair = make.member(oost, role=Role.CHAIR, email="chair@example.org")
        secretary = make.member(
            oost, role=Role.SECRETARY, seat=Seat.COUNCILLOR, email="secretary@example.org"
        )
        member = make.member(oost, email="member@example.org")
        make.member(west, email="other@example.org")
        emails = {
            "member": "member@example.org",
            "secretary": "secretary@example.org",
            "chair": "chair@example.org",
            "admin": "admin@example.org",
            "other": "other@example.org",
        }
        users = {"admin": admin, "chair": chair.person.user, "secretary": secretary.person.user}
        users["member"] = member.person.user
        users["other"] = find_user(db.session, "other@example.org")
        tokens = {role: make.token(user) for role, user in users.items()}
        invite = council_services.appoint_member(
            db.session,
            make.admin_actor,
            oost,
            name="Uitgenodigd",
            email="invitee@example.org",
            seat=Seat.RESIDENT,
            starts_on=make.today,
        )
        db.session.commit()
        link = invitations.token_for(invite.invitation, app.config["SECRET_KEY"])
        return World(emails, tokens, member.id, chair.id, member.person.user.id, invite.id, link)


def as_role(web: Web, world: World, role: str) -> Web:
    if role != "anonymous":
        response = web.login(world.emails[role], PASSWORD)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return web


ALL = dict.fromkeys(ROLES, 200)
ADMIN_ONLY = {
    "anonymous": 302,
    "member": 403,
    "secretary": 403,
    "chair": 403,
    "admin": 200,
    "other": 403,
}
MEMBER_MANAGERS = {**ADMIN_ONLY, "secretary": 200}
LOGGED_IN = {**dict.fromkeys(ROLES, 200), "anonymous": 302}

PAGES = [
    ("/", ALL),
    ("/wijkraden/oost", ALL),
    ("/account", LOGGED_IN),
    ("/beheer/wijkraden/nieuw", ADMIN_ONLY),
    ("/wijkraden/oost/bewerken", ADMIN_ONLY),
    ("/wijkraden/oost/leden/nieuw", MEMBER_MANAGERS),
    ("/wijkraden/oost/leden/{member_id}/beeindigen", MEMBER_MANAGERS),
    # The chair's seat is the administrators' alone.
    ("/wijkraden/oost/leden/{chair_member_id}/beeindigen", ADMIN_ONLY),
    ("/wijkraden/oost/leden/{invite_id}/uitnodiging", MEMBER_MANAGERS),
    # An invitation's link is public to whoever holds it: it is the secret.
    ("/zetel-uitnodiging/{link}", ALL),
    ("/beheer/accounts", ADMIN_ONLY),
    ("/beheer/accounts/nieuw", ADMIN_ONLY),
    ("/beheer/accounts/{user_id}", ADMIN_ONLY),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("url", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_pages(web, world, role, url, expected):
    as_role(web, world, role)
    response = web.get(world.url(url))
    assert response.status_code == expected[role]
    if expected[role] == 302:
        assert "/aanmelden" in response.headers["Location"]


# Writes through forms: a valid CSRF token, so only the permission check can refuse.
WRITES = [
    (
        "/beheer/wijkraden/nieuw",
        {
            "slug": "nieuw",
            "name": "N",
            "municipality": "G",
            "resident_seats": "3",
            "councillor_seats": "1",
            "decision_rule": "cooperative",
        },
        {**ADMIN_ONLY, "admin": 302},
    ),
    (
        "/wijkraden/oost/bewerken",
        {
            "slug": "oost",
            "name": "Hernoemd",
            "municipality": "G",
            "resident_seats": "11",
            "councillor_seats": "6",
            "decision_rule": "cooperative",
        },
        {**ADMIN_ONLY, "admin": 302},
    ),
    (
        "/wijkraden/oost/leden/nieuw",
        {
            "name": "Nieuw",
            "email": "nieuw@example.org",
            "seat": "resident",
            "role": "member",
            "starts_on": "2026-01-01",
        },
        {**MEMBER_MANAGERS, "admin": 302, "secretary": 302},
    ),
    (
        "/wijkraden/oost/leden/{member_id}/beeindigen",
        {"ends_on": "2030-01-01"},
        {**MEMBER_MANAGERS, "admin": 302, "secretary": 302},
    ),
    (
        "/wijkraden/oost/leden/{chair_member_id}/beeindigen",
        {"ends_on": "2030-01-01"},
        {**ADMIN_ONLY, "admin": 302},
    ),
    (
        # Giving the chair role: administrators only (here the rule then refuses: the council
        # has its chair).
        "/wijkraden/oost/leden/nieuw",
        {
            "name": "Nieuw",
            "email": "nieuw@example.org",
            "seat": "resident",
            "role": "chair",
            "starts_on": "2026-01-01",
        },
        {**ADMIN_ONLY, "admin": 422},
    ),
    (
        "/wijkraden/oost/leden/{invite_id}/uitnodiging/vernieuwen",
        {},
        {**MEMBER_MANAGERS, "admin": 302, "secretary": 302},
    ),
    (
        "/wijkraden/oost/leden/{invite_id}/uitnodiging/intrekken",
        {},
        {**MEMBER_MANAGERS, "admin": 302, "secretary": 302},
    ),
    # Only the invited address may accept (none of the roles has it); anyone holding the
    # link may decline, or choose a password (which changes nothing for existing accounts).
    (
        "/zetel-uitnodiging/{link}/aannemen",
        {},
        {**dict.fromkeys(ROLES, 403), "anonymous": 302},
    ),
    ("/zetel-uitnodiging/{link}/afwijzen", {}, dict.fromkeys(ROLES, 302)),
    (
        "/zetel-uitnodiging/{link}/wachtwoord",
        {"password": "een lang wachtwoord", "confirm": "een lang wachtwoord"},
        dict.fromkeys(ROLES, 302),
    ),
    (
        "/beheer/accounts/nieuw",
        {"name": "Nieuw", "email": "nieuw2@example.org", "language": "nl"},
        {**ADMIN_ONLY, "admin": 302},
    ),
    ("/beheer/accounts/{user_id}/uitnodiging", {}, ADMIN_ONLY),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("url", "data", "expected"), WRITES, ids=[w[0] for w in WRITES])
def test_form_writes(web, world, role, url, data, expected):
    as_role(web, world, role)
    token = csrf_from(web.get("/").get_data(as_text=True))
    response = web.client.post(world.url(url), data={**data, "csrf_token": token})
    assert response.status_code == expected[role], response.get_data(as_text=True)[:800]


API_WRITES = [
    (
        "post",
        "/api/v1/councils",
        {
            "slug": "nieuw",
            "name": "N",
            "municipality": "G",
            "resident_seats": 3,
            "councillor_seats": 1,
        },
        201,
        {"admin"},
    ),
    ("patch", "/api/v1/councils/oost", {"name": "Hernoemd"}, 200, {"admin"}),
    (
        "post",
        "/api/v1/councils/oost/members",
        {"name": "N", "email": "n@example.org", "seat": "resident"},
        201,
        {"admin", "secretary"},
    ),
    ("post", "/api/v1/members/{member_id}/end", {}, 200, {"admin", "secretary"}),
    ("post", "/api/v1/members/{chair_member_id}/end", {}, 200, {"admin"}),
    (
        # The rule refuses the administrator: the council has its chair.
        "post",
        "/api/v1/councils/oost/members",
        {"name": "N", "email": "n@example.org", "seat": "resident", "role": "chair"},
        409,
        {"admin"},
    ),
    ("get", "/api/v1/councils/oost/invitations", None, 200, {"admin", "secretary"}),
    ("post", "/api/v1/members/{invite_id}/invitation", None, 200, {"admin", "secretary"}),
    ("post", "/api/v1/members/{invite_id}/end", {}, 200, {"admin", "secretary"}),
    ("get", "/api/v1/seat-invitations/{link}", None, 200, set(ROLES)),
    ("post", "/api/v1/seat-invitations/{link}/accept", None, 200, set()),
    ("post", "/api/v1/seat-invitations/{link}/decline", None, 200, set(ROLES)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "url", "body", "ok", "allowed"),
    API_WRITES,
    ids=[f"{w[0]} {w[1]}" for w in API_WRITES],
)
def test_api_writes(client, world, role, method, url, body, ok, allowed):
    headers = bearer(world.tokens[role]) if role != "anonymous" else {}
    response = getattr(client, method)(world.url(url), json=body, headers=headers)
    expected = ok if role in allowed else (401 if role == "anonymous" else 403)
    assert response.status_code == expected, response.get_data(as_text=True)


def test_form_write_without_csrf_token_is_refused(web, world):
    as_role(web, world, "admin")
    response = web.client.post(
        "/beheer/wijkraden/nieuw",
        data={
            "slug": "zonder",
            "name": "N",
            "municipality": "G",
            "resident_seats": "3",
            "councillor_seats": "1",
        },
    )
    assert response.status_code == 400
    assert web.get("/wijkraden/zonder").status_code == 404


def test_api_ignores_the_session_cookie(web, world):
    # A logged-in browser session must not authorise API writes (they carry no CSRF token).
    as_role(web, world, "admin")
    response = web.client.post(
        "/api/v1/councils",
        json={
            "slug": "via-cookie",
            "name": "N",
            "municipality": "G",
            "resident_seats": 3,
            "councillor_seats": 1,
        },
    )
    assert response.status_code == 401
