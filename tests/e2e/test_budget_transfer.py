"""A transfer between budget lines proposed in a real browser: the chair fills in the motion
form with a line to move money from, is told a transfer needs two thirds, and submits it;
checked by axe-core on a phone and a desktop."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.helpers import PHONE, api, assert_accessible, login, token_for
from wijkraad import demo

SHOTS = Path("/work/notes/shots-transfer")
CHAIR = "voorzitter@oosterpark.example"


def the_budget_item(base: str) -> int:
    """The item on the demo's meeting ahead where residents ask for money."""
    token = token_for(base, demo.ADMIN_EMAIL)
    slug = api(base, "GET", "/councils", token)[0]["slug"]
    for meeting in api(base, "GET", f"/councils/{slug}/meetings", token):
        if meeting["status"] in ("published", "open"):
            for item in api(base, "GET", f"/meetings/{meeting['id']}", token)["agenda"]:
                if item["title"].startswith("Wijkbudget"):
                    return item["id"]
    raise AssertionError("the demo has no meeting ahead with a budget item")


def fill_transfer(page: Page, title: str) -> None:
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Tekst van het voorstel").fill("Geld van verkeer naar groen.")
    page.get_by_label("Bedrag in euro (optioneel)").fill("1.500,00")
    page.locator("#budget_line_id").select_option(index=1)  # GROEN, the first line
    page.locator("#source_line_id").select_option(index=3)  # VEIL


def test_the_chair_proposes_a_transfer(page: Page, live_server: str):
    item_id = the_budget_item(live_server)
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, CHAIR)
    page.goto(f"{live_server}/agendapunten/{item_id}/voorstellen/nieuw")
    source = page.get_by_label("Van begrotingspost (optioneel)")
    expect(source).to_be_visible()
    expect(page.get_by_text("Verschuiven is een besluit met tweederdemeerderheid")).to_be_visible()
    assert_accessible(page)

    fill_transfer(page, "Geld naar de speeltuin")
    page.get_by_role("button", name="Voorstel indienen").click()
    # a simple majority (the default) is refused, on the requirement
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.get_by_text("kies tweederdemeerderheid").first).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / "form-error-desktop.png"), full_page=True)

    page.get_by_label("Tweederdemeerderheid").check()
    page.get_by_role("button", name="Voorstel indienen").click()
    expect(page.get_by_text("Uw voorstel 'Geld naar de speeltuin' is ingediend.")).to_be_visible()
    expect(page.get_by_text("Verschuift van VEIL").first).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / "meeting-desktop.png"), full_page=True)


def test_the_transfer_form_on_a_phone(browser, live_server: str):
    item_id = the_budget_item(live_server)
    context = browser.new_context(**PHONE)
    page = context.new_page()
    login(page, live_server, CHAIR)
    page.goto(f"{live_server}/agendapunten/{item_id}/voorstellen/nieuw")
    expect(page.get_by_label("Van begrotingspost (optioneel)")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px)"
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / "form-phone.png"), full_page=True)
    context.close()
