"""Draws by lot in a real browser: an administrator creates a draw, uploads the pool,
announces, enters the seed, prints the letters; a resident answers with the code on the
letter and becomes a member; the public page shows the record and one's own position. Every
page is checked by axe-core, on a desktop and on a phone; screenshots go to
``WIJKRAAD_SHOTS`` when it is set."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.e2e.helpers import PHONE, api, assert_accessible, login, token_for
from wijkraad import demo

SHOTS = os.environ.get("WIJKRAAD_SHOTS")
CODE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")
DISTRICTS = ("noord", "zuid", "oost")


def pool() -> bytes:
    lines = ["person_ref,birth_date,postcode,name,address,wijk"]
    for n in range(40):
        born = "2015-05-05" if n < 3 else f"{1950 + n}-03-0{1 + n % 9}"
        lines.append(f"P{n:04d},{born},9712 A{n % 10},Inwoner {n},Straat {n},{DISTRICTS[n % 3]}")
    return ("\n".join(lines) + "\n").encode()


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def a_council(base: str) -> str:
    token = token_for(base, demo.ADMIN_EMAIL)
    body = {
        "slug": "loting-e2e",
        "name": "Wijkraad Loting",
        "municipality": "Groningen",
        "resident_seats": 5,
        "councillor_seats": 2,
    }
    existing = [c["slug"] for c in api(base, "GET", "/councils", token)]
    if body["slug"] not in existing:
        api(base, "POST", "/councils", token, body)
    return body["slug"]


def test_an_administrator_runs_a_draw_and_a_resident_answers(page: Page, live_server: str):
    slug = a_council(live_server)
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, demo.ADMIN_EMAIL)
    page.goto(f"{live_server}/wijkraden/{slug}/lotingen")
    expect(page.get_by_role("heading", name="Lotingen", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Aantal uit te nodigen").fill("4")
    page.get_by_label("Datum van de loting").fill("2026-12-01")
    page.get_by_label("Quota (optioneel)").fill("wijk noord 1 2\nwijk zuid 1 2\nwijk oost 1 2")
    shot(page, "draws-new-desktop")
    page.get_by_role("button", name="Loting maken").click()

    expect(page.get_by_role("heading", name=re.compile("Loting \\d+ voor"))).to_be_visible()
    draw_id = int(page.url.rstrip("/").split("/")[-2])
    page.get_by_role("button", name="Inlezen").click()
    expect(page.get_by_text("Kies een bestand.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Bestand met inwoners (CSV)").set_input_files(
        {"name": "pool.csv", "mimeType": "text/csv", "buffer": b"naam,geboren\nx,y\n"}
    )
    page.get_by_role("button", name="Inlezen").click()
    expect(page.get_by_text("regel 1").first).to_be_visible()
    page.get_by_label("Bestand met inwoners (CSV)").set_input_files(
        {"name": "pool.csv", "mimeType": "text/csv", "buffer": pool()}
    )
    page.get_by_role("button", name="Inlezen").click()
    expect(page.get_by_text("40 inwoners, van wie 37 mogen worden geloot").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Bron van de seed").fill("Dobbelstenen in de vergadering van 8 december")
    page.get_by_role("button", name="Aankondigen").click()
    expect(page.get_by_text("De loting is aangekondigd.")).to_be_visible()
    page.get_by_label("Seed", exact=True).fill("6 2 5 1 3 4")
    page.get_by_role("button", name="Loten").click()
    expect(page.get_by_text("Er is geloot")).to_be_visible()
    expect(page.get_by_role("cell", name="uitgenodigd").first).to_be_visible()
    expect(page.get_by_role("heading", name="Reservelijst")).to_be_visible()
    expect(page.get_by_text("Nog 33 inwoners op de lijst.")).to_be_visible()
    assert_accessible(page)
    shot(page, "draws-manage-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page)
    shot(page, "draws-manage-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    letters = page.request.get(f"{live_server}/lotingen/{draw_id}/brieven.pdf")
    assert letters.ok and letters.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(letters.body()))
    assert len(reader.pages) == 4
    code = CODE.search(reader.pages[0].extract_text()).group(0)

    # The resident, not logged in, on a phone.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/loting/antwoord")
    assert_accessible(page)
    page.get_by_label("Code uit uw brief").fill("AAAA-AAAA-AAAA-AAAA")
    page.get_by_label("Ja, ik doe mee").check()
    page.get_by_label("Uw e-mailadres (als u meedoet)").fill("bewoner.e2e@example.org")
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.get_by_text("Deze code kennen we niet").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code uit uw brief").fill(code.lower())
    page.get_by_label("Ja, ik doe mee").check()
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.get_by_text("U doet mee")).to_be_visible()
    assert_accessible(page)
    shot(page, "draws-reply-phone")

    token = token_for(live_server, demo.ADMIN_EMAIL)
    members = api(live_server, "GET", f"/councils/{slug}", token)["members"]
    assert [m["seat"] for m in members] == ["resident"]
    invitations = api(live_server, "GET", f"/draws/{draw_id}/invitations", token)
    assert [i["status"] for i in invitations].count("accepted") == 1

    # The public page: the record, and one's own place by the code.
    page.goto(f"{live_server}/lotingen/{draw_id}")
    expect(page.get_by_role("heading", name="Verdeling over de groepen")).to_be_visible()
    assert "Inwoner 1" not in page.content() and "P000" not in page.content()
    assert_accessible(page)
    shot(page, "draws-public-phone")
    page.get_by_label("Code uit uw brief").fill(code)
    page.get_by_role("button", name="Nagaan").click()
    expect(page.get_by_text("U bent uitgenodigd.")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, "draws-public-desktop")


def test_the_draw_pages_on_a_phone(browser, live_server: str):
    slug = a_council(live_server)
    context = browser.new_context(**PHONE)
    page = context.new_page()
    login(page, live_server, demo.ADMIN_EMAIL)
    page.goto(f"{live_server}/wijkraden/{slug}/lotingen")
    assert_accessible(page)
    shot(page, "draws-council-phone")
    page.goto(f"{live_server}/wijkraden/{slug}/wijkpanel")
    page.get_by_label("Beoogde omvang van het wijkpanel").fill("400")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("0 van de beoogde 400 leden.")).to_be_visible()
    assert_accessible(page)
    shot(page, "draws-panel-phone")
    context.close()


def test_a_panel_draw_fills_the_panel_and_a_membership_ends(page: Page, live_server: str):
    """The resident panel from a panel draw in the browser: upload, announce, seed, a reply
    recorded by the administrator, the member on the panel page, their membership ended."""
    slug = a_council(live_server)
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, demo.ADMIN_EMAIL)
    page.goto(f"{live_server}/wijkraden/{slug}/wijkpanel")
    page.get_by_label("Beoogde omvang van het wijkpanel").fill("3")
    page.get_by_role("button", name="Opslaan").click()
    page.goto(f"{live_server}/wijkraden/{slug}/lotingen")
    page.get_by_label("Doel").select_option("panel")
    page.get_by_label("Aantal uit te nodigen").fill("3")
    page.get_by_label("Datum van de loting").fill("2026-12-01")
    page.get_by_role("button", name="Loting maken").click()
    expect(page.get_by_role("heading", name=re.compile("Loting \\d+ voor"))).to_be_visible()
    page.get_by_label("Bestand met inwoners (CSV)").set_input_files(
        {"name": "pool.csv", "mimeType": "text/csv", "buffer": pool()}
    )
    page.get_by_role("button", name="Inlezen").click()
    expect(page.get_by_text("40 inwoners, van wie 37 mogen worden geloot").first).to_be_visible()
    page.get_by_label("Bron van de seed").fill("Staatsloterij, trekking van 10 december")
    page.get_by_role("button", name="Aankondigen").click()
    page.get_by_label("Seed", exact=True).fill("11 22 33 44 55 66")
    page.get_by_role("button", name="Loten").click()
    expect(page.get_by_text("Er is geloot")).to_be_visible()
    first = page.locator("form.app-reply-form").first
    first.get_by_label(re.compile("Antwoord van")).select_option("accepted")
    first.get_by_label("E-mailadres (bij aannemen)").fill("panel.e2e@example.org")
    first.get_by_role("button", name=re.compile("Vastleggen")).click()
    expect(page.get_by_role("cell", name="aangenomen").first).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server}/wijkraden/{slug}/wijkpanel")
    expect(page.get_by_text("1 van de beoogde 3 leden.")).to_be_visible()
    expect(page.get_by_text("Vul het panel aan met een loting voor het wijkpanel.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(re.compile("Reden om het lidmaatschap van .* te beëindigen")).fill("verhuisd")
    page.get_by_role("button", name=re.compile("Beëindigen")).click()
    expect(page.get_by_text("Het lidmaatschap van het wijkpanel is beëindigd.")).to_be_visible()
    expect(page.get_by_text("0 van de beoogde 3 leden.")).to_be_visible()
    assert_accessible(page)
    shot(page, "draws-panel-ended-desktop")
