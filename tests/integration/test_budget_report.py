"""The annual accountability report of a budget as PDF, read back: per line its figures, per
decision what was promised, spent and delivered, the progress notes; amounts in Dutch format;
confidential decisions with their money only; PDF/A-3u, tagged, its figures attached as JSON;
served again without rendering until its content changes; a fixed number of statements."""

from __future__ import annotations

import io
import re
import threading

import pikepdf
import pytest
import sqlalchemy as sa

from tests.conftest import bearer
from tests.integration.budget_world import (
    YEAR,
    Room,
    adopt,
    ok,
    room_fixture,  # noqa: F401
)
from tests.integration.pdf_record import attached_json, structure_types, text_of
from tests.querycount import counting
from wijkraad import clock
from wijkraad.budget import report
from wijkraad.extensions import db
from wijkraad.publishing import pdf
from wijkraad.publishing.models import RenderedFile

SECRET = "Aankoop pand Geheimstraat"


def url(room: Room, year: int = YEAR) -> str:
    return f"/wijkraden/{room.slug}/begroting/{year}/verantwoording.pdf"


def api_url(room: Room, year: int = YEAR) -> str:
    return f"/api/v1/councils/{room.slug}/budgets/{year}/report.pdf"


def progress(client, room: Room, decision_id: int, **body) -> None:
    ok(
        client.post(
            f"/api/v1/decisions/{decision_id}/progress", json=body, headers=bearer(room.chair)
        ),
        201,
    )


def confidential(client, room: Room, cents: int) -> dict:
    item = ok(
        client.post(
            f"/api/v1/meetings/{room.meeting_id}/agenda-items",
            json={"title": "Geheim", "is_confidential": True},
            headers=bearer(room.secretary),
        ),
        201,
    )["id"]
    motion_id = ok(
        client.post(
            f"/api/v1/agenda-items/{item}/motions",
            json={
                "title": SECRET,
                "text": "Het pand aan de Geheimstraat wordt gekocht.",
                "amount_cents": cents,
                "budget_line_id": room.lines["SOC"],
            },
            headers=bearer(room.chair),
        ),
        201,
    )["id"]
    round_id = ok(
        client.post(f"/api/v1/motions/{motion_id}/rounds", json={}, headers=bearer(room.chair)),
        201,
    )["id"]
    for _, token in room.voters:
        client.post(
            f"/api/v1/rounds/{round_id}/votes", json={"choice": "yes"}, headers=bearer(token)
        )
    return ok(client.post(f"/api/v1/rounds/{round_id}/close", headers=bearer(room.chair)), 200)[
        "decision"
    ]


@pytest.fixture
def spent(client, room: Room) -> dict[str, dict]:
    """On GROEN: one decision delivered, one under way, one cancelled; on SOC a confidential
    one with a note of its own."""
    done = adopt(client, room, 1_234_567)["decision"]
    busy = adopt(client, room, 2_000_000)["decision"]
    dropped = adopt(client, room, 500_000)["decision"]
    secret = confidential(client, room, 700_000)
    progress(client, room, done["id"], status="in_progress", spent_cents=34_567, note="Offerte")
    progress(client, room, done["id"], status="done", spent_cents=1_200_000, note="Speeltuin open")
    progress(client, room, busy["id"], status="in_progress", spent_cents=50_000, note="Ontwerp")
    progress(client, room, dropped["id"], status="cancelled", note="Gaat niet door")
    progress(client, room, secret["id"], status="in_progress", spent_cents=1, note="Notaris X")
    return {"done": done, "busy": busy, "dropped": dropped, "secret": secret}


def flat(content: bytes) -> str:
    return " ".join(text_of(content).split())


def test_the_report_per_line_and_decision(app, client, room: Room, spent):
    response = client.get(url(room))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "public, no-cache"
    assert f'filename="oost-verantwoording-{YEAR}.pdf"' in response.headers["Content-Disposition"]
    text = flat(response.data)
    assert f"Verantwoording begroting {YEAR}" in text
    assert "4 besluiten, waarvan 1 opgeleverd" in text
    # the year: total, allocated, committed (cancelled counts what it spent), spent, free
    assert "Totaal € 200.000,00" in text
    assert "Verdeeld over de posten € 130.000,00" in text
    assert "Toegezegd aan besluiten € 39.345,67" in text
    assert "Uitgegeven € 12.845,68" in text
    assert "GROEN Groen en spelen" in text and "SOC Ontmoeten" in text
    assert "€ 80.000,00 verdeeld, € 32.345,67 toegezegd, € 12.845,67 uitgegeven" in text
    for key in ("done", "busy", "dropped"):
        assert spent[key]["identifier"] in text
    assert "Speeltuin" in text
    assert re.search(r"€ 12\.345,67 € 12\.345,67 uitgevoerd opgeleverd \d", text)
    assert "€ 20.000,00 € 500,00 in uitvoering" in text
    assert "€ 5.000,00 € 0,00 geannuleerd" in text
    assert "Speeltuin open" in text and "€ 12.000,00 uitgegeven" in text
    assert "Gaat niet door" in text
    # the confidential decision: its money, not what it was about
    assert "Vertrouwelijk besluit" in text and "€ 7.000,00 € 0,01 in uitvoering" in text
    assert spent["secret"]["identifier"] not in text
    assert "Geheimstraat" not in text and "Notaris X" not in text


def test_the_api_serves_the_same_report_and_404s(app, client, room: Room, spent):
    page = client.get(url(room))
    api = client.get(api_url(room))
    assert api.status_code == 200 and api.mimetype == "application/pdf"
    assert api.headers["ETag"] == page.headers["ETag"] and api.data == page.data
    assert client.get(url(room, YEAR - 1)).status_code == 404
    assert (
        client.get(f"/wijkraden/bestaat-niet/begroting/{YEAR}/verantwoording.pdf").status_code
        == 404
    )
    missing = client.get(api_url(room, YEAR - 1))
    assert missing.status_code == 404 and missing.get_json()["code"] == "budget-not-found"
    unknown = client.get(f"/api/v1/councils/bestaat-niet/budgets/{YEAR}/report.pdf")
    assert unknown.status_code == 404 and unknown.get_json()["code"] == "council-not-found"
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    documented = paths["/councils/{slug}/budgets/{year}/report.pdf"]["get"]
    assert "application/pdf" in documented["responses"]["200"]["content"]


def test_pdfa_tagged_dutch_with_the_figures_attached(app, client, room: Room, spent):
    content = client.get(url(room)).data
    with pikepdf.open(io.BytesIO(content)) as document:
        assert document.open_metadata().pdfa_status == "3U"
        assert str(document.Root.Lang) == "nl"
        assert "/StructTreeRoot" in document.Root and bool(document.Root.MarkInfo.Marked)
        assert {"H1", "H2", "Table", "TH", "TD", "L"} <= structure_types(document)
        assert str(document.docinfo.Title).startswith(f"Verantwoording begroting {YEAR}")
    name, data = attached_json(content)
    assert name == f"oost-verantwoording-{YEAR}.json"
    assert data["year"] == YEAR and data["total_cents"] == 20_000_000
    groen = next(line for line in data["lines"] if line["code"] == "GROEN")
    assert groen["figures"]["remaining_cents"] == 8_000_000 - 3_234_567
    delivered = next(d for d in groen["decisions"] if d["status"] == "done")
    assert delivered["committed_cents"] == 1_234_567 and delivered["spent_cents"] == 1_234_567
    assert delivered["delivered_on"] == clock.today().isoformat()
    raw = repr(data)
    assert "Geheimstraat" not in raw and "Notaris X" not in raw
    assert spent["secret"]["identifier"] not in raw


def test_the_budget_page_links_the_report(client, room: Room):
    page = client.get(f"/wijkraden/{room.slug}/begroting/{YEAR}").get_data(as_text=True)
    assert f'href="/wijkraden/{room.slug}/begroting/{YEAR}/verantwoording.pdf"' in page


@pytest.fixture
def renders(monkeypatch):
    made: list[int] = []
    real = pdf.render_pdf

    def counted(html, attachment=None, images=None):
        made.append(1)
        return real(html, attachment, images)

    monkeypatch.setattr(pdf, "render_pdf", counted)
    return made


def test_served_again_without_rendering_until_it_changes(client, room: Room, renders):
    decision = adopt(client, room, 1_000_000)["decision"]
    first = client.get(url(room))
    second = client.get(api_url(room))
    assert first.status_code == second.status_code == 200
    assert len(renders) == 1 and second.data == first.data
    etag = first.headers["ETag"]
    assert client.get(url(room), headers={"If-None-Match": etag}).status_code == 304
    assert len(renders) == 1
    progress(client, room, decision["id"], status="done", spent_cents=1_000_000, note="Klaar")
    changed = client.get(url(room), headers={"If-None-Match": etag})
    assert changed.status_code == 200 and len(renders) == 2
    assert "Klaar" in text_of(changed.data)
    assert client.get(url(room)).data == changed.data and len(renders) == 2


def test_the_page_and_the_api_rendering_the_report_at_once_both_succeed(
    app, client, room: Room, renders, monkeypatch
):
    adopt(client, room, 1_000_000)
    barrier = threading.Barrier(2)
    counted = pdf.render_pdf

    def together(html, attachment=None, images=None):
        # Both requests have missed the stored file before either stores its rendering.
        barrier.wait(timeout=30)
        return counted(html, attachment, images)

    monkeypatch.setattr(pdf, "render_pdf", together)
    results: dict[str, tuple[int, str]] = {}

    def fetch(path: str) -> None:
        response = app.test_client().get(path)
        results[path] = (response.status_code, response.headers.get("ETag", ""))

    threads = [threading.Thread(target=fetch, args=(p,)) for p in (url(room), api_url(room))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(status for status, _ in results.values()) == [200, 200]
    assert len(renders) == 2 and len({etag for _, etag in results.values()}) == 1
    with app.app_context():
        rows = list(db.session.scalars(sa.select(RenderedFile)))
        assert [(r.kind, r.subject) for r in rows] == [("budget-report", f"council:oost:{YEAR}")]
    assert client.get(url(room)).status_code == 200 and len(renders) == 2


def test_statements_do_not_grow_with_the_decisions(app, client, room: Room):
    def measured() -> tuple[int, int]:
        with app.app_context():
            db.session.remove()
            with counting(db.engine) as count:
                view = report.budget_report(db.session, room.slug, YEAR)
            return count.total, view.decision_count

    small = adopt(client, room, 100_000)["decision"]
    progress(client, room, small["id"], status="in_progress", spent_cents=1, note="Begonnen")
    few = measured()
    for code in ("GROEN", "SOC", "SOC"):
        more = adopt(client, room, 100_000, code)["decision"]
        progress(client, room, more["id"], status="in_progress", spent_cents=1, note="Een")
        progress(client, room, more["id"], status="done", spent_cents=2, note="Twee")
    many = measured()
    assert (few[1], many[1]) == (1, 4)
    assert few[0] == many[0], (few, many)
