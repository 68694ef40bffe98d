"""What a document may be, by its first bytes; the name it is downloaded under; where its file
is kept."""

from __future__ import annotations

import hashlib
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijkraad import config
from wijkraad.auth.actor import Actor, CouncilSeat
from wijkraad.councils.rules import Role, Seat
from wijkraad.documents import rules
from wijkraad.documents.permissions import (
    can_manage_item_documents,
    can_manage_motion_documents,
)
from wijkraad.documents.rules import MediaType
from wijkraad.documents.storage import LocalStorage


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"%PDF-1.7\n", MediaType.PDF),
        (b"\x89PNG\r\n\x1a\n\x00\x00", MediaType.PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", MediaType.JPEG),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", MediaType.WEBP),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),  # a sound, not an image
        (b" %PDF-1.7", None),  # something before the header
        (b"<html>%PDF-1.4", None),
        (b"MZ\x90\x00", None),  # a Windows program
        (b"PK\x03\x04", None),  # a ZIP (an Office document too)
        (b"GIF89a", None),
        (b"<svg xmlns=", None),  # SVG can carry scripts
        (b"", None),
    ],
)
def test_sniff_knows_only_pdf_png_jpeg_and_webp(head, expected):
    assert rules.sniff(head) is expected


@pytest.mark.parametrize(
    ("given_name", "media_type", "expected"),
    [
        ("Raadsvoorstel.pdf", MediaType.PDF, "Raadsvoorstel.pdf"),
        ("../../etc/passwd", MediaType.PDF, "passwd.pdf"),
        ("C:\\Users\\an\\Kaart Oost.PNG", MediaType.PNG, "Kaart-Oost.png"),
        ("foto.jpeg", MediaType.JPEG, "foto.jpeg"),
        ("foto.exe", MediaType.JPEG, "foto.jpg"),
        ("brief.pdf.html", MediaType.PDF, "brief.pdf.pdf"),
        ("Café rapport.pdf", MediaType.PDF, "Cafe-rapport.pdf"),
        ("", MediaType.WEBP, "document.webp"),
        (None, MediaType.PDF, "document.pdf"),
        ('"; x=.pdf', MediaType.PDF, "x.pdf"),
    ],
)
def test_safe_filename(given_name, media_type, expected):
    assert rules.safe_filename(given_name, media_type) == expected


@given(st.text(max_size=300), st.sampled_from(list(MediaType)))
def test_a_safe_filename_is_plain_short_and_says_what_the_file_is(name, media_type):
    safe = rules.safe_filename(name, media_type)
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", safe)
    assert len(safe) <= rules.FILENAME_MAX
    assert rules.sniff({MediaType.PDF: b"%PDF-"}.get(media_type, b"")) in (media_type, None)
    extension = safe.rsplit(".", 1)[1]
    assert extension == media_type.extension or extension in ("jpeg", "jpe")


def test_a_title_is_the_typed_one_or_the_files_name():
    assert rules.title_from("  Nota   over  de speeltuin ", "x.pdf") == "Nota over de speeltuin"
    assert rules.title_from("", "kaart_oost-2026.png") == "kaart oost 2026"


def test_a_pdf_must_end_as_one():
    assert rules.looks_complete_pdf(b"%PDF-1.4\n...%%EOF\n")
    assert not rules.looks_complete_pdf(b"%PDF-1.4\n...")


COUNCIL = 7


def actor(role: Role | None, membership_id: int = 1, *, admin: bool = False) -> Actor:
    seats = {COUNCIL: CouncilSeat(membership_id, Seat.RESIDENT, role)} if role else {}
    return Actor(user_id=1, is_admin=admin, seats=seats)


@pytest.mark.parametrize(
    ("who", "item", "own_motion", "others_motion"),
    [
        # who, an agenda item's, a motion they submitted, a motion someone else submitted
        (actor(Role.CHAIR), True, True, True),
        (actor(Role.SECRETARY), True, True, False),
        (actor(Role.MEMBER), False, True, False),
        (actor(None, admin=True), True, True, True),
        (actor(None), False, False, False),
    ],
)
def test_who_manages_documents(who, item, own_motion, others_motion):
    assert can_manage_item_documents(who, COUNCIL) is item
    own = 1 if who.seats else None
    assert can_manage_motion_documents(who, COUNCIL, submitted_by_id=own) is own_motion
    assert can_manage_motion_documents(who, COUNCIL, submitted_by_id=2) is others_motion
    assert can_manage_motion_documents(who, COUNCIL, submitted_by_id=None) is others_motion


def test_local_storage_keeps_a_file_by_its_digest(tmp_path):
    storage = LocalStorage(tmp_path)
    data = b"%PDF-1.4 x %%EOF"
    key = hashlib.sha256(data).hexdigest()
    storage.put(key, data)
    storage.put(key, data)  # the same file again: still one
    with storage.open(key) as stream:
        assert stream.read() == data
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [key]
    storage.delete(key)
    storage.delete(key)
    with pytest.raises(FileNotFoundError):
        storage.open(key)
    with pytest.raises(ValueError):
        storage.put("../../secret", data)


def test_the_document_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("WIJKRAAD_MAX_DOCUMENT_MB", "5")
    monkeypatch.setenv("WIJKRAAD_DOCUMENTS_DIR", str(tmp_path / "docs"))
    loaded = config.from_environment(tmp_path)
    assert loaded["MAX_DOCUMENT_MB"] == 5 and loaded["DOCUMENTS_DIR"] == str(tmp_path / "docs")
    assert config.Defaults.MAX_DOCUMENT_MB == 20 and config.Defaults.DOCUMENT_STORAGE == "local"
    monkeypatch.setenv("WIJKRAAD_MAX_DOCUMENT_MB", "0")
    with pytest.raises(ValueError):
        config.from_environment(tmp_path)
