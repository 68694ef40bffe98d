"""The decision lists as PDF show, per decision with money, its budget line and what remained
on the line after it."""

from __future__ import annotations

from tests.conftest import bearer
from tests.integration.budget_world import (
    YEAR,
    Room,
    adopt,
    ok,
    room_fixture,  # noqa: F401
)
from tests.integration.pdf_record import text_of
from wijkraad.budget import queries
from wijkraad.extensions import db


def test_the_decision_list_shows_the_line_and_what_remained(app, client, room: Room):
    first = adopt(client, room, 2_000_000)["decision"]
    second = adopt(client, room, 1_000_000)["decision"]
    ok(client.post(f"/api/v1/meetings/{room.meeting_id}/close", headers=bearer(room.chair)), 200)
    with app.app_context():
        after = queries.remaining_after(db.session, [first["id"], second["id"]])
        assert after[first["id"]].remaining_after_cents == 6_000_000
        assert after[second["id"]].remaining_after_cents == 5_000_000
        assert queries.remaining_after(db.session, []) == {}
    response = client.get(f"/vergaderingen/{room.meeting_id}/besluitenlijst.pdf")
    assert response.status_code == 200
    flat = " ".join(text_of(response.data).split())
    assert "Begrotingspost: GROEN Groen en spelen" in flat
    assert "Resteert op de post: € 60.000,00" in flat
    assert "Resteert op de post: € 50.000,00" in flat
    # the year's list still renders with the money read alongside
    assert client.get(f"/wijkraden/{room.slug}/besluiten/{YEAR}.pdf").status_code == 200
