"""The public record's PDFs and the draws' letters carry the municipality's logo at their head
once one is set, with an alternative text naming the municipality, at most 16 mm high; without
a logo they carry no image. A kept PDF is rendered again when the logo changes or goes, and one
whose logo's file is missing is rendered without it and not kept. Each test runs on SQLite and
PostgreSQL."""

from __future__ import annotations

import io

import pikepdf
import pytest
import sqlalchemy as sa
from PIL import Image

from tests.conftest import bearer
from tests.integration import draws_world
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
from wijkraad.look.models import SiteLook
from wijkraad.publishing import pdf
from wijkraad.publishing.models import RenderedFile

BLUE = (11, 78, 162)
RED = (164, 0, 29)
# WeasyPrint writes a figure's layout box in CSS pixels: 96 to the inch.
PX_PER_MM = 96 / 25.4


def png(colour: tuple[int, int, int], size: tuple[int, int] = (600, 200)) -> bytes:
    """A logo far larger than its place: 600 px is 159 mm at the renderer's 96 px an inch."""
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def set_look(app, name: str = "Gemeente Groningen", **logo) -> None:
    """Saves the look with ``logo=bytes`` or ``remove_logo=True`` (or neither)."""
    with app.app_context():
        version = db.session.scalar(sa.select(SiteLook.version)) or 0
        services.save_look(
            db.session,
            Actor(user_id=None, is_admin=True),
            services.LookData(municipality_name=name),
            seen_version=version,
            now=clock.now(),
            storage=current_storage(),
            **logo,
        )
        db.session.commit()


def images(content: bytes) -> list[tuple[int, int, tuple[int, ...]]]:
    """Each image in the PDF: its width and height in pixels and its first pixel's colour."""
    found = []
    with pikepdf.open(io.BytesIO(content)) as document:
        for obj in document.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
                picture = pikepdf.PdfImage(obj).as_pil_image().convert("RGB")
                found.append((picture.width, picture.height, picture.getpixel((0, 0))))
    return found


def logos(content: bytes) -> list[tuple[str, float, float]]:
    """Each Figure of the PDF's tag tree that is a logo (not a chart): its alternative text and
    its height and width on the page in millimetres (its layout box)."""
    found = []
    with pikepdf.open(io.BytesIO(content)) as document:
        stack = [document.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(node)
            elif isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure" and str(node.get("/Alt", "")).startswith("Logo"):
                    x1, y1, x2, y2 = (float(v) for v in node.A.BBox)
                    found.append(
                        (str(node.get("/Alt", "")), abs(y2 - y1) / PX_PER_MM, (x2 - x1) / PX_PER_MM)
                    )
                if "/K" in node:
                    stack.append(node.K)
    return found


def record_urls(client, room: Room) -> dict[str, str]:
    """A closed meeting with a decision on the budget: the four PDFs of the public record."""
    adopt(client, room, 1_000_000)
    ok(client.post(f"/api/v1/meetings/{room.meeting_id}/close", headers=bearer(room.chair)), 200)
    return {
        "decision list": f"/vergaderingen/{room.meeting_id}/besluitenlijst.pdf",
        "agenda": f"/vergaderingen/{room.meeting_id}/agenda.pdf",
        "year": f"/wijkraden/{room.slug}/besluiten/{YEAR}.pdf",
        "budget report": f"/wijkraden/{room.slug}/begroting/{YEAR}/verantwoording.pdf",
    }


def fetched(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response.mimetype == "application/pdf"
    return response.data


def test_every_record_pdf_carries_the_logo_once_set(app, client, room: Room):
    urls = record_urls(client, room)
    set_look(app)
    for name, url in urls.items():
        assert images(fetched(client, url)) == [], name

    set_look(app, logo=png(BLUE))
    for name, url in urls.items():
        content = fetched(client, url)
        assert images(content) == [(600, 200, BLUE)], name
        [(alt, height, width)] = logos(content)
        assert alt == "Logo van Gemeente Groningen", name
        # At most 16 mm high, its proportions (3:1) kept.
        assert 15.5 < height <= 16.01 and abs(width - 3 * height) < 0.1, (name, height, width)
        flat = " ".join(text_of(content).split())
        assert "Logo van" not in flat  # the alternative text is no text on the page
        with pikepdf.open(io.BytesIO(content)) as document:
            assert document.Root.MarkInfo.Marked  # still tagged
            assert "pdfaid:part" in str(document.open_metadata())  # still PDF/A
    decisions = " ".join(text_of(fetched(client, urls["decision list"])).split())
    assert decisions.startswith("Gemeente Groningen Besluitenlijst")


def test_a_nameless_municipality_gets_a_generic_alternative_text(app, client, room: Room):
    url = record_urls(client, room)["agenda"]
    set_look(app, name="", logo=png(BLUE, (40, 20)))
    content = fetched(client, url)
    [(alt, height, _)] = logos(content)
    assert alt == "Logo van de gemeente"
    assert height < 6  # a small logo keeps its own size: 20 px is 5.3 mm


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


def kept(kind: str) -> RenderedFile:
    return db.session.scalars(sa.select(RenderedFile).where(RenderedFile.kind == kind)).one()


def test_a_kept_pdf_is_rendered_again_when_the_logo_changes(app, client, room: Room, renders):
    url = record_urls(client, room)["decision list"]
    set_look(app, logo=png(BLUE))
    first = client.get(url)
    assert images(first.data)[0][2] == BLUE and len(renders) == 1
    etag = first.headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url).data == first.data and len(renders) == 1
    with app.app_context():
        before = kept("decision-list").digest

    # The same name, another logo: another digest, rendered once again and kept.
    set_look(app, logo=png(RED))
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and len(renders) == 2
    assert changed.headers["ETag"] != etag
    assert images(changed.data)[0][2] == RED
    with app.app_context():
        row = kept("decision-list")
        assert row.digest != before and row.content == changed.data
    assert client.get(url).data == changed.data and len(renders) == 2

    # Saving the look again without a file keeps the logo, and the kept PDF.
    set_look(app)
    assert client.get(url).data == changed.data and len(renders) == 2

    set_look(app, remove_logo=True)
    removed = client.get(url)
    assert len(renders) == 3 and images(removed.data) == []
    assert removed.headers["ETag"] not in (etag, changed.headers["ETag"])


def test_a_logo_whose_file_is_missing_is_left_out_and_the_pdf_not_kept(
    app, client, room: Room, renders
):
    url = record_urls(client, room)["budget report"]
    set_look(app, logo=png(BLUE))
    with app.app_context():
        key = db.session.scalar(sa.select(SiteLook.logo_sha256))
        current_storage().delete(key)
    for expected in (1, 2):
        response = client.get(url)
        assert response.status_code == 200 and images(response.data) == []
        assert "Gemeente Groningen Verantwoording begroting" in " ".join(
            text_of(response.data).split()
        )
        assert len(renders) == expected  # not kept: rendered again once the file is back
    with app.app_context():
        assert db.session.scalars(sa.select(RenderedFile)).all() == []


def test_the_draws_letters_carry_the_logo_on_every_letter(app, client, make, web):
    w = draws_world.world(app, make)
    draw = draws_world.drawn(
        client, w, invite=3, quotas={"district": {d: [1, 1] for d in draws_world.DISTRICTS}}
    )
    web.login("beheer-oost@example.org")
    url = f"/lotingen/{draw['id']}/brieven.pdf"
    assert images(fetched(web.client, url)) == []

    set_look(app, logo=png(BLUE))
    content = fetched(web.client, url)
    assert images(content) == [(600, 200, BLUE)]  # one image, shown on each letter
    shown = logos(content)
    assert len(shown) == 3 and {alt for alt, _, _ in shown} == {"Logo van Gemeente Groningen"}
    assert all(15.5 < height <= 16.01 for _, height, _ in shown)
    assert "Bewoner" in text_of(content)
