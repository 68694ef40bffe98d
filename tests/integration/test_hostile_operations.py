"""Hostile circumstances rather than hostile input: a database that is gone or restarted, and
private answers that a cache could keep."""

from __future__ import annotations

import psycopg
import pytest
import sqlalchemy as sa

from tests.conftest import PG_URL, bearer, csrf_from
from tests.integration.test_hostile_input import oost, text  # noqa: F401  (fixture)
from wijkraad import create_app
from wijkraad.extensions import db

# ------------------------------------------------------------------------ database outages


@pytest.mark.postgres
def test_pooled_connections_killed_by_the_database_are_replaced(app, client, oost):  # noqa: F811
    _, people = oost
    token = people["anna"][1]
    assert client.get("/wijkraden/oost").status_code == 200
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    # Each request's connection went back to the pool at its end.
    url = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as conn:
        killed = conn.execute(
            # With a timeout, each call waits until that backend is gone.
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    assert killed
    assert client.get("/wijkraden/oost").status_code == 200
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200


UNREACHABLE = {
    "postgresql": "postgresql+psycopg://x@127.0.0.1:1/none",
    "sqlite": "sqlite:////nonexistent-directory/wijkraad/none.sqlite3",
}


@pytest.fixture(params=sorted(UNREACHABLE))
def down(request):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": UNREACHABLE[request.param],
            "SERVER_NAME": "localhost",
        }
    )
    return app


def test_an_unreachable_database_is_a_503_page(down):
    client = down.test_client()
    response = client.get("/wijkraden/oost")
    assert response.status_code == 503, text(response)[:800]
    assert response.mimetype == "text/html"
    assert int(response.headers["Retry-After"]) > 0
    assert "database" in text(response).lower()


def test_an_unreachable_database_is_a_503_page_for_a_logged_in_user_too(down):
    client = down.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1"
        session["_fresh"] = True
    response = client.get("/")
    assert response.status_code == 503, text(response)[:800]
    assert "Retry-After" in response.headers


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", "/api/v1/councils"), ("get", "/api/v1/me"), ("post", "/api/v1/tokens")],
)
def test_an_unreachable_database_is_a_503_problem(down, method, url):
    client = down.test_client()
    kwargs = {"headers": bearer("some-token")} if url.endswith("/me") else {}
    if method == "post":
        kwargs["json"] = {"email": "a@example.org", "password": "x"}
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code == 503, text(response)[:800]
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["code"] == "service-unavailable" and problem["status"] == 503
    assert int(response.headers["Retry-After"]) > 0


# ---------------------------------------------------------------------------- caching


def cache_control(response) -> str:
    return response.headers.get("Cache-Control", "")


def test_public_pages_may_be_cached(client, oost):  # noqa: F811
    first = client.get("/")  # the language switch's CSRF token starts a session
    assert "Set-Cookie" in first.headers and "no-store" in cache_control(first)
    client.get("/")  # where Flask-Login marks the session as not fresh, once
    for url in ("/", "/wijkraden/oost", "/api/v1/councils", "/api/v1/councils/oost"):
        response = client.get(url)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers, url
        assert "no-store" not in cache_control(response), url


def test_private_answers_are_not_stored(app, client, oost):  # noqa: F811
    _, people = oost
    login_page = client.get("/aanmelden")  # its CSRF token lives in a new session cookie
    assert "Set-Cookie" in login_page.headers
    assert "no-store" in cache_control(login_page)
    response = client.post(
        "/aanmelden",
        data={
            "email": "anna@example.org",
            "password": "correct horse battery",
            "csrf_token": csrf_from(text(login_page)),
        },
    )
    assert response.status_code == 302 and "no-store" in cache_control(response)
    for url in ("/", "/wijkraden/oost", "/wijkraden/oost/vergaderingen", "/nope"):
        assert "no-store" in cache_control(client.get(url)), url
    token = bearer(people["anna"][1])
    for url in ("/api/v1/me", "/api/v1/councils", "/api/v1/councils/oost", "/api/v1/nope"):
        assert "no-store" in cache_control(client.get(url, headers=token)), url
    assert "no-store" in cache_control(client.get("/api/v1/me", headers=bearer("wrong")))


@pytest.mark.postgres
def test_postgresql_sessions_read_timestamps_in_utc(app):
    # Whatever the server's own zone: a stored year-9999 moment is always readable.
    with app.app_context():
        assert db.session.execute(sa.text("SHOW TimeZone")).scalar() == "UTC"
