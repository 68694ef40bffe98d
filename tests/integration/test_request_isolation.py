"""Each request starts from nothing but its own cookies and headers: the user, the language,
the CSRF token and the actor it finds are its own, whatever the request before it (another
browser's) found. Requests interleave here as they do on a server with many visitors."""

from __future__ import annotations

import re

import pytest

from tests.conftest import PASSWORD, Web, bearer, csrf_from
from wijkraad.auth import services as auth_services
from wijkraad.extensions import db

ANNA = ("anna@example.org", "Anna Nederlands", "nl")
BOB = ("bob@example.org", "Bob English", "en")


@pytest.fixture
def people(app, make) -> dict[str, str]:
    """Anna reads Dutch, Bob English; each has an API token."""
    with app.app_context():
        tokens = {}
        for email, name, language in (ANNA, BOB):
            user = auth_services.create_user(
                db.session, None, email=email, name=name, password=PASSWORD, language=language
            )
            db.session.commit()
            tokens[email] = make.token(user)
        return tokens


def text(response) -> str:
    return response.get_data(as_text=True)


def language(html: str) -> str:
    match = re.search(r'<html lang="(\w+)"', html)
    assert match, html[:300]
    return match.group(1)


def test_interleaved_browsers_each_see_their_own_user_language_and_token(app, people):
    browsers = {}
    for email, _, _ in (ANNA, BOB):
        browsers[email] = Web(app.test_client())
        assert browsers[email].login(email).status_code == 302
    anonymous = Web(app.test_client())
    tokens: dict[str, str] = {}
    for _ in range(3):
        for email, name, lang in (ANNA, BOB):
            other = BOB[1] if name == ANNA[1] else ANNA[1]
            response = browsers[email].get("/account")
            assert response.status_code == 200
            page = text(response)
            assert name in page and other not in page
            assert language(page) == lang
            tokens[email] = csrf_from(page)
            # A visitor in between is nobody, in the default language.
            page = text(anonymous.get("/"))
            assert ANNA[1] not in page and BOB[1] not in page
            assert language(page) == "nl"
            assert anonymous.get("/account").status_code == 302
    # Each browser's token is its own session's: it works there, and nowhere else.
    assert tokens[ANNA[0]] != tokens[BOB[0]]
    swap = {"lang": "nl", "next": "/"}
    anna, bob = browsers[ANNA[0]].client, browsers[BOB[0]].client
    assert bob.post("/taal", data={**swap, "csrf_token": tokens[ANNA[0]]}).status_code == 400
    assert anna.post("/taal", data={**swap, "csrf_token": tokens[BOB[0]]}).status_code == 400
    assert bob.post("/taal", data={**swap, "csrf_token": tokens[BOB[0]]}).status_code == 302
    assert language(text(bob.get("/account"))) == "nl"
    assert language(text(anna.get("/account"))) == "nl"


def test_interleaved_api_calls_each_act_as_their_own_token(app, client, people):
    for _ in range(3):
        for email, name, _ in (ANNA, BOB):
            me = client.get("/api/v1/me", headers=bearer(people[email]))
            assert me.status_code == 200
            assert (me.get_json()["email"], me.get_json()["name"]) == (email, name)
            # The same client without a token is nobody: no actor is left over.
            assert client.get("/api/v1/me").status_code == 401
