"""Documents on agenda items and motions, as their users meet them: the secretary adds a PDF
through the page, the API adds and lists them, what is not a PDF or an image is refused
whatever its name, a file too large is refused with a clear answer, a confidential item's
documents are seen by no one outside the council on any surface, and two uploads of the same
file at once keep one."""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from pypdf import PdfReader

from tests.conftest import Web, bearer, csrf_from
from wijkraad import clock
from wijkraad.audit import AuditEvent
from wijkraad.auth.actor import Actor
from wijkraad.councils.rules import Role, Seat
from wijkraad.documents.models import Document
from wijkraad.extensions import db
from wijkraad.meetings import services as meetings
from wijkraad.meetings.models import Meeting

ADMIN = Actor(is_admin=True)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
HTML_AS_PDF = b"<!doctype html><html><body><script>alert(1)</script>%PDF-1.4</body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def image(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(out, kind)
    return out.getvalue()


@dataclass
class Council:
    app: Flask
    meeting_id: int
    item_id: int  # public
    secret_id: int  # confidential
    tokens: dict[str, str] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)

    def web(self, who: str | None = None) -> Web:
        web = Web(self.app.test_client())  # each its own browser
        if who is not None:
            assert web.login(self.emails[who]).status_code == 302
        return web

    def api(self, who: str | None = None) -> dict[str, str]:
        return bearer(self.tokens[who]) if who else {}


@pytest.fixture
def storage_dir(app, tmp_path, monkeypatch) -> Path:
    monkeypatch.setitem(app.config, "DOCUMENTS_DIR", str(tmp_path / "documents"))
    return tmp_path / "documents"


@pytest.fixture
def oost(app, make, storage_dir) -> Council:
    with app.app_context():
        council = make.council("oost", residents=5, councillors=2)
        roles = {"chair": Role.CHAIR, "secretary": Role.SECRETARY, "member": Role.MEMBER}
        people = {}
        for who in ("chair", "secretary", "member", "other"):
            people[who] = make.member(
                council, role=roles.get(who, Role.MEMBER), email=f"{who}@example.org"
            )
        make.member(council, seat=Seat.COUNCILLOR, email="raadslid@example.org")
        meeting = meetings.create_meeting(
            db.session,
            make.admin_actor,
            council,
            title="Wijkraadvergadering",
            starts_at=clock.now() + timedelta(days=3),
            location="Buurthuis",
        )
        item = meetings.add_item(db.session, make.admin_actor, meeting, title="Speeltuin")
        secret = meetings.add_item(
            db.session, make.admin_actor, meeting, title="Personeel", is_confidential=True
        )
        meetings.publish(db.session, make.admin_actor, meeting, clock.now())
        db.session.commit()
        out = Council(app, meeting.id, item.id, secret.id)
        for who, membership in people.items():
            out.emails[who] = f"{who}@example.org"
            out.tokens[who] = make.token(membership.person.user)
    return out


def upload_page(web: Web, url: str, data: bytes, name: str, title: str = "") -> object:
    html = web.get(url).get_data(as_text=True)
    return web.client.post(
        url,
        data={"csrf_token": csrf_from(html), "title": title, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def upload_api(client: FlaskClient, headers: dict, url: str, data: bytes, name: str, **form):
    return client.post(
        url,
        data={**form, "file": (io.BytesIO(data), name)},
        headers=headers,
        content_type="multipart/form-data",
    )


def rows(app: Flask) -> list[Document]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Document).order_by(Document.id)))


def stored(storage_dir: Path) -> list[Path]:
    return sorted(p for p in storage_dir.rglob("*") if p.is_file()) if storage_dir.exists() else []


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# --------------------------------------------------------------------------------- the pages


def test_secretary_adds_a_pdf_on_the_page_and_the_public_downloads_it(oost, storage_dir):
    secretary = oost.web("secretary")
    url = f"/agendapunten/{oost.item_id}/documenten"
    response = upload_page(secretary, url, PDF, "../Raads voorstel (def).PDF", "Raadsvoorstel")
    assert response.status_code == 303, response.get_data(as_text=True)[:400]
    [document] = rows(oost.app)
    assert (document.title, document.filename) == ("Raadsvoorstel", "Raads-voorstel-def.pdf")
    assert document.media_type.value == "application/pdf" and document.size_bytes == len(PDF)
    assert [p.name for p in stored(storage_dir)] == [document.sha256]

    page = oost.web().get(f"/vergaderingen/{oost.meeting_id}").get_data(as_text=True)
    href = f"/documenten/{document.id}/Raads-voorstel-def.pdf"
    assert href in page and "Raadsvoorstel" in page
    download = oost.web().get(href)
    assert download.status_code == 200 and download.data == PDF
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert "Raads-voorstel-def.pdf" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in download.headers["Content-Security-Policy"]
    assert "sandbox" in download.headers["Content-Security-Policy"]
    # Another name in the address leads to the right one.
    assert oost.web().get(f"/documenten/{document.id}/x.html").status_code == 302
    with oost.app.app_context():
        [event] = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "document.upload")
        ).all()
        assert event.subject_id == document.id and event.data["sha256"] == document.sha256


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (HTML_AS_PDF, "voorstel.pdf"),  # an HTML page named as a PDF
        (EXE, "kaart.png"),  # a program named as an image
        (EXE, "setup.exe"),
        (b"\x89PNG\r\n\x1a\n" + b"not really" * 20, "plattegrond.png"),  # a PNG header only
        (PDF[:-7], "afgebroken.pdf"),  # a PDF cut short
        (b"", "leeg.pdf"),
    ],
)
def test_what_is_no_pdf_or_image_is_refused_on_the_page(oost, storage_dir, data, name):
    secretary = oost.web("secretary")
    response = upload_page(secretary, f"/agendapunten/{oost.item_id}/documenten", data, name)
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert rows(oost.app) == [] and stored(storage_dir) == []


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "WEBP"])
def test_images_are_taken_by_their_content_whatever_their_name(oost, kind):
    response = upload_api(
        oost.app.test_client(),
        oost.api("secretary"),
        f"/api/v1/agenda-items/{oost.item_id}/documents",
        image(kind),
        "scan.pdf",
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["media_type"] == f"image/{kind.lower()}"
    assert body["filename"] == "scan." + {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}[kind]
    assert body["title"] == "scan"


def test_a_file_too_large_is_refused_with_its_limit(oost, storage_dir, monkeypatch):
    monkeypatch.setitem(oost.app.config, "MAX_DOCUMENT_MB", 1)
    secretary = oost.web("secretary")
    url = f"/agendapunten/{oost.item_id}/documenten"
    just_over = PDF[:-6] + b" " * (1024 * 1024) + b"%%EOF\n"
    response = upload_page(secretary, url, just_over, "groot.pdf")
    assert response.status_code == 422 and "1 MB" in response.get_data(as_text=True)
    far_over = PDF[:-6] + b" " * (3 * 1024 * 1024) + b"%%EOF\n"
    response = upload_page(secretary, url, far_over, "groter.pdf")
    assert response.status_code == 413 and "1 MB" in response.get_data(as_text=True)
    api = upload_api(
        oost.app.test_client(),
        oost.api("secretary"),
        f"/api/v1/agenda-items/{oost.item_id}/documents",
        far_over,
        "groter.pdf",
    )
    assert api.status_code == 413 and api.mimetype == "application/problem+json"
    assert api.get_json()["code"] == "document-too-large"
    assert rows(oost.app) == [] and stored(storage_dir) == []
    # Every other request keeps the ordinary limit.
    big_form = oost.web("secretary").client.post("/aanmelden", data={"email": "x" * 2_000_000})
    assert big_form.status_code == 413


def test_the_secretary_removes_a_document_and_its_file_goes(oost, storage_dir):
    client = oost.app.test_client()
    made = upload_api(
        client,
        oost.api("secretary"),
        f"/api/v1/agenda-items/{oost.item_id}/documents",
        PDF,
        "a.pdf",
    ).get_json()
    secretary = oost.web("secretary")
    page = secretary.get(f"/agendapunten/{oost.item_id}/documenten").get_data(as_text=True)
    assert f"/documenten/{made['id']}/verwijderen" in page
    member = oost.web("member")
    refused = member.client.post(
        f"/documenten/{made['id']}/verwijderen",
        data={"csrf_token": csrf_from(member.get("/").get_data(as_text=True))},
    )
    assert refused.status_code == 403 and len(rows(oost.app)) == 1
    response = secretary.client.post(
        f"/documenten/{made['id']}/verwijderen", data={"csrf_token": csrf_from(page)}
    )
    assert response.status_code == 303
    assert rows(oost.app) == [] and stored(storage_dir) == []
    assert oost.web().get(f"/documenten/{made['id']}/a.pdf").status_code == 404


def test_the_api_removes_a_document_for_who_may_add_it(oost, storage_dir):
    client = oost.app.test_client()
    url = f"/api/v1/agenda-items/{oost.item_id}/documents"
    made = upload_api(client, oost.api("secretary"), url, PDF, "a.pdf").get_json()
    assert client.delete(f"/api/v1/documents/{made['id']}").status_code == 401
    refused = client.delete(f"/api/v1/documents/{made['id']}", headers=oost.api("member"))
    assert refused.status_code == 403 and len(rows(oost.app)) == 1
    gone = client.delete(f"/api/v1/documents/{made['id']}", headers=oost.api("chair"))
    assert gone.status_code == 200 and gone.get_json() == made
    assert rows(oost.app) == [] and stored(storage_dir) == []
    assert client.get(f"/api/v1/documents/{made['id']}").status_code == 404
    with oost.app.app_context():
        actions = db.session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.subject_type == "documents")
        ).all()
    assert actions == ["document.upload", "document.remove"]


def test_a_members_page_offers_no_upload_and_refuses_one(oost):
    member = oost.web("member")
    page = member.get(f"/vergaderingen/{oost.meeting_id}").get_data(as_text=True)
    assert f"/agendapunten/{oost.item_id}/documenten" not in page
    assert member.get(f"/agendapunten/{oost.item_id}/documenten").status_code == 403
    secretary_page = oost.web("secretary").get(f"/vergaderingen/{oost.meeting_id}")
    assert f"/agendapunten/{oost.item_id}/documenten" in secretary_page.get_data(as_text=True)


# ----------------------------------------------------------------------------------- the API


def test_the_api_adds_lists_describes_and_downloads(oost):
    client = oost.app.test_client()
    url = f"/api/v1/agenda-items/{oost.item_id}/documents"
    made = upload_api(client, oost.api("secretary"), url, PDF, "nota.pdf", title="Nota")
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert body["title"] == "Nota" and body["agenda_item_id"] == oost.item_id
    assert body["download_url"] == f"/api/v1/documents/{body['id']}/content"
    upload_api(client, oost.api("chair"), url, image("PNG"), "kaart.png")

    listed = client.get(url + "?per_page=1")
    assert listed.status_code == 200 and listed.headers["X-Total-Count"] == "2"
    assert [d["title"] for d in listed.get_json()] == ["Nota"]
    assert 'rel="next"' in listed.headers["Link"]
    assert client.get(f"/api/v1/documents/{body['id']}").get_json() == body
    content = client.get(body["download_url"])
    assert content.status_code == 200 and content.data == PDF
    assert content.headers["X-Content-Type-Options"] == "nosniff"
    again = client.get(body["download_url"], headers={"If-None-Match": f'"{body["sha256"]}"'})
    assert again.status_code == 304


@pytest.mark.parametrize(
    ("data", "name", "status", "code"),
    [
        (HTML_AS_PDF, "voorstel.pdf", 422, "document-type"),
        (EXE, "kaart.jpg", 422, "document-type"),
        (b"\xff\xd8\xff" + b"garbage" * 10, "foto.jpg", 422, "document-damaged"),
        (b"", "leeg.pdf", 422, "document-file-required"),
    ],
)
def test_the_api_refuses_what_is_not_a_document(oost, data, name, status, code):
    response = upload_api(
        oost.app.test_client(),
        oost.api("secretary"),
        f"/api/v1/agenda-items/{oost.item_id}/documents",
        data,
        name,
    )
    assert response.status_code == status and response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == code
    assert response.get_json()["errors"][0]["field"] == "file"


def test_the_api_refusals(oost):
    client = oost.app.test_client()
    url = f"/api/v1/agenda-items/{oost.item_id}/documents"
    assert upload_api(client, {}, url, PDF, "a.pdf").status_code == 401
    assert upload_api(client, oost.api("member"), url, PDF, "a.pdf").status_code == 403
    json = client.post(url, json={"file": "x"}, headers=oost.api("secretary"))
    assert json.status_code == 415 and json.get_json()["code"] == "multipart-required"
    assert upload_api(client, oost.api("secretary"), url, PDF, "a.pdf").status_code == 201
    twice = upload_api(client, oost.api("secretary"), url, PDF, "b.pdf")
    assert twice.status_code == 409 and twice.get_json()["code"] == "document-exists"
    assert client.get("/api/v1/documents/999999").status_code == 404
    assert client.get("/api/v1/agenda-items/999999/documents").status_code == 404


def test_a_motions_documents_are_its_submitters_and_the_chairs(oost):
    client = oost.app.test_client()
    motion = client.post(
        f"/api/v1/agenda-items/{oost.item_id}/motions",
        json={"title": "Meer bankjes", "text": "De wijkraad besluit tot bankjes."},
        headers=oost.api("member"),
    )
    assert motion.status_code == 201, motion.get_json()
    url = f"/api/v1/motions/{motion.get_json()['id']}/documents"
    assert upload_api(client, oost.api("member"), url, PDF, "onderbouwing.pdf").status_code == 201
    assert upload_api(client, oost.api("other"), url, image("PNG"), "x.png").status_code == 403
    assert upload_api(client, oost.api("secretary"), url, image("PNG"), "x.png").status_code == 403
    assert upload_api(client, oost.api("chair"), url, image("PNG"), "x.png").status_code == 201
    listed = client.get(url).get_json()
    assert [d["filename"] for d in listed] == ["onderbouwing.pdf", "x.png"]
    page = oost.web().get(f"/vergaderingen/{oost.meeting_id}").get_data(as_text=True)
    assert f"/documenten/{listed[0]['id']}/onderbouwing.pdf" in page
    # The submitter adds one through the motion's page too.
    added = upload_page(
        oost.web("member"),
        f"/voorstellen/{motion.get_json()['id']}/documenten",
        image("JPEG"),
        "foto.jpg",
        "Foto van de plek",
    )
    assert added.status_code == 303
    assert [d["title"] for d in client.get(url).get_json()][-1] == "Foto van de plek"
    assert (
        oost.web("other").get(f"/voorstellen/{motion.get_json()['id']}/documenten").status_code
        == 403
    )
    member_page = oost.web("member").get(f"/vergaderingen/{oost.meeting_id}")
    assert f"/voorstellen/{motion.get_json()['id']}/documenten" in member_page.get_data(
        as_text=True
    )


def test_nothing_is_added_or_removed_once_the_meeting_is_over(oost):
    client = oost.app.test_client()
    url = f"/api/v1/agenda-items/{oost.item_id}/documents"
    made = upload_api(client, oost.api("secretary"), url, PDF, "a.pdf").get_json()
    with oost.app.app_context():
        meeting = db.session.get(Meeting, oost.meeting_id)
        meetings.cancel(db.session, ADMIN, meeting, clock.now())
        db.session.commit()
    late = upload_api(client, oost.api("secretary"), url, image("PNG"), "b.png")
    assert late.status_code == 409 and late.get_json()["code"] == "document-meeting-finished"
    gone = client.delete(f"/api/v1/documents/{made['id']}", headers=oost.api("secretary"))
    assert gone.status_code == 409 and gone.get_json()["code"] == "document-meeting-finished"
    assert client.get(f"/api/v1/documents/{made['id']}").status_code == 200


# ------------------------------------------------------------------------------ visibility


def test_a_confidential_items_documents_are_seen_by_no_one_outside_the_council(oost):
    client = oost.app.test_client()
    public = upload_api(
        client,
        oost.api("secretary"),
        f"/api/v1/agenda-items/{oost.item_id}/documents",
        PDF,
        "openbaar.pdf",
        title="Openbare nota",
    ).get_json()
    secret = upload_api(
        client,
        oost.api("secretary"),
        f"/api/v1/agenda-items/{oost.secret_id}/documents",
        image("PNG"),
        "geheim.png",
        title="Geheime beoordeling",
    ).get_json()
    assert secret["id"]

    anonymous = oost.web()
    page = anonymous.get(f"/vergaderingen/{oost.meeting_id}").get_data(as_text=True)
    assert "Openbare nota" in page
    assert "Geheime beoordeling" not in page and "geheim.png" not in page
    assert anonymous.get(f"/documenten/{secret['id']}/geheim.png").status_code == 404
    assert anonymous.get(f"/agendapunten/{oost.secret_id}/documenten").status_code in (302, 404)
    assert client.get(f"/api/v1/agenda-items/{oost.secret_id}/documents").status_code == 404
    assert client.get(f"/api/v1/documents/{secret['id']}").status_code == 404
    assert client.get(f"/api/v1/documents/{secret['id']}/content").status_code == 404
    meeting = client.get(f"/api/v1/meetings/{oost.meeting_id}").get_data(as_text=True)
    assert "Geheime beoordeling" not in meeting
    agenda = client.get(f"/vergaderingen/{oost.meeting_id}/agenda.pdf")
    assert agenda.status_code == 200
    text = pdf_text(agenda.data)
    assert "Openbare nota" in text and "Geheime beoordeling" not in text
    assert public["id"]

    # Members of the council see it, on the page and through the API.
    member = oost.web("member")
    assert "Geheime beoordeling" in member.get(f"/vergaderingen/{oost.meeting_id}").get_data(
        as_text=True
    )
    assert member.get(f"/documenten/{secret['id']}/geheim.png").status_code == 200
    seen = client.get(f"/api/v1/documents/{secret['id']}", headers=oost.api("other"))
    assert seen.status_code == 200


def test_a_draft_meetings_documents_are_for_who_prepares_it(oost, make):
    with oost.app.app_context():
        meeting = db.session.get(Meeting, oost.meeting_id)
        draft = meetings.create_meeting(
            db.session,
            ADMIN,
            meeting.council,
            title="Concept",
            starts_at=clock.now() + timedelta(days=30),
            location="Buurthuis",
        )
        item = meetings.add_item(db.session, ADMIN, draft, title="Begroting")
        db.session.commit()
        item_id = item.id
    client = oost.app.test_client()
    made = upload_api(
        client,
        oost.api("secretary"),
        f"/api/v1/agenda-items/{item_id}/documents",
        PDF,
        "begroting.pdf",
    ).get_json()
    for headers in ({}, oost.api("member")):
        assert client.get(f"/api/v1/documents/{made['id']}", headers=headers).status_code == 404
        assert (
            client.get(f"/api/v1/documents/{made['id']}/content", headers=headers).status_code
            == 404
        )
    assert oost.web("member").get(f"/documenten/{made['id']}/begroting.pdf").status_code == 404
    assert oost.web("secretary").get(f"/documenten/{made['id']}/begroting.pdf").status_code == 200


# ------------------------------------------------------------------------------ at once


def test_two_uploads_of_the_same_file_at_once_keep_one(oost, storage_dir):
    url = f"/api/v1/agenda-items/{oost.item_id}/documents"
    clients = [oost.app.test_client(), oost.app.test_client()]
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def run(i: int) -> None:
        barrier.wait(timeout=30)
        results[i] = upload_api(clients[i], oost.api("secretary"), url, PDF, f"{i}.pdf")

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(r.status_code for r in results) == [201, 409], [r.get_json() for r in results]
    [document] = rows(oost.app)
    assert [p.name for p in stored(storage_dir)] == [document.sha256]
    assert oost.app.test_client().get(f"/api/v1/documents/{document.id}/content").data == PDF
