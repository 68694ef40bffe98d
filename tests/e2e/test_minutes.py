"""The minutes in a browser: the secretary writes them during the meeting, the chair approves
them at the next one, the public reads them; axe-core finds no WCAG 2.1 A/AA violation on the
edit page nor on the public page."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import PHONE, api, assert_accessible, login, token_for

SECRETARY = "secretaris@oosterpark.example"
CHAIR = "voorzitter@oosterpark.example"


def held_meeting(base: str, starts_at: str, title: str, *, with_motion: bool) -> int:
    """An open meeting of the demo council, everyone present; with a decided motion."""
    secretary, chair = token_for(base, SECRETARY), token_for(base, CHAIR)
    meeting_id = api(
        base,
        "POST",
        "/councils/oosterparkwijk/meetings",
        secretary,
        {"title": title, "starts_at": starts_at, "location": "Buurthuis De Oosterpoort"},
    )["id"]
    path = f"/meetings/{meeting_id}/agenda-items"
    item = api(base, "POST", path, secretary, {"title": "Bankjes in het Oosterpark"})["id"]
    api(base, "POST", path, secretary, {"title": "Geheime benoeming", "is_confidential": True})
    api(base, "POST", f"/meetings/{meeting_id}/publish", secretary)
    members = api(base, "GET", "/councils/oosterparkwijk")["members"]
    present = {"present": [m["id"] for m in members]}
    api(base, "PUT", f"/meetings/{meeting_id}/attendance", secretary, present)
    api(base, "POST", f"/meetings/{meeting_id}/open", chair)
    if with_motion:
        body = {"title": "Vier nieuwe bankjes", "text": "De wijkraad plaatst vier bankjes."}
        motion = api(base, "POST", f"/agenda-items/{item}/motions", chair, body)["id"]
        round_id = api(base, "POST", f"/motions/{motion}/rounds", chair, {"mode": "analog"})["id"]
        counts = {
            "residents": {"yes": 7, "no": 1, "abstain": 0},
            "councillors": {"yes": 3, "no": 1, "abstain": 0},
        }
        api(base, "PUT", f"/rounds/{round_id}/counts", chair, counts)
        api(base, "POST", f"/rounds/{round_id}/close", chair)
    return meeting_id


def test_the_secretary_writes_the_chair_approves_the_public_reads(
    page: Page, browser: Browser, live_server: str
) -> None:
    base = live_server
    meeting = held_meeting(
        base, "2031-03-04T19:30:00+01:00", "Vergadering van maart", with_motion=True
    )

    # The chair opens the edit page too, before the secretary saves.
    chair = browser.new_context().new_page()
    login(chair, base, CHAIR)
    chair.goto(f"{base}/vergaderingen/{meeting}/verslag/bewerken")

    login(page, base, SECRETARY)
    page.goto(f"{base}/vergaderingen/{meeting}/verslag/bewerken")
    expect(page.get_by_role("heading", name="Verslag bewerken")).to_be_visible()
    page.get_by_label("Algemene opmerkingen").fill(
        "De voorzitter opent de vergadering om 19.30 uur."
    )
    page.get_by_label("Verslag bij agendapunt 1").fill(
        "Bewoners van de Oosterparkstraat vragen om bankjes in de schaduw."
    )
    page.get_by_label("Verslag bij agendapunt 2").fill("Besloten: de kandidaat heet Fien.")
    assert_accessible(page)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het verslag is opgeslagen als versie 1.")).to_be_visible()
    expect(page.get_by_label("Algemene opmerkingen")).to_have_value(
        "De voorzitter opent de vergadering om 19.30 uur."
    )
    assert_accessible(page)

    # The chair saves from the older version: nothing is lost, both texts show.
    chair.get_by_label("Algemene opmerkingen").fill("Opening door de voorzitter.")
    chair.get_by_role("button", name="Opslaan").click()
    expect(chair.get_by_role("heading", name="Uw tekst is nog niet opgeslagen")).to_be_visible()
    expect(chair.get_by_label("Algemene opmerkingen")).to_have_value("Opening door de voorzitter.")
    expect(chair.get_by_text("De voorzitter opent de vergadering om 19.30 uur.")).to_be_visible()
    assert_accessible(chair)
    chair.get_by_label("Algemene opmerkingen").fill(
        "De voorzitter opent de vergadering om 19.30 uur."
    )
    chair.get_by_role("button", name="Opslaan").click()
    expect(chair.get_by_text("Het verslag is opgeslagen als versie 2.")).to_be_visible()

    # The decisions of the meeting, completed on a page of their own.
    page.get_by_role("link", name="Besluiten aanvullen: toelichting en toezeggingen").click()
    page.get_by_label("Toezeggingen").fill("De wethouder schrijft de buurt voor 1 juni.")
    page.get_by_role("button", name=re.compile(r"^Opslaan")).click()
    expect(page.get_by_text(re.compile(r"Besluit OPW-\d{4}-\d+ is bijgewerkt\."))).to_be_visible()
    assert_accessible(page)
    page.goto(f"{base}/vergaderingen/{meeting}/verslag/bewerken")

    # Empty: a clear error in the form, and the page stays accessible.
    for label in ("Algemene opmerkingen", "Verslag bij agendapunt 1", "Verslag bij agendapunt 2"):
        page.get_by_label(label).fill("")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Er is iets niet goed ingevuld")).to_be_visible()
    assert_accessible(page)

    later = held_meeting(
        base, "2031-04-01T19:30:00+02:00", "Vergadering van april", with_motion=False
    )
    chair.goto(f"{base}/vergaderingen/{meeting}/verslag/versies/2")
    expect(chair.get_by_role("heading", name="Versie 2 van het verslag")).to_be_visible()
    assert_accessible(chair)
    chair.goto(f"{base}/vergaderingen/{meeting}/verslag")
    expect(chair.get_by_text("Dit verslag is nog niet vastgesteld.")).to_be_visible()
    choice = chair.get_by_label("Vastgesteld in de vergadering van")
    choice.select_option(str(later))
    chair.get_by_role("button", name="Vaststellen in deze vergadering").click()
    expect(chair.get_by_text("Het verslag is vastgesteld en gepubliceerd.")).to_be_visible()
    chair.context.close()

    public = browser.new_context(**PHONE).new_page()
    public.goto(f"{base}/vergaderingen/{meeting}/verslag")
    expect(public.get_by_role("heading", level=1)).to_contain_text("Verslag van de vergadering")
    expect(
        public.get_by_text(re.compile(r"^\s*Vastgesteld op .* in de vergadering van"))
    ).to_be_visible()
    expect(public.get_by_text("bankjes in de schaduw")).to_be_visible()
    expect(public.get_by_text("De wethouder schrijft de buurt voor 1 juni.")).to_be_visible()
    expect(public.get_by_role("link", name=re.compile(r"^OPW-\d{4}-\d+$"))).to_be_visible()
    assert "Fien" not in public.content() and "Geheime benoeming" not in public.content()
    assert_accessible(public)
    public.context.close()
