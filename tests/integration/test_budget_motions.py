"""Motions with money: a budget line beside the amount (API and form), a round opens only when
the amount fits what remains on the line, adoption commits it, and two adoptions on the last
money at once cannot both commit (SQLite and PostgreSQL)."""

from __future__ import annotations

import time

import sqlalchemy as sa

from tests.conftest import PASSWORD, Web, bearer
from tests.integration.budget_world import (
    YEAR,
    Room,
    adopt,
    budget,
    line,
    motion,
    ok,
    open_round,
    room_fixture,  # noqa: F401
    vote_all,
)
from tests.integration.test_races import post, together
from wijkraad.audit import AuditEvent
from wijkraad.budget import rules
from wijkraad.budget.models import Execution
from wijkraad.extensions import db
from wijkraad.motions.models import Motion
from wijkraad.voting.models import Decision


def test_a_motion_names_a_line_of_its_councils_budget_for_the_meetings_year(client, room: Room):
    motion_id = motion(client, room, 250_000)
    read = ok(client.get(f"/api/v1/motions/{motion_id}", headers=bearer(room.chair)), 200)
    assert read["amount_cents"] == 250_000 and read["budget_line_id"] == room.lines["GROEN"]
    ok(
        client.post(
            f"/api/v1/councils/{room.slug}/budgets",
            json={"year": YEAR + 1, "total_cents": 100},
            headers=bearer(room.admin),
        ),
        201,
    )
    other_year = ok(
        client.post(
            f"/api/v1/councils/{room.slug}/budgets/{YEAR + 1}/lines",
            json={"code": "L", "name": "Later", "allocated_cents": 100},
            headers=bearer(room.admin),
        ),
        201,
    )["id"]
    for line_id in (other_year, 999_999):
        r = client.post(
            f"/api/v1/agenda-items/{room.item_id}/motions",
            json={"title": "T", "text": "x", "amount_cents": 5, "budget_line_id": line_id},
            headers=bearer(room.chair),
        )
        assert r.status_code == 422, r.get_json()
        assert r.get_json()["code"] == "budget-line-unknown"
        assert r.get_json()["errors"][0]["field"] == "budget_line_id"
    r = client.post(
        f"/api/v1/agenda-items/{room.item_id}/motions",
        json={"title": "T", "text": "x", "amount_cents": 5},
        headers=bearer(room.chair),
    )
    assert r.status_code == 422 and r.get_json()["code"] == "budget-line-required"


def test_a_round_opens_only_when_the_amount_fits(client, room: Room):
    too_much = motion(client, room, 8_000_001)
    r = open_round(client, room, too_much)
    assert r.status_code == 409
    assert r.mimetype == "application/problem+json"
    assert r.get_json()["code"] == "budget-exceeded"
    assert r.get_json()["remaining_cents"] == 8_000_000
    assert ok(open_round(client, room, motion(client, room, 8_000_000)), 201)["status"] == "open"


def test_adoption_commits_the_amount_with_the_decision(app, client, room: Room):
    closed = adopt(client, room, 3_000_000)
    assert closed["outcome"] == "adopted" and closed["decision"] is not None
    groen = line(client, room)
    assert groen["committed_cents"] == 3_000_000 and groen["remaining_cents"] == 5_000_000
    assert budget(client, room)["committed_cents"] == 3_000_000
    with app.app_context():
        execution = db.session.scalar(sa.select(Execution))
        assert execution.decision_id == closed["decision"]["id"]
        assert execution.status is rules.ExecutionStatus.PLANNED
        commits = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "budget.commit")
        ).all()
        assert [e.data["amount_cents"] for e in commits] == [3_000_000]
    # what is committed no longer fits another motion
    r = open_round(client, room, motion(client, room, 5_000_001))
    assert r.get_json()["remaining_cents"] == 5_000_000


def test_a_rejected_motion_commits_nothing(client, room: Room):
    motion_id = motion(client, room, 3_000_000)
    round_id = ok(open_round(client, room, motion_id), 201)["id"]
    vote_all(client, room, round_id, "no")
    closed = ok(client.post(f"/api/v1/rounds/{round_id}/close", headers=bearer(room.chair)), 200)
    assert closed["outcome"] == "rejected"
    assert line(client, room)["committed_cents"] == 0


def slow_fit(monkeypatch) -> None:
    """Both closes read what remains before either commits, were the line not held."""
    original = rules.commitment_fits

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return original(*args, **kwargs)

    monkeypatch.setattr(rules, "commitment_fits", slow)


def test_two_adoptions_on_the_last_money_at_once_commit_once(app, client, room: Room, monkeypatch):
    """Two motions of 6,000,000 on a line of 8,000,000: both rounds open (each fits alone),
    both are voted for, and both are closed at the same moment. One is adopted and commits; the
    other is closed without a decision (invalid, reason budget-exceeded), its votes kept, and
    can be voted again once its amount fits."""
    rounds = []
    for _ in range(2):
        motion_id = motion(client, room, 6_000_000)
        round_id = ok(open_round(client, room, motion_id), 201)["id"]
        vote_all(client, room, round_id)
        rounds.append(round_id)
    slow_fit(monkeypatch)
    closes = together(app, [post(f"/api/v1/rounds/{r}/close", room.chair) for r in rounds])
    answers = [ok(r, 200) for r in closes]
    assert sorted(a["outcome"] for a in answers) == ["adopted", "invalid"]
    refused = next(a for a in answers if a["outcome"] == "invalid")
    assert refused["reason"] == "budget-exceeded" and refused["decision"] is None
    assert refused["counts"]["yes"] == len(room.voters)
    groen = line(client, room)
    assert groen["committed_cents"] == 6_000_000 and groen["remaining_cents"] == 2_000_000
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Execution)) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Decision)) == 1
    # the motion is on the agenda again; a new round is refused while it does not fit
    again = client.get(f"/api/v1/rounds/{refused['id']}").get_json()["motion_id"]
    status = ok(client.get(f"/api/v1/motions/{again}", headers=bearer(room.chair)), 200)["status"]
    assert status == "scheduled"
    assert open_round(client, room, again).get_json()["remaining_cents"] == 2_000_000


def test_a_formality_with_money_that_does_not_fit_is_not_adopted(client, room: Room):
    h = bearer(room.secretary)
    # An item added to an open meeting's agenda.
    item = ok(
        client.post(
            f"/api/v1/meetings/{room.meeting_id}/agenda-items",
            json={"title": "Hamerstuk", "is_formality": True},
            headers=h,
        ),
        201,
    )["id"]
    adopt(client, room, 7_000_000)
    motion_id = ok(
        client.post(
            f"/api/v1/agenda-items/{item}/motions",
            json={
                "title": "Bankje",
                "text": "x",
                "amount_cents": 1_000_001,
                "budget_line_id": room.lines["GROEN"],
            },
            headers=bearer(room.chair),
        ),
        201,
    )["id"]
    r = client.post(f"/api/v1/motions/{motion_id}/adopt-formality", headers=bearer(room.chair))
    assert r.status_code == 409
    assert (
        r.get_json()["code"] == "budget-exceeded" and r.get_json()["remaining_cents"] == 1_000_000
    )
    assert line(client, room)["committed_cents"] == 7_000_000


def _web_as(app, email: str) -> Web:
    web = Web(app.test_client())
    assert web.login(email, PASSWORD).status_code == 302
    return web


def test_the_motion_form_has_a_budget_line_beside_the_amount(app, client, room: Room):
    chair = _web_as(app, room.chair_email)
    url = f"/agendapunten/{room.item_id}/voorstellen/nieuw"
    page = chair.get(url).get_data(as_text=True)
    assert 'name="budget_line_id"' in page
    assert f'value="{room.lines["GROEN"]}"' in page
    assert "80.000,00" in page  # what remains on GROEN, in Dutch
    form = {"title": "Bankjes", "text": "Twee bankjes.", "requirement": "majority"}
    # an amount without a line: refused on the line's field, nothing made
    r = chair.post_form(url, {**form, "amount_cents": "1.250,50"})
    assert r.status_code == 422
    assert 'id="budget_line_id-error"' in r.get_data(as_text=True)
    r = chair.post_form(
        url, {**form, "amount_cents": "1.250,50", "budget_line_id": str(room.lines["SOC"])}
    )
    assert r.status_code in (302, 303)
    with app.app_context():
        made = db.session.scalar(sa.select(Motion).where(Motion.title == "Bankjes"))
        assert made.amount_cents == 125_050 and made.budget_line_id == room.lines["SOC"]


def test_the_chair_sees_before_the_vote_whether_the_money_is_there(app, client, room: Room):
    motion(client, room, 9_000_000)
    chair = _web_as(app, room.chair_email)
    page = chair.get(f"/vergaderingen/{room.meeting_id}").get_data(as_text=True)
    assert "GROEN" in page
    assert "80.000,00" in page
    assert 'id="voorstel-' in page and "-blockers" in page
    # the open-round form is not offered, the reason is given with what remains
    assert "%(remaining)s" not in page
