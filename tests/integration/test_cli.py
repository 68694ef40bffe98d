"""The command line that administrators and scripts use (API.md, "Command line")."""

from __future__ import annotations

import sqlalchemy as sa

from tests.conftest import bearer
from wijkraad import demo
from wijkraad.auth import services
from wijkraad.extensions import db
from wijkraad.mail.models import OutboxMessage


def test_user_create_with_password_from_stdin(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "user",
            "create",
            "Beheer@Example.org",
            "--name",
            "Beheer",
            "--admin",
            "--password-stdin",
        ],
        input="een lang wachtwoord\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = services.find_user(db.session, "beheer@example.org")
        assert user is not None and user.is_admin
    response = client.post(
        "/api/v1/tokens", json={"email": "beheer@example.org", "password": "een lang wachtwoord"}
    )
    assert response.status_code == 201


def test_user_create_refuses_duplicates_and_short_passwords(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["user", "create", "a@example.org", "--name", "A"]).exit_code == 0
    again = runner.invoke(args=["user", "create", "a@example.org", "--name", "A"])
    assert again.exit_code != 0
    assert "e-mailadres" in again.output
    short = runner.invoke(
        args=["user", "create", "b@example.org", "--name", "B", "--password-stdin"], input="kort\n"
    )
    assert short.exit_code != 0
    with app.app_context():
        assert services.find_user(db.session, "b@example.org") is None


def test_user_token_prints_a_working_token(app, client):
    runner = app.test_cli_runner()
    runner.invoke(args=["user", "create", "a@example.org", "--name", "A"])
    result = runner.invoke(args=["user", "token", "a@example.org"])
    assert result.exit_code == 0
    token = result.output.strip()
    me = client.get("/api/v1/me", headers=bearer(token))
    assert me.status_code == 200
    assert me.get_json()["email"] == "a@example.org"
    missing = runner.invoke(args=["user", "token", "nobody@example.org"])
    assert missing.exit_code != 0


def test_demo_loads_once_into_an_empty_database(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert demo.ADMIN_EMAIL in result.output and demo.PASSWORD in result.output
    council = client.get("/api/v1/councils/oosterparkwijk").get_json()
    assert council["resident_seats"] == 11 and council["councillor_seats"] == 6
    assert council["vacancies"] == {"resident": 2, "councillor": 1}
    roles = {m["role"] for m in council["members"]}
    assert {"chair", "secretary"} <= roles
    chair = next(m for m in council["members"] if m["role"] == "chair")
    assert chair["seat"] == "resident"
    meetings = client.get("/api/v1/councils/oosterparkwijk/meetings").get_json()
    assert [m["status"] for m in meetings] == ["closed", "published"]
    held = client.get(f"/api/v1/meetings/{meetings[0]['id']}").get_json()
    outcomes = [(m["title"], m["status"]) for item in held["agenda"] for m in item["motions"]]
    assert outcomes == [
        ("Het verslag vaststellen", "adopted"),
        ("Speeltuin Oosterpark vernieuwen", "adopted"),
        ("Extra verlichting langs het fietspad", "rejected"),
    ]
    # Its made-up members are sent no mail about its making.
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
    # A second run changes nothing and still prints the logins.
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0 and demo.ADMIN_EMAIL in again.output
    assert len(client.get("/api/v1/councils").get_json()) == 1
    token = client.post(
        "/api/v1/tokens", json={"email": demo.ADMIN_EMAIL, "password": demo.PASSWORD}
    )
    assert token.status_code == 201


def test_demo_leaves_a_database_with_data_alone(app, make):
    with app.app_context():
        make.council("eigen")
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0
    assert "not empty" in result.output
    with app.app_context():
        assert demo.has_demo(db.session) is False
