"""A PDF of the public record is rendered once and served again until what it shows changes:
the stored file is kept under its digest; a second request, or a conditional one, renders
nothing; a changed explanation (or a changed renderer) renders again and replaces the row; two
requests rendering the same list at once both succeed, leaving one row."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from tests.integration.pdf_record import close, text_of
from tests.record_world import build_record
from wijkraad.extensions import db
from wijkraad.publishing import pdf
from wijkraad.publishing.models import RenderedFile
from wijkraad.voting.models import Decision


@pytest.fixture
def record(app):
    with app.app_context():
        built = build_record(db.session, public=2)
        close(built)
        return built


@pytest.fixture
def renders(monkeypatch):
    """Counts the PDFs made (the one function that makes them)."""
    made: list[int] = []
    real = pdf.render_pdf

    def counted(html, attachment=None, images=None):
        made.append(1)
        return real(html, attachment, images)

    monkeypatch.setattr(pdf, "render_pdf", counted)
    return made


def url(record) -> str:
    return f"/vergaderingen/{record.meeting_id}/besluitenlijst.pdf"


def stored() -> list[RenderedFile]:
    return list(db.session.scalars(sa.select(RenderedFile)))


def test_served_again_without_rendering_until_the_content_changes(
    app, record, renders, monkeypatch
):
    client = app.test_client()
    first = client.get(url(record))
    second = client.get(url(record))
    assert first.status_code == second.status_code == 200
    assert len(renders) == 1
    assert second.data == first.data and second.headers["ETag"] == first.headers["ETag"]

    unchanged = client.get(url(record), headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304 and unchanged.data == b""
    assert unchanged.headers["ETag"] == first.headers["ETag"]
    assert len(renders) == 1

    with app.app_context():
        db.session.execute(
            sa.update(Decision)
            .where(Decision.id == record.public[0])
            .values(explanation="De bankjes komen bij de vijver.")
        )
        db.session.commit()
    changed = client.get(url(record), headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and len(renders) == 2
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert "De bankjes komen bij de vijver." in text_of(changed.data)
    assert client.get(url(record)).data == changed.data and len(renders) == 2
    with app.app_context():
        rows = stored()
        assert len(rows) == 1
        assert (rows[0].kind, rows[0].subject) == ("decision-list", f"meeting:{record.meeting_id}")
        assert f'"{rows[0].digest}"' == changed.headers["ETag"]
        assert rows[0].content == changed.data

    # Another renderer (a template, a style, an option) renders again as well.
    monkeypatch.setattr(pdf, "RENDERING", "another")
    pdf.fingerprint.cache_clear()
    try:
        assert client.get(url(record)).headers["ETag"] != changed.headers["ETag"]
        assert len(renders) == 3
    finally:
        monkeypatch.undo()
        pdf.fingerprint.cache_clear()


def test_each_document_is_kept_under_its_own_key(app, record, renders):
    client = app.test_client()
    client.get(url(record))
    client.get(f"/vergaderingen/{record.meeting_id}/agenda.pdf")
    with app.app_context():
        year = db.session.get(Decision, record.public[0]).year
    client.get(f"/wijkraden/{record.slug}/besluiten/{year}.pdf")
    client.get(f"/wijkraden/{record.slug}/besluiten/{year}.pdf")
    assert len(renders) == 3
    with app.app_context():
        keys = sorted((r.kind, r.subject) for r in stored())
    assert keys == [
        ("agenda", f"meeting:{record.meeting_id}"),
        ("annual-decision-list", f"council:{record.slug}:{year}"),
        ("decision-list", f"meeting:{record.meeting_id}"),
    ]


def test_two_requests_rendering_the_same_list_at_once_both_succeed(
    app, record, renders, monkeypatch
):
    barrier = threading.Barrier(2)
    counted = pdf.render_pdf

    def together(html, attachment=None, images=None):
        # Both requests have missed the stored file before either stores its rendering.
        barrier.wait(timeout=30)
        return counted(html, attachment, images)

    monkeypatch.setattr(pdf, "render_pdf", together)
    results: dict[int, tuple[int, bytes, str]] = {}

    def fetch(index: int) -> None:
        response = app.test_client().get(url(record))
        results[index] = (response.status_code, response.data, response.headers.get("ETag", ""))

    threads = [threading.Thread(target=fetch, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(status for status, _, _ in results.values()) == [200, 200]
    assert len(renders) == 2
    etags = {etag for _, _, etag in results.values()}
    assert len(etags) == 1
    for _, content, _ in results.values():
        assert "Bankjes in het park 1" in text_of(content)
    with app.app_context():
        rows = stored()
        assert len(rows) == 1 and f'"{rows[0].digest}"' in etags
    # And the next request is served what one of them stored.
    assert app.test_client().get(url(record)).status_code == 200
    assert len(renders) == 2
