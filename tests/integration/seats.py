"""Shared set-up for the appointment and seat invitation tests."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask

from tests.conftest import Factory, bearer
from wijkraad.auth import services as auth_services
from wijkraad.councils.rules import Role
from wijkraad.extensions import db

EXISTING = "bestaand@example.org"
NEW = "nieuw@example.org"
TYPED = "Getypte Naam"
REAL = "Echte Naam"
# What a new member's answer holds (API.md's member, and the link to hand over).
APPOINTMENT_FIELDS = {
    "id",
    "name",
    "seat",
    "role",
    "starts_on",
    "ends_on",
    "invitation_url",
    "invitation_expires_at",
}


def build_oost(app: Flask, make: Factory) -> dict[str, Any]:
    """Council oost with a secretary, and an account elsewhere: a resident of a council that
    keeps residents' names private, whose real name nobody in oost may learn. Ids and the
    secretary's API token."""
    with app.app_context():
        council = make.council("oost", residents=5, councillors=2)
        secretary = make.member(council, role=Role.SECRETARY, email="sec@example.org")
        stil = make.council("stil", residents=3, councillors=1, public_names=False)
        existing = make.member(stil, name=REAL, email=EXISTING)
        return {
            "council_id": council.id,
            "secretary": make.token(secretary.person.user),
            "secretary_id": secretary.id,
            "existing_person_id": existing.person_id,
        }


def text(response: Any) -> str:
    return response.get_data(as_text=True)


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[1]


def appoint(client: Any, token: str, email: str, name: str = TYPED, slug: str = "oost", **extra):
    body = {"name": name, "email": email, "seat": "resident", **extra}
    return client.post(f"/api/v1/councils/{slug}/members", json=body, headers=bearer(token))


def make_token(user: Any) -> str:
    value = auth_services.issue_token(db.session, None, user, "test")
    db.session.commit()
    return value


def masked(body: Any) -> Any:
    """A JSON answer with what differs per record (ids, links, moments) masked."""
    if isinstance(body, list):
        return [masked(item) for item in body]
    if not isinstance(body, dict):
        return body
    hidden = {"id", "member_id", "invitation_url", "invitation_expires_at", "expires_at"}
    return {k: "?" if k in hidden and v is not None else masked(v) for k, v in body.items()}


CSRF_VALUE = re.compile(r'(name="csrf_token"[^>]*value=")[^"]+(")')


def masked_page(html: str, **replace: str) -> str:
    """A page with its ids, links and CSRF token masked, and ``replace``'s texts swapped."""
    for old, new in replace.items():
        html = html.replace(old, new)
    html = CSRF_VALUE.sub(r"\1CSRF\2", html)
    html = re.sub(r"/leden/\d+/", "/leden/ID/", html)
    return re.sub(r"zetel-uitnodiging/[^\"<]+", "zetel-uitnodiging/TOKEN", html)
