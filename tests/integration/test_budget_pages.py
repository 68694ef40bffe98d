"""The public budget page: per council and year the totals, a chart per line drawn as SVG with a
text alternative, each line's decisions with their execution; the latest year at the council's
own address, and a link from the council page."""

from __future__ import annotations

import re

from tests.conftest import bearer
from tests.integration.budget_world import (
    YEAR,
    Room,
    adopt,
    ok,
    room_fixture,  # noqa: F401
)


def test_the_budget_page_in_public(client, room: Room):
    decision = adopt(client, room, 1_234_56)["decision"]
    ok(
        client.post(
            f"/api/v1/decisions/{decision['id']}/progress",
            json={"status": "in_progress", "spent_cents": 50_000, "note": "Hek besteld"},
            headers=bearer(room.secretary),
        ),
        201,
    )
    r = client.get(f"/wijkraden/{room.slug}/begroting/{YEAR}")
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    for shown in ("200.000,00", "130.000,00", "1.234,56", "500,00", "78.765,44", "Groen en spelen"):
        assert shown in page, shown
    assert f'href="/besluiten/{decision["identifier"]}"' in page
    assert "Hek besteld" in page
    # a chart with a text alternative, no inline style anywhere (the CSP)
    svg = re.search(r"<svg[^>]*role=\"img\"[^>]*>(.*?)</svg>", page, re.S)
    assert svg and "<title" in svg.group(1) and "<desc" in svg.group(1)
    assert "style=" not in page
    assert "<script" not in page.replace('<script src="', "")
    # the public does not get the form
    assert "/voortgang" not in page


def test_the_latest_year_and_the_council_page_link(client, room: Room):
    assert "Groen en spelen" in client.get(f"/wijkraden/{room.slug}/begroting").get_data(
        as_text=True
    )
    council = client.get(f"/wijkraden/{room.slug}").get_data(as_text=True)
    assert f'href="/wijkraden/{room.slug}/begroting"' in council
    assert client.get(f"/wijkraden/{room.slug}/begroting/1999").status_code == 404
    assert client.get("/wijkraden/nergens/begroting").status_code == 404


def test_a_council_without_a_budget_says_so(app, client, make):
    with app.app_context():
        make.council("leeg")
    r = client.get("/wijkraden/leeg/begroting")
    assert r.status_code == 200


def test_a_confidential_decisions_money_shows_but_not_what_it_was(app, client, room: Room):
    h = bearer(room.secretary)
    item = ok(
        client.post(
            f"/api/v1/meetings/{room.meeting_id}/agenda-items",
            json={"title": "Geheim", "is_confidential": True},
            headers=h,
        ),
        201,
    )["id"]
    motion_id = ok(
        client.post(
            f"/api/v1/agenda-items/{item}/motions",
            json={
                "title": "Aankoop pand Geheimstraat",
                "text": "x",
                "amount_cents": 700_000,
                "budget_line_id": room.lines["SOC"],
            },
            headers=bearer(room.chair),
        ),
        201,
    )["id"]
    round_id = ok(
        client.post(f"/api/v1/motions/{motion_id}/rounds", json={}, headers=bearer(room.chair)), 201
    )["id"]
    for _, token in room.voters:
        client.post(
            f"/api/v1/rounds/{round_id}/votes", json={"choice": "yes"}, headers=bearer(token)
        )
    ok(client.post(f"/api/v1/rounds/{round_id}/close", headers=bearer(room.chair)), 200)
    page = client.get(f"/wijkraden/{room.slug}/begroting/{YEAR}").get_data(as_text=True)
    assert "7.000,00" in page
    assert "Geheimstraat" not in page


def test_the_demo_has_a_budget_with_a_decision_under_way(app, client):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    slug = client.get("/api/v1/councils").get_json()[0]["slug"]
    page = client.get(f"/wijkraden/{slug}/begroting").get_data(as_text=True)
    assert "Groen en spelen" in page
    assert "18.500,00" in page and "6.000,00" in page  # committed to the playground, spent
    assert "Opdracht gegeven" in page
