"""The projector shows where to vote: the vote page's absolute address as text and as a QR code
drawn on the server as inline SVG, which a QR reader decodes to that same address."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
import segno
import zxingcpp
from PIL import Image, ImageDraw

from tests.conftest import Web, bearer
from wijkraad import clock
from wijkraad.councils.rules import Role

SVG = re.compile(r'<svg role="img"[^>]*class="app-qr".*?</svg>', re.DOTALL)
MOVE = re.compile(r"([MmHhVv])\s*(-?\d+(?:\.\d+)?)(?:\s+(-?\d+(?:\.\d+)?))?")


def svg_to_image(svg: str, scale: int = 8) -> Image.Image:
    """Draws segno's SVG (dark modules as horizontal strokes of width 1 along y + 0.5) as
    pixels, reading only what the markup says: the view box and the path of the strokes."""
    root = ET.fromstring(svg)  # noqa: S314  (our own page)
    ns = {"svg": "http://www.w3.org/2000/svg"}
    _, _, width, height = (int(float(v)) for v in root.attrib["viewBox"].split())
    paths = root.findall("svg:path", ns) or root.findall("path")
    strokes = [p for p in paths if p.get("stroke")]
    assert len(strokes) == 1, svg[:200]
    image = Image.new("L", (width * scale, height * scale), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for command, a, b in MOVE.findall(strokes[0].attrib["d"]):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        elif command == "h":
            top = (y - 0.5) * scale
            draw.rectangle([x * scale, top, (x + float(a)) * scale - 1, top + scale - 1], fill=0)
            x += float(a)
        else:
            raise AssertionError(f"unexpected path command {command}")
    return image


def decoded(svg: str) -> str:
    results = zxingcpp.read_barcodes(svg_to_image(svg))
    assert len(results) == 1, "no QR code found in the SVG"
    assert results[0].format == zxingcpp.BarcodeFormat.QRCode
    return results[0].text


def test_the_decoder_reads_what_segno_draws():
    svg = segno.make("https://example.org/x", error="m").svg_inline(scale=1, omitsize=True)
    assert decoded(svg) == "https://example.org/x"


@pytest.fixture
def meeting_id(app, make, client):
    with app.app_context():
        council = make.council("oost")
        secretary = make.member(council, role=Role.SECRETARY, email="secretaris@oost.example")
        token = make.token(secretary.person.user)

    def call(path: str, json: object = None) -> dict:
        response = client.post(f"/api/v1{path}", json=json, headers=bearer(token))
        assert response.status_code in (200, 201), response.get_json()
        return response.get_json()

    starts_at = (clock.now() + timedelta(days=2)).isoformat()
    made = call(
        "/councils/oost/meetings", {"title": "Raad", "starts_at": starts_at, "location": "Hal"}
    )
    call(f"/meetings/{made['id']}/publish")
    return made["id"]


def projector(client, meeting_id: int) -> str:
    response = client.get(f"/vergaderingen/{meeting_id}/projector")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_projector_shows_the_voting_address_as_text_and_qr_code(
    app, client, meeting_id, monkeypatch
):
    monkeypatch.setitem(app.config, "BASE_URL", "https://wijkraad.groningen.example/")
    html = projector(client, meeting_id)
    address = f"https://wijkraad.groningen.example/vergaderingen/{meeting_id}/stemmen"
    assert f'<p class="app-projector__vote-address">{address}</p>' in html
    svg = SVG.search(html)
    assert svg, "no inline SVG QR code"
    assert f"<title>QR-code van het stemadres {address}</title>" in svg.group(0)
    assert decoded(svg.group(0)) == address
    assert " style=" not in svg.group(0)


def test_without_a_base_url_the_address_is_the_one_asked_on(app, client, meeting_id, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", None)
    html = projector(client, meeting_id)
    svg = SVG.search(html)
    assert svg
    assert decoded(svg.group(0)) == f"http://localhost/vergaderingen/{meeting_id}/stemmen"


def test_a_cancelled_meeting_shows_no_voting_address(app, client, meeting_id):
    web = Web(app.test_client())
    assert web.login("secretaris@oost.example").status_code == 302
    response = web.post_form(
        f"/vergaderingen/{meeting_id}/annuleren",
        {"confirmed": "yes"},
        page=f"/vergaderingen/{meeting_id}",
    )
    assert response.status_code in (302, 303)
    html = projector(client, meeting_id)
    assert not SVG.search(html)
    assert "app-projector__vote-address" not in html
