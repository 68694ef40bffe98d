"""Changing a council's settings leaves an audit row naming each change, before and after:
the code of its decision identifiers among them (pages and API)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.conftest import bearer
from wijkraad.audit import AuditEvent
from wijkraad.extensions import db


def updates(app) -> list[AuditEvent]:
    """The rows of council changes, read in an app context of their own (and kept, loaded)."""
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(AuditEvent)
                .where(AuditEvent.action == "council.update")
                .order_by(AuditEvent.id)
            )
        )


@pytest.fixture
def admin(app, make):
    with app.app_context():
        user = make.user("admin@example.org", admin=True)
        return {"user": user.id, "token": make.token(user)}


def test_a_code_change_through_the_api_is_audited(app, client, make, admin):
    with app.app_context():
        council = make.council("oost")
        assert council.code == "OOS"
        council_id = council.id
    response = client.patch(
        "/api/v1/councils/oost", json={"code": "OPW"}, headers=bearer(admin["token"])
    )
    assert response.status_code == 200 and response.get_json()["code"] == "OPW"
    [event] = updates(app)
    assert event.actor_user_id == admin["user"]
    assert event.council_id == council_id and event.subject_id == council_id
    assert event.data["changes"] == {"code": ["OOS", "OPW"]}


def test_other_settings_changes_are_audited_with_before_and_after(app, client, make, admin):
    with app.app_context():
        make.council("oost")
    response = client.patch(
        "/api/v1/councils/oost",
        json={"publishes_resident_names": False, "decision_rule": "simple", "name": "Oost"},
        headers=bearer(admin["token"]),
    )
    assert response.status_code == 200
    [event] = updates(app)
    assert event.data["changes"] == {
        "publishes_resident_names": [True, False],
        "decision_rule": ["cooperative", "simple"],
        "name": ["Wijkraad oost", "Oost"],
    }


def test_a_code_change_on_the_page_is_audited(app, web, make, admin):
    with app.app_context():
        make.council("oost")
    web.login("admin@example.org")
    response = web.post_form(
        "/wijkraden/oost/bewerken",
        {
            "slug": "oost",
            "name": "Wijkraad oost",
            "municipality": "Groningen",
            "code": "opw",
            "resident_seats": "11",
            "councillor_seats": "6",
            "decision_rule": "cooperative",
            "publishes_resident_names": "y",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    [event] = updates(app)
    assert event.actor_user_id == admin["user"]
    assert event.data["changes"] == {"code": ["OOS", "OPW"]}


def test_saving_without_a_change_adds_no_row(app, client, make, admin):
    with app.app_context():
        make.council("oost")
    response = client.patch(
        "/api/v1/councils/oost", json={"code": "OOS"}, headers=bearer(admin["token"])
    )
    assert response.status_code == 200
    assert updates(app) == []
