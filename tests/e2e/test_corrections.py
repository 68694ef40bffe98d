"""Corrections and the gavel in a browser: the secretary edits a published meeting, moves and
removes agenda items, the chair adopts a formality with one gavel; axe-core finds no WCAG 2.1
A/AA violation on the new pages, at phone and desktop size."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import PHONE, api, assert_accessible, login, token_for

SECRETARY = "secretaris@oosterpark.example"
CHAIR = "voorzitter@oosterpark.example"
MEMBER = "lid@oosterpark.example"
SHOTS = Path("/work/notes/shots-corrections")
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def meeting(
    base: str, starts_at: str, title: str, items: list[dict], *, publish: bool
) -> tuple[int, list[int]]:
    secretary = token_for(base, SECRETARY)
    meeting_id = api(
        base,
        "POST",
        "/councils/oosterparkwijk/meetings",
        secretary,
        {"title": title, "starts_at": starts_at, "location": "Buurthuis De Oosterpoort"},
    )["id"]
    ids = [
        api(base, "POST", f"/meetings/{meeting_id}/agenda-items", secretary, item)["id"]
        for item in items
    ]
    if publish:
        api(base, "POST", f"/meetings/{meeting_id}/publish", secretary)
    return meeting_id, ids


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_the_secretary_edits_a_published_meeting(browser: Browser, live_server: str) -> None:
    base = live_server
    meeting_id, _ = meeting(
        base,
        "2032-05-11T19:30:00+02:00",
        "Vergadering van mei",
        [{"title": "Opening"}],
        publish=True,
    )
    for name, options in (("phone", PHONE), ("desktop", DESKTOP)):
        page = browser.new_context(**options).new_page()
        login(page, base, SECRETARY)
        page.goto(f"{base}/vergaderingen/{meeting_id}")
        page.get_by_role("link", name="Vergadering wijzigen").click()
        expect(page.get_by_role("heading", name="Vergadering wijzigen")).to_be_visible()
        expect(page.get_by_label("Titel")).to_have_value("Vergadering van mei")
        assert_accessible(page)
        shoot(page, f"edit-meeting-{name}")
        page.close()

    page = browser.new_context(**DESKTOP).new_page()
    login(page, base, SECRETARY)
    page.goto(f"{base}/vergaderingen/{meeting_id}/wijzigen")
    page.get_by_label("Titel").fill("")
    page.get_by_role("button", name="Wijzigingen opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Titel")
    assert_accessible(page)
    shoot(page, "edit-meeting-error-desktop")
    page.get_by_label("Titel").fill("Vergadering van mei")
    page.get_by_label("Datum").fill("2032-05-12")
    page.get_by_label("Begintijd").fill("20:15")
    page.get_by_label("Plaats").fill("Wijkcentrum De Kroon")
    page.get_by_role("button", name="Wijzigingen opslaan").click()
    expect(page.get_by_text("De leden krijgen bericht van de verplaatsing.")).to_be_visible()
    expect(page.get_by_text("Wijkcentrum De Kroon")).to_be_visible()
    expect(page.locator("time")).to_contain_text("12 mei 2032 om 20:15")


def test_the_secretary_moves_and_removes_agenda_items(browser: Browser, live_server: str) -> None:
    base = live_server
    meeting_id, ids = meeting(
        base,
        "2032-06-08T19:30:00+02:00",
        "Vergadering van juni",
        [{"title": "Opening"}, {"title": "Speeltuin"}, {"title": "Rondvraag"}],
        publish=False,
    )
    page = browser.new_context(**DESKTOP).new_page()
    login(page, base, SECRETARY)
    page.goto(f"{base}/vergaderingen/{meeting_id}")
    page.get_by_role("button", name=re.compile(r"Omhoog.*3 Rondvraag")).click()
    expect(page.get_by_text("Agendapunt 'Rondvraag' is verplaatst.")).to_be_visible()
    titles = page.locator(".app-agenda__title")
    expect(titles).to_have_text(
        [re.compile("1. Opening"), re.compile("2. Rondvraag"), re.compile("3. Speeltuin")]
    )
    shoot(page, "agenda-correctable-desktop")

    page.get_by_role("link", name=re.compile(r"Verwijderen.*1 Opening")).click()
    expect(page.get_by_role("heading", name="Agendapunt 1 verwijderen")).to_be_visible()
    assert_accessible(page)
    shoot(page, "remove-item-desktop")
    page.get_by_role("button", name="Agendapunt verwijderen").click()
    expect(page.get_by_text("Agendapunt 'Opening' is verwijderd.")).to_be_visible()
    expect(titles).to_have_text([re.compile("1. Rondvraag"), re.compile("2. Speeltuin")])

    page.get_by_role("link", name=re.compile(r"Wijzigen.*2 Speeltuin")).click()
    expect(page.get_by_role("heading", name="Agendapunt 2 wijzigen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Titel van het agendapunt").fill("Speeltuin Oosterpark")
    page.get_by_label("Hamerstuk").check()
    page.get_by_role("button", name="Wijzigingen opslaan").click()
    expect(page.get_by_text("Agendapunt 'Speeltuin Oosterpark' is gewijzigd.")).to_be_visible()

    phone = browser.new_context(**PHONE).new_page()
    login(phone, base, SECRETARY)
    phone.goto(f"{base}/agendapunten/{ids[1]}/wijzigen")
    assert_accessible(phone)
    shoot(phone, "edit-item-phone")
    phone.goto(f"{base}/agendapunten/{ids[1]}/verwijderen")
    shoot(phone, "remove-item-phone")
    phone.goto(f"{base}/vergaderingen/{meeting_id}#agenda")
    shoot(phone, "agenda-correctable-phone")


def test_the_chair_adopts_a_formality_with_one_gavel(browser: Browser, live_server: str) -> None:
    base = live_server
    meeting_id, ids = meeting(
        base,
        "2032-09-14T19:30:00+02:00",
        "Vergadering van september",
        [
            {
                "title": "Verslag vorige vergadering",
                "description": "Het verslag van juni.",
                "is_formality": True,
            },
            {"title": "Jaarrekening", "is_formality": True},
        ],
        publish=True,
    )
    secretary, chair = token_for(base, SECRETARY), token_for(base, CHAIR)
    members = api(base, "GET", "/councils/oosterparkwijk")["members"]
    api(
        base,
        "PUT",
        f"/meetings/{meeting_id}/attendance",
        secretary,
        {"present": [m["id"] for m in members]},
    )
    api(base, "POST", f"/meetings/{meeting_id}/open", chair)

    member = browser.new_context(**PHONE).new_page()
    login(member, base, MEMBER)

    # The chair takes the first formality under discussion: the member's phone shows it.
    chair_page = browser.new_context(**DESKTOP).new_page()
    login(chair_page, base, CHAIR)
    chair_page.goto(f"{base}/vergaderingen/{meeting_id}")
    chair_page.get_by_label("Agendapunt in behandeling").select_option(str(ids[0]))
    chair_page.get_by_role("button", name="In behandeling nemen").click()
    expect(chair_page.get_by_text("Nu in behandeling: Verslag vorige vergadering.")).to_be_visible()
    member.goto(f"{base}/vergaderingen/{meeting_id}/stemmen")
    expect(member.get_by_role("heading", name="Hamerstuk in behandeling")).to_be_visible()
    expect(member.get_by_text("1. Verslag vorige vergadering")).to_be_visible()
    assert_accessible(member)
    shoot(member, "formality-vote-page-phone")

    member.goto(f"{base}/vergaderingen/{meeting_id}#punt-{ids[1]}")
    expect(
        member.get_by_role("button", name=re.compile(r"Stemming vragen.*2 Jaarrekening"))
    ).to_be_visible()
    assert_accessible(member)
    shoot(member, "formality-member-phone")
    member.get_by_role("button", name=re.compile(r"Stemming vragen.*2 Jaarrekening")).click()
    expect(member.get_by_text("U hebt om stemming gevraagd over 'Jaarrekening'.")).to_be_visible()

    for name, options in (("desktop", DESKTOP), ("phone", PHONE)):
        page = browser.new_context(**options).new_page()
        login(page, base, CHAIR)
        page.goto(f"{base}/vergaderingen/{meeting_id}#punt-{ids[0]}")
        expect(
            page.get_by_text("Een lid heeft om stemming gevraagd: dit hamerstuk gaat niet")
        ).to_be_visible()
        assert_accessible(page)
        shoot(page, f"gavel-chair-{name}")
        page.close()

    page = browser.new_context(**DESKTOP).new_page()
    login(page, base, CHAIR)
    page.goto(f"{base}/vergaderingen/{meeting_id}")
    page.get_by_role("button", name=re.compile(r"Hamerslag: aangenomen.*1 Verslag")).click()
    expect(
        page.get_by_text(
            re.compile(r"Hamerslag: 'Verslag vorige vergadering' is aangenomen \(besluit")
        )
    ).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Hamerslag: aangenomen"))).to_have_count(0)
    assert_accessible(page)
    shoot(page, "gavel-done-desktop")
