"""The budget through the API (API.md "Budget"): budgets, lines within the total, the read, who
may do what, the audit, and two requests allocating the last money at once."""

from __future__ import annotations

import time

import sqlalchemy as sa

from tests.conftest import bearer
from tests.integration.budget_world import YEAR, Room, budget, ok, room_fixture  # noqa: F401
from tests.integration.test_races import post, together
from wijkraad.audit import AuditEvent
from wijkraad.budget import rules
from wijkraad.budget.models import BudgetLine
from wijkraad.extensions import db


def test_a_budget_read_as_the_contract_has_it(client, room: Room):
    read = budget(client, room)
    assert read == {
        "year": YEAR,
        "total_cents": 20_000_000,
        "allocated_cents": 13_000_000,
        "committed_cents": 0,
        "spent_cents": 0,
        "remaining_cents": 13_000_000,
        "lines": [
            {
                "id": room.lines["GROEN"],
                "code": "GROEN",
                "name": "Groen en spelen",
                "allocated_cents": 8_000_000,
                "committed_cents": 0,
                "spent_cents": 0,
                "remaining_cents": 8_000_000,
            },
            {
                "id": room.lines["SOC"],
                "code": "SOC",
                "name": "Ontmoeten",
                "allocated_cents": 5_000_000,
                "committed_cents": 0,
                "spent_cents": 0,
                "remaining_cents": 5_000_000,
            },
        ],
    }


def test_a_line_past_the_total_is_over_allocated(client, room: Room):
    url = f"/api/v1/councils/{room.slug}/budgets/{YEAR}/lines"
    r = client.post(
        url,
        json={"code": "X", "name": "Te veel", "allocated_cents": 7_000_001},
        headers=bearer(room.chair),
    )
    assert r.status_code == 409
    assert r.mimetype == "application/problem+json"
    problem = r.get_json()
    assert problem["code"] == "over-allocated"
    assert problem["type"] == "urn:wijkraad:problem:over-allocated"
    assert problem["total_cents"] == 20_000_000 and problem["allocated_cents"] == 13_000_000
    made = client.post(
        url,
        json={"code": "X", "name": "Precies", "allocated_cents": 7_000_000},
        headers=bearer(room.chair),
    )
    assert ok(made, 201)["remaining_cents"] == 7_000_000
    assert budget(client, room)["allocated_cents"] == 20_000_000


def test_refusals(client, room: Room):
    base = f"/api/v1/councils/{room.slug}/budgets"
    line = {"code": "Y", "name": "Iets", "allocated_cents": 1}
    # the secretary and members may not set budgets; no token at all is 401
    assert (
        client.post(f"{base}/{YEAR}/lines", json=line, headers=bearer(room.secretary)).status_code
        == 403
    )
    assert (
        client.post(f"{base}/{YEAR}/lines", json=line, headers=bearer(room.member)).status_code
        == 403
    )
    assert client.post(f"{base}/{YEAR}/lines", json=line).status_code == 401
    assert (
        client.post(
            base, json={"year": YEAR + 1, "total_cents": 1}, headers=bearer(room.member)
        ).status_code
        == 403
    )
    # the chair may; a second budget for a year is a conflict
    assert (
        ok(
            client.post(
                base, json={"year": YEAR + 1, "total_cents": 5}, headers=bearer(room.chair)
            ),
            201,
        )["lines"]
        == []
    )
    again = client.post(base, json={"year": YEAR + 1, "total_cents": 5}, headers=bearer(room.admin))
    assert again.status_code == 409 and again.get_json()["code"] == "budget-exists"
    # a line code once per budget
    taken = client.post(
        f"{base}/{YEAR}/lines",
        json={"code": "GROEN", "name": "Nog eens", "allocated_cents": 1},
        headers=bearer(room.chair),
    )
    assert taken.status_code == 409 and taken.get_json()["code"] == "line-code-taken"
    # bad input is 422 naming the field, never a 500
    for bad in (
        {"year": YEAR + 2, "total_cents": -1},
        {"year": YEAR + 2, "total_cents": 1.5},
        {"year": YEAR + 2, "total_cents": "100"},
        {"year": YEAR + 2, "total_cents": 10**20},
        {"year": 12, "total_cents": 1},
        {"total_cents": 1},
    ):
        r = client.post(base, json=bad, headers=bearer(room.admin))
        assert r.status_code == 422, bad
    r = client.post(
        f"{base}/{YEAR}/lines",
        json={"code": "", "name": "x", "allocated_cents": 1},
        headers=bearer(room.chair),
    )
    assert r.status_code == 422 and r.get_json()["errors"][0]["field"] == "code"
    # unknown things are 404
    assert client.get(f"{base}/1999").get_json()["code"] == "budget-not-found"
    assert client.get("/api/v1/councils/nergens/budgets/2026").status_code == 404
    assert (
        client.post(f"{base}/1999/lines", json=line, headers=bearer(room.chair)).status_code == 404
    )


def test_every_change_is_audited(app, client, room: Room):
    with app.app_context():
        actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions.count("budget.create") == 1
        assert actions.count("budget.line.add") == 2


def slowed(monkeypatch, name: str) -> None:
    """Widens the race: the rule ``name`` of budget.rules takes a moment, so that both requests
    have read the sums before either writes (without the budget's lock, both would fit)."""
    original = getattr(rules, name)

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return original(*args, **kwargs)

    monkeypatch.setattr(rules, name, slow)


def test_two_lines_on_the_last_money_at_once_only_one_is_made(app, client, room: Room, monkeypatch):
    """7,000,000 cents are left: two lines of 5,000,000 at the same moment, one succeeds."""
    slowed(monkeypatch, "allocation_fits")
    url = f"/api/v1/councils/{room.slug}/budgets/{YEAR}/lines"
    calls = [
        post(url, token, {"code": f"N{i}", "name": f"Nieuw {i}", "allocated_cents": 5_000_000})
        for i, token in enumerate((room.chair, room.admin))
    ]
    responses = together(app, calls)
    assert sorted(r.status_code for r in responses) == [201, 409]
    refused = next(r for r in responses if r.status_code == 409)
    assert refused.get_json()["code"] == "over-allocated"
    with app.app_context():
        allocated = db.session.scalar(sa.select(sa.func.sum(BudgetLine.allocated_cents)))
        assert allocated == 18_000_000
    assert budget(client, room)["allocated_cents"] == 18_000_000
