"""Corrections and the gavel through the API: PATCH a meeting and an item, move and DELETE an
item until the meeting opens, the gavel and a request for a vote on a formality item; and what
two of them at once do (``together``), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import bearer
from tests.integration.correction_world import World, agenda, audits, build, open_it, publish
from tests.integration.test_races import together
from wijkraad.extensions import db
from wijkraad.mail.models import OutboxMessage
from wijkraad.meetings.models import AgendaItem
from wijkraad.motions.models import Motion
from wijkraad.voting.models import Decision


@pytest.fixture
def world(app, make) -> World:
    with app.app_context():
        return build(make)


def problem(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.get_json()
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == code


def test_patch_a_meeting(app, client, world):
    url = f"/api/v1/meetings/{world.meeting_id}"
    h = bearer(world.secretary_token)
    response = client.patch(url, json={"title": "Vergadering april"}, headers=h)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["title"] == "Vergadering april"
    assert response.get_json()["location"] == "Buurthuis De Boog"
    with app.app_context():
        publish(world)
        mailed = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))
    moved = client.patch(
        url, json={"starts_at": "2027-01-12T20:00:00+01:00", "location": "Wijkcentrum"}, headers=h
    )
    assert moved.status_code == 200, moved.get_json()
    assert datetime.fromisoformat(moved.get_json()["starts_at"]) == datetime(
        2027, 1, 12, 19, tzinfo=UTC
    )
    with app.app_context():
        rows = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert len(rows) == 2 * mailed  # the agenda, then the move, to every member
        assert all("verplaatst" in r.subject for r in rows[mailed:])
        [row] = audits("meeting.moved")
        assert row.data["after"]["location"] == "Wijkcentrum"

    problem(client.patch(url, json={"title": ""}, headers=h), 422, "invalid-input")
    problem(
        client.patch(url, json={"starts_at": "2027-01-12T20:00:00"}, headers=h),
        422,
        "field-invalid",
    )
    problem(client.patch(url, json={"colour": "red"}, headers=h), 422, "invalid-input")
    problem(
        client.patch(url, json={"title": "x"}, headers=bearer(world.member_token)), 403, "forbidden"
    )
    problem(client.patch(url, json={"title": "x"}), 401, "unauthorized")
    with app.app_context():
        open_it(world)
    problem(client.patch(url, json={"title": "x"}, headers=h), 409, "meeting-not-correctable")


def test_patch_move_and_delete_items(app, client, world):
    h = bearer(world.secretary_token)
    speeltuin = world.items["Speeltuin"]
    response = client.patch(
        f"/api/v1/agenda-items/{speeltuin}",
        json={"title": "Speeltuin Oosterpark", "is_confidential": True},
        headers=h,
    )
    assert response.status_code == 200, response.get_json()
    [item] = [i for i in response.get_json()["agenda"] if i["id"] == speeltuin]
    assert item["title"] == "Speeltuin Oosterpark" and item["is_confidential"]
    assert item["description"] == "Over Speeltuin" and not item["is_formality"]

    moved = client.post(
        f"/api/v1/agenda-items/{speeltuin}/move", json={"direction": "up"}, headers=h
    )
    assert [(i["number"], i["id"]) for i in moved.get_json()["agenda"]] == [
        ("1", world.items["Opening"]),
        ("2", speeltuin),
        ("3", world.items["Verslag"]),
    ]
    problem(
        client.post(
            f"/api/v1/agenda-items/{speeltuin}/move", json={"direction": "left"}, headers=h
        ),
        422,
        "invalid-input",
    )
    gone = client.delete(f"/api/v1/agenda-items/{world.items['Opening']}", headers=h)
    assert gone.status_code == 200, gone.get_json()
    assert [(i["number"], i["title"]) for i in gone.get_json()["agenda"]] == [
        ("1", "Speeltuin Oosterpark"),
        ("2", "Verslag"),
    ]
    problem(
        client.delete(f"/api/v1/agenda-items/{world.items['Opening']}", headers=h),
        404,
        "agenda-item-not-found",
    )
    with app.app_context():
        publish(world)
    problem(
        client.delete(f"/api/v1/agenda-items/{speeltuin}", headers=bearer(world.member_token)),
        403,
        "forbidden",
    )
    motion = client.post(
        f"/api/v1/agenda-items/{speeltuin}/motions",
        json={"title": "Schommels", "text": "De wijkraad besluit."},
        headers=bearer(world.member_token),
    )
    assert motion.status_code == 201
    problem(client.delete(f"/api/v1/agenda-items/{speeltuin}", headers=h), 409, "item-has-motions")
    with app.app_context():
        open_it(world)
    problem(
        client.post(
            f"/api/v1/agenda-items/{speeltuin}/move", json={"direction": "down"}, headers=h
        ),
        409,
        "meeting-not-correctable",
    )
    problem(
        client.delete(f"/api/v1/agenda-items/{world.items['Verslag']}", headers=h),
        409,
        "meeting-not-correctable",
    )


def test_gavel_and_request_vote(app, client, world):
    with app.app_context():
        open_it(world)
    verslag = world.items["Verslag"]
    problem(
        client.post(
            f"/api/v1/agenda-items/{verslag}/adopt-formality", headers=bearer(world.member_token)
        ),
        403,
        "forbidden",
    )
    asked = client.post(
        f"/api/v1/agenda-items/{verslag}/request-vote", headers=bearer(world.member_token)
    )
    assert asked.status_code == 200, asked.get_json()
    assert asked.get_json()["vote_requested"] and asked.get_json()["title"] == "Verslag"
    problem(
        client.post(
            f"/api/v1/agenda-items/{verslag}/adopt-formality", headers=bearer(world.chair_token)
        ),
        409,
        "vote-requested",
    )
    problem(
        client.post(
            f"/api/v1/agenda-items/{world.items['Opening']}/adopt-formality",
            headers=bearer(world.chair_token),
        ),
        409,
        "not-a-formality",
    )


def test_two_gavels_at_once_make_one_decision(app, world):
    with app.app_context():
        open_it(world)
    url = f"/api/v1/agenda-items/{world.items['Verslag']}/adopt-formality"
    calls = [
        lambda c: c.post(url, headers=bearer(world.chair_token)),
        lambda c: c.post(url, headers=bearer(world.chair_token)),
    ]
    responses = together(app, calls)
    assert sorted(r.status_code for r in responses) == [200, 409]
    [refused] = [r for r in responses if r.status_code == 409]
    assert refused.get_json()["code"] == "formality-decided"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Decision)) == 1
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Motion)
                .where(Motion.agenda_item_id == world.items["Verslag"])
            )
            == 1
        )
        assert len(audits("decision.record")) == 1


def test_two_moves_at_once_leave_no_two_items_in_one_place(app, world):
    h = bearer(world.secretary_token)
    calls = [
        lambda c: c.post(
            f"/api/v1/agenda-items/{world.items['Speeltuin']}/move",
            json={"direction": "up"},
            headers=h,
        ),
        lambda c: c.post(
            f"/api/v1/agenda-items/{world.items['Opening']}/move",
            json={"direction": "down"},
            headers=h,
        ),
    ]
    responses = together(app, calls)
    assert [r.status_code for r in responses] == [200, 200]
    with app.app_context():
        positions = [p for _, p in agenda(world.meeting_id)]
        assert positions == [1, 2, 3]
        assert len(audits("agenda.move")) == 2


def test_a_move_and_a_removal_at_once_keep_the_numbering(app, world):
    h = bearer(world.secretary_token)
    calls = [
        lambda c: c.post(
            f"/api/v1/agenda-items/{world.items['Speeltuin']}/move",
            json={"direction": "up"},
            headers=h,
        ),
        lambda c: c.delete(f"/api/v1/agenda-items/{world.items['Opening']}", headers=h),
    ]
    responses = together(app, calls)
    assert [r.status_code for r in responses] == [200, 200]
    with app.app_context():
        assert db.session.get(AgendaItem, world.items["Opening"]) is None
        assert [p for _, p in agenda(world.meeting_id)] == [1, 2]


def test_an_item_with_sub_items_stays_and_a_follow_up_keeps_its_distance(app, client, world):
    h = bearer(world.secretary_token)
    opening = world.items["Opening"]
    sub = client.post(
        f"/api/v1/meetings/{world.meeting_id}/agenda-items",
        json={"title": "Welkom", "parent_id": opening},
        headers=h,
    )
    assert sub.status_code == 201
    problem(client.delete(f"/api/v1/agenda-items/{opening}", headers=h), 409, "item-has-sub-items")
    gone = client.delete(f"/api/v1/agenda-items/{sub.get_json()['id']}", headers=h)
    assert gone.status_code == 200

    with app.app_context():
        publish(world)
    original = client.get(f"/api/v1/meetings/{world.meeting_id}").get_json()
    starts = datetime.fromisoformat(original["starts_at"])
    follow_up = client.post(
        "/api/v1/councils/oost/meetings",
        json={
            "title": "Vervolgvergadering",
            "starts_at": (starts + timedelta(days=2)).isoformat(),
            "location": "Buurthuis De Boog",
            "follow_up_of": world.meeting_id,
        },
        headers=h,
    )
    assert follow_up.status_code == 201, follow_up.get_json()
    url = f"/api/v1/meetings/{follow_up.get_json()['id']}"
    too_soon = (starts + timedelta(hours=3)).isoformat()
    problem(client.patch(url, json={"starts_at": too_soon}, headers=h), 422, "follow-up-too-soon")
    later = (starts + timedelta(days=3)).isoformat()
    assert client.patch(url, json={"starts_at": later}, headers=h).status_code == 200


def test_a_gavel_and_a_request_for_a_vote_at_once_never_both_win(app, world):
    with app.app_context():
        open_it(world)
    item = world.items["Verslag"]
    responses = together(
        app,
        [
            lambda c: c.post(
                f"/api/v1/agenda-items/{item}/adopt-formality", headers=bearer(world.chair_token)
            ),
            lambda c: c.post(
                f"/api/v1/agenda-items/{item}/request-vote", headers=bearer(world.member_token)
            ),
        ],
    )
    gavel, asked = responses
    assert sorted([gavel.status_code, asked.status_code]) == [200, 409]
    with app.app_context():
        [motion] = db.session.scalars(sa.select(Motion).where(Motion.agenda_item_id == item))
        decisions = db.session.scalar(sa.select(sa.func.count()).select_from(Decision))
        if gavel.status_code == 200:
            assert asked.get_json()["code"] == "formality-decided"
            assert decisions == 1 and not motion.vote_requested
        else:
            assert gavel.get_json()["code"] == "vote-requested"
            assert decisions == 0 and motion.vote_requested
