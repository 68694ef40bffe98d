"""The public record's PDFs carry the municipality's name once it is set, and a stored PDF is
made again when the name changes. Each test runs on SQLite and PostgreSQL."""

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
from wijkraad import clock
from wijkraad.auth.actor import Actor
from wijkraad.documents.storage import current_storage
from wijkraad.extensions import db
from wijkraad.look import services


def name_the_municipality(app, name: str, version: int) -> None:
    with app.app_context():
        services.save_look(
            db.session,
            Actor(user_id=None, is_admin=True),
            services.LookData(municipality_name=name),
            seen_version=version,
            now=clock.now(),
            storage=current_storage(),
        )
        db.session.commit()


def flat(content: bytes) -> str:
    return " ".join(text_of(content).split())


def test_the_decision_list_and_the_budget_report_carry_the_name(app, client, room: Room):
    adopt(client, room, 1_000_000)
    ok(client.post(f"/api/v1/meetings/{room.meeting_id}/close", headers=bearer(room.chair)), 200)
    decisions = f"/vergaderingen/{room.meeting_id}/besluitenlijst.pdf"
    report = f"/wijkraden/{room.slug}/begroting/{YEAR}/verantwoording.pdf"
    before = client.get(decisions)
    assert before.status_code == 200 and "Gemeente Groningen" not in flat(before.data)

    name_the_municipality(app, "Gemeente Groningen", 0)
    after = client.get(decisions)
    assert after.headers["ETag"] != before.headers["ETag"]
    assert flat(after.data).startswith("Gemeente Groningen") or (
        "Gemeente Groningen Besluitenlijst" in flat(after.data)
    )
    assert "Gemeente Groningen Verantwoording begroting" in flat(client.get(report).data)

    name_the_municipality(app, "Gemeente Haren", 1)
    assert "Gemeente Haren" in flat(client.get(decisions).data)
