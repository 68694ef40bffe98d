"""Documents in a real browser: the secretary adds a PDF to an agenda item, a file that is no
PDF is refused in the form, and the meeting page lists the document; checked by axe-core."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.helpers import PHONE, api, assert_accessible, login, token_for
from wijkraad import demo

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def a_public_item(base: str) -> tuple[int, int]:
    """A meeting of the demo that is not over, and its first item that is not confidential."""
    token = token_for(base, demo.ADMIN_EMAIL)
    slug = api(base, "GET", "/councils", token)[0]["slug"]
    for meeting in api(base, "GET", f"/councils/{slug}/meetings", token):
        if meeting["status"] in ("published", "open"):
            agenda = api(base, "GET", f"/meetings/{meeting['id']}", token)["agenda"]
            for item in agenda:
                if not item["is_confidential"]:
                    return meeting["id"], item["id"]
    raise AssertionError("the demo has no meeting ahead with a public item")


def test_a_pdf_is_added_to_an_item_and_listed_on_the_meeting_page(page: Page, live_server: str):
    meeting_id, item_id = a_public_item(live_server)
    login(page, live_server, demo.ADMIN_EMAIL)
    page.goto(f"{live_server}/agendapunten/{item_id}/documenten")
    expect(page.get_by_role("heading", name="Documenten", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Bestand").set_input_files(
        {"name": "nep.pdf", "mimeType": "application/pdf", "buffer": b"<html><body>nep</body>"}
    )
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_text("Dit bestand is geen PDF, PNG, JPEG of WebP").first).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Titel").fill("Raadsvoorstel speeltuin")
    page.get_by_label("Bestand").set_input_files(
        {"name": "voorstel.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_text("Document 'Raadsvoorstel speeltuin' is toegevoegd.")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server}/vergaderingen/{meeting_id}")
    link = page.get_by_role("link", name="Raadsvoorstel speeltuin")
    expect(link).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "voorstel.pdf"


def test_the_documents_page_on_a_phone(browser, live_server: str):
    _, item_id = a_public_item(live_server)
    context = browser.new_context(**PHONE)
    page = context.new_page()
    login(page, live_server, demo.ADMIN_EMAIL)
    page.goto(f"{live_server}/agendapunten/{item_id}/documenten")
    expect(page.get_by_role("button", name="Toevoegen")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px)"
    assert_accessible(page)
    context.close()
