"""Moving money between budget lines by a decision of the council (a transfer motion, adopted
by two thirds), and topping up an earlier decision's money by a further decision: through the
API, on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa

from tests.conftest import bearer
from tests.integration.budget_world import (
    YEAR,
    Room,
    adopt,
    budget,
    line,
    ok,
    open_round,
    room_fixture,  # noqa: F401
    vote_all,
)
from tests.integration.test_races import post, together
from wijkraad.audit import AuditEvent
from wijkraad.budget import rules
from wijkraad.budget.models import Execution, TopUp, Transfer
from wijkraad.extensions import db
from wijkraad.motions.models import Motion


def submit(client, room: Room, **data: Any):
    body = {"title": "Verschuiven", "text": "De wijkraad besluit.", **data}
    return client.post(
        f"/api/v1/agenda-items/{room.item_id}/motions", json=body, headers=bearer(room.chair)
    )


def transfer(client, room: Room, cents: int, source: str = "SOC", target: str = "GROEN") -> int:
    return ok(
        submit(
            client,
            room,
            amount_cents=cents,
            source_line_id=room.lines[source],
            budget_line_id=room.lines[target],
            requirement="two_thirds",
        ),
        201,
    )["id"]


def vote(client, room: Room, round_id: int, yes: int) -> None:
    """``yes`` of the members vote for, the others against."""
    for n, (_, token) in enumerate(room.voters):
        choice = "yes" if n < yes else "no"
        ok(
            client.post(
                f"/api/v1/rounds/{round_id}/votes", json={"choice": choice}, headers=bearer(token)
            ),
            201,
        )


def close(client, room: Room, round_id: int) -> dict[str, Any]:
    return ok(client.post(f"/api/v1/rounds/{round_id}/close", headers=bearer(room.chair)), 200)


def test_an_adopted_transfer_moves_the_allocation(app, client, room: Room):
    motion_id = transfer(client, room, 1_500_000)
    read = ok(client.get(f"/api/v1/motions/{motion_id}", headers=bearer(room.chair)), 200)
    assert read["source_line_id"] == room.lines["SOC"]
    assert read["budget_line_id"] == room.lines["GROEN"]
    assert read["requirement"] == "two_thirds" and read["supplements_decision_id"] is None
    round_id = ok(open_round(client, room, motion_id), 201)["id"]
    vote_all(client, room, round_id)
    closed = close(client, room, round_id)
    assert closed["outcome"] == "adopted" and closed["decision"] is not None
    shown = budget(client, room)
    lines = {x["code"]: x for x in shown["lines"]}
    assert lines["SOC"]["allocated_cents"] == 3_500_000
    assert lines["GROEN"]["allocated_cents"] == 9_500_000
    assert lines["GROEN"]["remaining_cents"] == 9_500_000
    assert shown["allocated_cents"] == 13_000_000  # the total allocated stays the same
    with app.app_context():
        # nothing to execute: no execution, one transfer with its audit row
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Execution)) == 0
        moved = db.session.scalar(sa.select(Transfer))
        assert (moved.from_line_id, moved.to_line_id, moved.amount_cents) == (
            room.lines["SOC"],
            room.lines["GROEN"],
            1_500_000,
        )
        assert moved.decision_id == closed["decision"]["id"]
        audited = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "budget.transfer")
        ).all()
        assert [e.data["amount_cents"] for e in audited] == [1_500_000]
    # the moved money is there for a motion on the target line
    assert ok(open_round(client, room, money_motion(client, room, 9_500_000)), 201)


def money_motion(client, room: Room, cents: int) -> int:
    return ok(submit(client, room, amount_cents=cents, budget_line_id=room.lines["GROEN"]), 201)[
        "id"
    ]


def test_a_majority_short_of_two_thirds_rejects_it_and_moves_nothing(client, room: Room):
    motion_id = transfer(client, room, 1_000_000)
    round_id = ok(open_round(client, room, motion_id), 201)["id"]
    vote(client, room, round_id, yes=8)  # 8 of 13: a majority, not two thirds
    closed = close(client, room, round_id)
    assert closed["outcome"] == "rejected" and closed["decision"] is not None
    assert line(client, room, "SOC")["allocated_cents"] == 5_000_000
    assert line(client, room, "GROEN")["allocated_cents"] == 8_000_000


def test_a_transfer_must_ask_two_thirds_and_name_two_lines_of_the_year(client, room: Room):
    asked = {
        "amount_cents": 100,
        "source_line_id": room.lines["SOC"],
        "budget_line_id": room.lines["GROEN"],
    }
    r = submit(client, room, **asked)  # the default requirement: a simple majority
    assert r.status_code == 422 and r.get_json()["code"] == "transfer-needs-two-thirds"
    assert r.get_json()["errors"][0]["field"] == "requirement"
    r = submit(client, room, **asked, requirement="majority")
    assert r.status_code == 422 and r.get_json()["errors"][0]["field"] == "requirement"
    same = {**asked, "source_line_id": room.lines["GROEN"], "requirement": "two_thirds"}
    r = submit(client, room, **same)
    assert r.status_code == 422 and r.get_json()["code"] == "transfer-same-line"
    r = submit(client, room, source_line_id=room.lines["SOC"], requirement="two_thirds")
    assert r.status_code == 422 and r.get_json()["code"] == "transfer-incomplete"
    # a line of next year's budget, and of another council's
    ok(
        client.post(
            f"/api/v1/councils/{room.slug}/budgets",
            json={"year": YEAR + 1, "total_cents": 100},
            headers=bearer(room.admin),
        ),
        201,
    )
    next_year = ok(
        client.post(
            f"/api/v1/councils/{room.slug}/budgets/{YEAR + 1}/lines",
            json={"code": "L", "name": "Later", "allocated_cents": 100},
            headers=bearer(room.admin),
        ),
        201,
    )["id"]
    ok(
        client.post(
            "/api/v1/councils",
            json={
                "slug": "west",
                "name": "Wijkraad West",
                "municipality": "Utrecht",
                "resident_seats": 5,
                "councillor_seats": 2,
            },
            headers=bearer(room.admin),
        ),
        201,
    )
    ok(
        client.post(
            "/api/v1/councils/west/budgets",
            json={"year": YEAR, "total_cents": 100},
            headers=bearer(room.admin),
        ),
        201,
    )
    elsewhere = ok(
        client.post(
            f"/api/v1/councils/west/budgets/{YEAR}/lines",
            json={"code": "W", "name": "West", "allocated_cents": 100},
            headers=bearer(room.admin),
        ),
        201,
    )["id"]
    for foreign in (next_year, elsewhere, 999_999):
        r = submit(client, room, **{**asked, "source_line_id": foreign}, requirement="two_thirds")
        assert r.status_code == 422 and r.get_json()["code"] == "budget-line-unknown"
        assert r.get_json()["errors"][0]["field"] == "source_line_id"


def test_a_round_opens_only_when_the_amount_fits_what_remains_on_the_source(client, room: Room):
    adopt(client, room, 4_000_000, "SOC")  # SOC: 5,000,000 allocated, 1,000,000 remains
    too_much = transfer(client, room, 1_000_001)
    r = open_round(client, room, too_much)
    assert r.status_code == 409 and r.mimetype == "application/problem+json"
    assert r.get_json()["code"] == "budget-exceeded"
    assert r.get_json()["remaining_cents"] == 1_000_000
    assert r.get_json()["line_id"] == room.lines["SOC"]
    assert "10.000,00" in r.get_json()["detail"]
    # what the target line has left does not matter
    assert ok(open_round(client, room, transfer(client, room, 1_000_000)), 201)


def slow_fit(monkeypatch) -> None:
    """Both closes read what remains on the source before either moves it, were the budget
    not held."""
    original = rules.transfer_fits

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return original(*args, **kwargs)

    monkeypatch.setattr(rules, "transfer_fits", slow)


def test_two_transfers_of_the_last_money_at_once_move_it_once(app, client, room: Room, monkeypatch):
    """Two transfers of 3,000,000 from SOC (5,000,000): both rounds open, both are adopted by
    all, and both are closed at the same moment. One moves the money; the other decides
    nothing (invalid, budget-exceeded) and SOC is never overdrawn."""
    rounds = []
    for _ in range(2):
        round_id = ok(open_round(client, room, transfer(client, room, 3_000_000)), 201)["id"]
        vote_all(client, room, round_id)
        rounds.append(round_id)
    slow_fit(monkeypatch)
    closes = together(app, [post(f"/api/v1/rounds/{r}/close", room.chair) for r in rounds])
    answers = [ok(r, 200) for r in closes]
    assert sorted(a["outcome"] for a in answers) == ["adopted", "invalid"]
    assert next(a for a in answers if a["outcome"] == "invalid")["reason"] == "budget-exceeded"
    assert line(client, room, "SOC")["allocated_cents"] == 2_000_000
    assert line(client, room, "GROEN")["allocated_cents"] == 11_000_000
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Transfer)) == 1


def test_a_transfer_and_a_commitment_on_the_source_at_once_never_overdraw_it(
    app, client, room: Room, monkeypatch
):
    """A transfer of 3,000,000 from SOC and a spending motion of 3,000,000 on SOC, closed at
    the same moment: they queue on the budget, and only one takes the money."""
    moving = ok(open_round(client, room, transfer(client, room, 3_000_000)), 201)["id"]
    vote_all(client, room, moving)
    spending_motion = ok(
        submit(client, room, amount_cents=3_000_000, budget_line_id=room.lines["SOC"]), 201
    )["id"]
    spending = ok(open_round(client, room, spending_motion), 201)["id"]
    vote_all(client, room, spending)
    slow_fit(monkeypatch)
    closes = together(
        app, [post(f"/api/v1/rounds/{r}/close", room.chair) for r in (moving, spending)]
    )
    assert sorted(ok(r, 200)["outcome"] for r in closes) == ["adopted", "invalid"]
    soc = line(client, room, "SOC")
    assert soc["committed_cents"] <= soc["allocated_cents"]
    assert soc["allocated_cents"] + line(client, room, "GROEN")["allocated_cents"] == 13_000_000


def test_a_transfer_is_never_a_formality(client, room: Room):
    item = ok(
        client.post(
            f"/api/v1/meetings/{room.meeting_id}/agenda-items",
            json={"title": "Hamerstuk", "is_formality": True},
            headers=bearer(room.secretary),
        ),
        201,
    )["id"]
    motion_id = ok(
        client.post(
            f"/api/v1/agenda-items/{item}/motions",
            json={
                "title": "Schuiven",
                "text": "x",
                "amount_cents": 100,
                "source_line_id": room.lines["SOC"],
                "budget_line_id": room.lines["GROEN"],
                "requirement": "two_thirds",
            },
            headers=bearer(room.chair),
        ),
        201,
    )["id"]
    r = client.post(f"/api/v1/motions/{motion_id}/adopt-formality", headers=bearer(room.chair))
    assert r.status_code == 409 and r.get_json()["code"] == "transfer-not-by-formality"
    assert line(client, room, "SOC")["allocated_cents"] == 5_000_000


# ----------------------------------------------------------------------------- top-ups


def progress(client, room: Room, decision_id: int, spent: int, status: str = "in_progress"):
    return client.post(
        f"/api/v1/decisions/{decision_id}/progress",
        json={"status": status, "spent_cents": spent, "note": "Betaald"},
        headers=bearer(room.secretary),
    )


def top_up(client, room: Room, decision_id: int, cents: int, code: str = "GROEN"):
    return submit(
        client,
        room,
        title="Aanvulling",
        amount_cents=cents,
        budget_line_id=room.lines[code],
        supplements_decision_id=decision_id,
    )


def test_a_top_up_lets_more_be_spent_on_the_earlier_decision(app, client, room: Room):
    first = adopt(client, room, 1_000_000)["decision"]["id"]
    ok(progress(client, room, first, 1_000_000), 201)
    over = progress(client, room, first, 1)
    assert over.status_code == 409 and over.get_json()["code"] == "overspent"
    motion_id = ok(top_up(client, room, first, 250_000), 201)["id"]
    read = ok(client.get(f"/api/v1/motions/{motion_id}", headers=bearer(room.chair)), 200)
    assert read["supplements_decision_id"] == first
    round_id = ok(open_round(client, room, motion_id), 201)["id"]
    vote_all(client, room, round_id)
    closed = close(client, room, round_id)
    assert closed["outcome"] == "adopted"
    groen = line(client, room)
    assert groen["committed_cents"] == 1_250_000 and groen["remaining_cents"] == 6_750_000
    assert ok(progress(client, room, first, 250_000), 201)["committed_cents"] == 1_250_000
    over = progress(client, room, first, 1)
    assert over.status_code == 409 and over.get_json()["spendable_cents"] == 0
    with app.app_context():
        # the top-up has no execution of its own: the earlier decision's grew
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Execution)) == 1
        added = db.session.scalar(sa.select(TopUp))
        assert added.decision_id == closed["decision"]["id"] and added.amount_cents == 250_000


def test_a_top_up_names_an_open_decision_with_money_on_the_same_line(app, client, room: Room):
    first = adopt(client, room, 1_000_000)["decision"]["id"]
    r = top_up(client, room, first, 100, code="SOC")
    assert r.status_code == 422 and r.get_json()["code"] == "top-up-unknown"
    assert r.get_json()["errors"][0]["field"] == "supplements_decision_id"
    r = top_up(client, room, 999_999, 100)
    assert r.status_code == 422 and r.get_json()["code"] == "top-up-unknown"
    r = submit(client, room, supplements_decision_id=first)
    assert r.status_code == 422 and r.get_json()["code"] == "top-up-incomplete"
    # open when submitted, finished before the vote: the round does not open
    motion_id = ok(top_up(client, room, first, 100), 201)["id"]
    ok(progress(client, room, first, 0, status="done"), 201)
    r = open_round(client, room, motion_id)
    assert r.status_code == 409 and r.get_json()["code"] == "top-up-closed"
    r = top_up(client, room, first, 100)
    assert r.status_code == 422 and r.get_json()["code"] == "top-up-closed"
    with app.app_context():
        assert db.session.get(Motion, motion_id).supplements_decision_id == first


def test_a_top_up_must_fit_what_remains_on_the_line(client, room: Room):
    first = adopt(client, room, 7_000_000)["decision"]["id"]
    r = open_round(client, room, ok(top_up(client, room, first, 1_000_001), 201)["id"])
    assert r.status_code == 409 and r.get_json()["remaining_cents"] == 1_000_000


def test_a_top_up_and_the_last_spending_note_at_once(app, client, room: Room):
    """A top-up closed while the execution is noted done: either the top-up is adopted first
    (and the note finishes the bigger execution) or the note comes first and the top-up
    decides nothing. Commitments never exceed the allocation, spending never the commitment."""
    first = adopt(client, room, 1_000_000)["decision"]["id"]
    round_id = ok(
        open_round(client, room, ok(top_up(client, room, first, 500_000), 201)["id"]), 201
    )["id"]
    vote_all(client, room, round_id)
    answers = together(
        app,
        [
            post(f"/api/v1/rounds/{round_id}/close", room.chair),
            post(
                f"/api/v1/decisions/{first}/progress",
                room.secretary,
                {"status": "done", "spent_cents": 1_000_000, "note": "Klaar"},
            ),
        ],
    )
    closed, noted = ok(answers[0], 200), ok(answers[1], 201)
    groen = line(client, room)
    if closed["outcome"] == "adopted":
        assert noted["committed_cents"] == 1_500_000 and groen["committed_cents"] == 1_500_000
    else:
        assert closed["reason"] == "top-up-closed" and groen["committed_cents"] == 1_000_000
    assert groen["spent_cents"] == 1_000_000


def test_the_search_triggers_outlive_the_new_columns_of_motions(app, client, room: Room):
    """0012 adds motions' columns in place: the search triggers of 0009 are all still there,
    and a decision on a transfer is found by its title, also after the title changed."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            found = db.session.scalars(
                sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            ).all()
            expected = {
                "decisions_fts_insert",
                "decisions_fts_update",
                "decisions_fts_delete",
                "motions_fts_title",
            }
        else:
            found = db.session.scalars(
                sa.text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            ).all()
            expected = {"decisions_search", "motions_search"}
        assert expected <= set(found)
    motion_id = transfer(client, room, 100)
    round_id = ok(open_round(client, room, motion_id), 201)["id"]
    vote_all(client, room, round_id)
    identifier = close(client, room, round_id)["decision"]["identifier"]
    with app.app_context():
        db.session.get(Motion, motion_id).title = "Zandbak verplaatst"
        db.session.commit()
    hits = ok(client.get(f"/api/v1/councils/{room.slug}/decisions?q=zandbak"), 200)
    assert [d["identifier"] for d in hits] == [identifier]
