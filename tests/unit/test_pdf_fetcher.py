"""The PDF renderer reads nothing but the app's own files for PDFs: ``file://`` and outside URLs
named by a template (or by a text that ended up in one) are refused, and the PDF still renders."""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pikepdf
import pypdf
import pytest

from wijkraad.publishing import letterhead, pdf

LEAK = "GELEKT"


@pytest.fixture
def outside(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """A web server on this machine that would hand out a style sheet and an image, counting
    every request made to it."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            body = f'body::after {{ content: "{LEAK}" }}'.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def text(content: bytes) -> str:
    return "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_file_and_outside_urls_are_refused_and_the_pdf_still_renders(outside, tmp_path):
    base, hits = outside
    evil_css = tmp_path / "evil.css"
    evil_css.write_text(f'body::before {{ content: "{LEAK}" }}')
    html = f"""<!DOCTYPE html><html lang="nl"><head><title>Proef</title>
      <link rel="stylesheet" href="{pdf.STATIC_BASE}document.css">
      <link rel="stylesheet" href="file://{evil_css}">
      <link rel="stylesheet" href="{base}/style.css">
      <link rel="attachment" href="file:///etc/passwd">
      <style>@import url("{base}/imported.css"); h1 {{ background: url("{base}/bg.png") }}</style>
      </head><body><h1>Besluitenlijst</h1>
      <img src="file:///etc/passwd" alt="geheim">
      <img src="{base}/plaatje.png" alt="plaatje">
      <img src="{pdf.STATIC_BASE}../app.css" alt="buiten de map">
      <p>Alleen dit.</p></body></html>"""
    content = pdf.render_pdf(html)
    assert content.startswith(b"%PDF-")
    found = text(content)
    assert "Besluitenlijst" in found and "Alleen dit." in found
    assert LEAK not in found
    assert hits == []
    with pikepdf.open(io.BytesIO(content)) as document:
        assert len(document.attachments) == 0
        assert b"root:" not in b"".join(
            obj.read_bytes() for obj in document.objects if isinstance(obj, pikepdf.Stream)
        )


def test_the_fetcher_serves_the_apps_own_files_by_name_only():
    fetcher = pdf.OwnStaticFiles()
    served = fetcher.fetch(pdf.STATIC_BASE + "document.css")
    assert b"@page" in served.read() and served.content_type == "text/css"
    served.close()
    for refused in [
        "file:///etc/passwd",
        "file://" + str(pdf.STATIC / "document.css"),
        "http://127.0.0.1/document.css",
        "https://wijkraad.invalid/static/app.css",
        pdf.STATIC_BASE + "../app.css",
        pdf.STATIC_BASE + "%2e%2e/app.css",
        pdf.STATIC_BASE + "sub/document.css",
        pdf.STATIC_BASE + "missing.css",
        "data:text/css,body{}",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(refused)


def test_texts_in_the_page_margins_cannot_end_their_string_or_the_style_element():
    value = pdf.css_string('Wijkraad "Oost" \\ </style><img src=x> ö')
    inner = str(value)[1:-1]
    assert '"' not in inner and "<" not in inner and ">" not in inner
    # Every backslash starts a hex escape ended by a space: the backslash itself too.
    assert re.fullmatch(r"(?:[^\\]|\\[0-9a-f]+ )*", inner)
    assert "\\22 Oost\\22 " in inner and "\\5c " in inner and "\\3c \\2f style" in inner
    assert inner.startswith("Wijkraad ") and inner.endswith("ö")
    assert str(pdf.page_counter("pagina %(page)s van %(pages)s")) == (
        '"pagina " counter(page) " van " counter(pages)'
    )


def test_the_fetcher_serves_an_image_it_is_handed_under_exactly_its_address():
    logo = letterhead.Image(b"\x89PNG logo", "image/png")
    fetcher = pdf.OwnStaticFiles(letterhead.images(logo))
    served = fetcher.fetch(letterhead.LOGO_URL)
    assert served.read() == b"\x89PNG logo" and served.content_type == "image/png"
    served.close()
    for refused in [
        letterhead.LOGO_URL + "?v=2",
        letterhead.LOGO_URL + "/",
        letterhead.LOGO_URL + ".png",
        "https://wijkraad.invalid/huisstijl/logo2",
        "http://wijkraad.invalid/huisstijl/logo",
        pdf.STATIC_BASE + "logo",
        "data:image/png;base64,iVBORw0KGgo=",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(refused)
    # Without a logo handed to it, its address is refused like any other.
    assert letterhead.images(None) == {}
    with pytest.raises(ValueError):
        pdf.OwnStaticFiles(letterhead.images(None)).fetch(letterhead.LOGO_URL)
