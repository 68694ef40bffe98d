"""Execution of a decision with money: progress notes with amounts spent, never beyond what was
committed, cancellation releasing the rest; through the API and the page."""

from __future__ import annotations

import time

import sqlalchemy as sa

from tests.conftest import PASSWORD, Web, bearer
from tests.integration.budget_world import (
    Room,
    adopt,
    line,
    ok,
    room_fixture,  # noqa: F401
)
from tests.integration.test_races import post, together
from wijkraad.audit import AuditEvent
from wijkraad.budget import rules
from wijkraad.budget.models import Execution, ProgressNote
from wijkraad.extensions import db


def progress(client, token: str, decision_id: int, **body):
    return client.post(
        f"/api/v1/decisions/{decision_id}/progress", json=body, headers=bearer(token)
    )


def test_progress_spends_within_the_commitment(app, client, room: Room):
    decision = adopt(client, room, 1_000_000)["decision"]["id"]
    first = ok(
        progress(
            client,
            room.secretary,
            decision,
            status="in_progress",
            spent_cents=400_000,
            note="Offerte getekend",
        ),
        201,
    )
    assert first["status"] == "in_progress" and first["total_spent_cents"] == 400_000
    assert first["committed_cents"] == 1_000_000
    over = progress(
        client, room.chair, decision, status="in_progress", spent_cents=600_001, note="Te veel"
    )
    assert over.status_code == 409
    assert over.get_json()["code"] == "overspent" and over.get_json()["spendable_cents"] == 600_000
    ok(
        progress(client, room.chair, decision, status="done", spent_cents=600_000, note="Klaar"),
        201,
    )
    groen = line(client, room)
    assert groen["spent_cents"] == 1_000_000 and groen["committed_cents"] == 1_000_000
    # done is final
    late = progress(client, room.chair, decision, status="in_progress", note="Nog iets")
    assert late.status_code == 409 and late.get_json()["code"] == "execution-status"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ProgressNote)) == 2
        audited = db.session.scalars(
            sa.select(AuditEvent.data)
            .where(AuditEvent.action == "budget.progress")
            .order_by(AuditEvent.id)
        ).all()
        assert [a["spent_cents"] for a in audited] == [400_000, 600_000]


def test_cancelling_releases_what_was_not_spent(client, room: Room):
    decision = adopt(client, room, 3_000_000)["decision"]["id"]
    ok(
        progress(
            client, room.chair, decision, status="in_progress", spent_cents=500_000, note="Begonnen"
        ),
        201,
    )
    assert line(client, room)["remaining_cents"] == 5_000_000
    ok(progress(client, room.chair, decision, status="cancelled", note="Gestopt"), 201)
    groen = line(client, room)
    assert groen["committed_cents"] == 500_000 and groen["spent_cents"] == 500_000
    assert groen["remaining_cents"] == 7_500_000
    again = progress(client, room.chair, decision, status="planned", note="Toch weer")
    assert again.status_code == 409


def test_who_may_record_progress_and_bad_input(client, room: Room):
    decision = adopt(client, room, 100)["decision"]["id"]
    body = {"status": "in_progress", "spent_cents": 1, "note": "x"}
    assert progress(client, room.member, decision, **body).status_code == 403
    assert client.post(f"/api/v1/decisions/{decision}/progress", json=body).status_code == 401
    assert progress(client, room.admin, decision, **body).status_code == 201
    for bad in (
        {"status": "busy", "note": "x"},
        {"status": "done", "note": ""},
        {"status": "done", "note": "x", "spent_cents": -1},
        {"status": "done", "note": "x", "spent_cents": 10**20},
        {"status": "done"},
    ):
        assert progress(client, room.chair, decision, **bad).status_code == 422, bad
    assert progress(client, room.chair, 999_999, **body).status_code == 404
    # a decision without money has no execution
    h = bearer(room.chair)
    plain = ok(
        client.post(
            f"/api/v1/agenda-items/{room.item_id}/motions",
            json={"title": "Zonder geld", "text": "x"},
            headers=h,
        ),
        201,
    )["id"]
    round_id = ok(client.post(f"/api/v1/motions/{plain}/rounds", json={}, headers=h), 201)["id"]
    for _, token in room.voters:
        client.post(
            f"/api/v1/rounds/{round_id}/votes", json={"choice": "yes"}, headers=bearer(token)
        )
    no_money = ok(client.post(f"/api/v1/rounds/{round_id}/close", headers=h), 200)["decision"]["id"]
    r = progress(client, room.chair, no_money, **body)
    assert r.status_code == 409 and r.get_json()["code"] == "no-execution"


def test_two_notes_spending_the_last_money_at_once(app, client, room: Room, monkeypatch):
    decision = adopt(client, room, 1_000_000)["decision"]["id"]
    original = rules.spending_fits

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return original(*args, **kwargs)

    monkeypatch.setattr(rules, "spending_fits", slow)
    url = f"/api/v1/decisions/{decision}/progress"
    body = {"status": "in_progress", "spent_cents": 600_000, "note": "Factuur"}
    answers = together(app, [post(url, room.chair, body), post(url, room.secretary, body)])
    assert sorted(a.status_code for a in answers) == [201, 409]
    with app.app_context():
        assert db.session.scalar(sa.select(Execution.spent_cents)) == 600_000


def test_the_secretary_records_progress_on_the_page(app, client, room: Room):
    decision = adopt(client, room, 1_000_000)["decision"]["id"]
    web = Web(app.test_client())
    assert web.login(room.secretary_email, PASSWORD).status_code == 302
    url = f"/begroting/besluiten/{decision}/voortgang"
    page = web.get(url)
    assert page.status_code == 200
    assert 'name="status"' in page.get_data(as_text=True)
    r = web.post_form(url, {"status": "in_progress", "spent": "4.000,00", "note": "Offerte"})
    assert r.status_code == 303
    assert line(client, room)["spent_cents"] == 400_000
    r = web.post_form(url, {"status": "in_progress", "spent": "6.000,01", "note": "Te veel"})
    assert r.status_code == 422
    assert line(client, room)["spent_cents"] == 400_000
    # members may not
    member = Web(app.test_client())
    with app.app_context():
        from wijkraad.auth.models import User

        email = db.session.scalars(sa.select(User.email).where(User.is_admin.is_(False))).all()
    others = [e for e in email if e not in (room.chair_email, room.secretary_email)]
    assert member.login(others[0], PASSWORD).status_code == 302
    assert member.get(url).status_code == 403
