"""The resident panel in the API: administrators read it (target, size, members), set its
target and end a membership with a reason; nobody else sees or changes it."""

from __future__ import annotations

import sqlalchemy as sa

from tests.conftest import bearer
from tests.integration.draws_world import ok
from tests.integration.test_panel_end import member_id, panel_of_two
from tests.integration.test_races import together
from wijkraad.audit import AuditEvent
from wijkraad.extensions import db

URL = "/api/v1/councils/oost/panel"


def admin(app, make) -> dict[str, str]:
    with app.app_context():
        return bearer(make.token(make.user("panelbeheer@example.org", admin=True)))


def test_an_administrator_reads_the_panel_sets_its_target_and_ends_a_membership(app, client, make):
    panel_of_two(app, client, make)
    headers = admin(app, make)
    panel = ok(client.get(URL, headers=headers))
    assert panel["target_size"] == 0 and panel["size"] == 2
    assert sorted(m["email"] for m in panel["members"]) == [
        "panel0@example.org",
        "panel1@example.org",
    ]
    assert all(m["draw_id"] and m["ends_on"] is None for m in panel["members"])
    assert ok(client.put(URL, json={"target_size": 400}, headers=headers))["target_size"] == 400
    leaving = member_id(app, "panel0@example.org")
    end = f"{URL}/members/{leaving}/end"
    ended = ok(client.post(end, json={"reason": "verhuisd"}, headers=headers))
    assert ended["id"] == leaving and ended["ends_on"] is not None
    panel = ok(client.get(URL, headers=headers))
    assert panel["size"] == 1 and [m["email"] for m in panel["members"]] == ["panel1@example.org"]
    again = client.post(end, json={"reason": "nog eens"}, headers=headers)
    assert again.status_code == 409 and again.get_json()["code"] == "panel-membership-ended"
    with app.app_context():
        event = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "panel.end")
        ).one()
        assert event.subject_id == leaving and event.data["reason"] == "verhuisd"


def test_the_panel_is_for_administrators_and_its_input_is_checked(app, client, make):
    panel_of_two(app, client, make)
    staying = member_id(app, "panel1@example.org")
    end = f"{URL}/members/{staying}/end"
    assert client.get(URL).status_code == 401
    assert client.put(URL, json={"target_size": 3}).status_code == 401
    with app.app_context():
        member = bearer(make.token(make.user("lid-panel@example.org")))
    for answer in (
        client.get(URL, headers=member),
        client.put(URL, json={"target_size": 3}, headers=member),
        client.post(end, json={"reason": "x"}, headers=member),
    ):
        assert answer.status_code == 403, answer.get_data(as_text=True)
    headers = admin(app, make)
    for bad in ({"target_size": -1}, {"target_size": "veel"}, {}):
        answer = client.put(URL, json=bad, headers=headers)
        assert answer.status_code == 422
        assert answer.mimetype == "application/problem+json"
    assert client.post(end, json={"reason": ""}, headers=headers).status_code == 422
    with app.app_context():
        make.council("west")
    elsewhere = client.post(
        f"/api/v1/councils/west/panel/members/{staying}/end", json={"reason": "x"}, headers=headers
    )
    assert elsewhere.status_code == 404
    assert client.get("/api/v1/councils/nergens/panel", headers=headers).status_code == 404
    assert ok(client.get(URL, headers=headers))["size"] == 2


def test_two_ends_of_one_membership_at_once_end_it_once(app, client, make):
    panel_of_two(app, client, make)
    headers = admin(app, make)
    end = f"{URL}/members/{member_id(app, 'panel0@example.org')}/end"
    answers = together(
        app,
        [
            lambda c: c.post(end, json={"reason": "verhuisd"}, headers=headers),
            lambda c: c.post(end, json={"reason": "overleden"}, headers=headers),
        ],
    )
    assert sorted(a.status_code for a in answers) == [200, 409]
    with app.app_context():
        count = sa.select(sa.func.count()).where(AuditEvent.action == "panel.end")
        assert db.session.scalar(count) == 1
