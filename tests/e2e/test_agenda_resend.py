"""A published agenda that changed, in a browser: the secretary publishes, corrects an item,
is told that the agenda changed since it was mailed, sends it again, and the notice is gone;
axe-core finds no WCAG 2.1 A/AA violation on the page with the notice, on a phone and a
desktop."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from tests.e2e.helpers import PHONE, api, assert_accessible, login, token_for

SECRETARY = "secretaris@oosterpark.example"
MEMBER = "lid@oosterpark.example"
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
NOTICE = "De agenda is gewijzigd sinds hij is verstuurd."
BUTTON = "Gewijzigde agenda versturen"


def draft(base: str) -> int:
    secretary = token_for(base, SECRETARY)
    meeting_id = api(
        base,
        "POST",
        "/councils/oosterparkwijk/meetings",
        secretary,
        {
            "title": "Vergadering van juni",
            "starts_at": "2032-06-08T19:30:00+02:00",
            "location": "Buurthuis De Oosterpoort",
        },
    )["id"]
    for title in ("Opening", "Speeltuin"):
        api(base, "POST", f"/meetings/{meeting_id}/agenda-items", secretary, {"title": title})
    return meeting_id


def test_the_secretary_sends_the_changed_agenda(browser: Browser, live_server: str) -> None:
    base = live_server
    meeting_id = draft(base)
    page = browser.new_context(**DESKTOP).new_page()
    login(page, base, SECRETARY)
    page.goto(f"{base}/vergaderingen/{meeting_id}")
    page.get_by_role("button", name="Agenda publiceren").click()
    expect(page.get_by_text("De agenda is gepubliceerd.")).to_be_visible()
    expect(page.get_by_text(NOTICE)).to_have_count(0)
    expect(page.get_by_role("button", name=BUTTON)).to_have_count(0)

    page.get_by_role("link", name=re.compile(r"Wijzigen.*2 Speeltuin")).click()
    page.get_by_label("Titel van het agendapunt").fill("Speeltuin Oosterpark")
    page.get_by_role("button", name="Wijzigingen opslaan").click()
    expect(page.get_by_text("Agendapunt 'Speeltuin Oosterpark' is gewijzigd.")).to_be_visible()
    expect(page.get_by_text(NOTICE)).to_be_visible()
    expect(page.get_by_role("button", name=BUTTON)).to_be_visible()
    assert_accessible(page)

    phone = browser.new_context(**PHONE).new_page()
    login(phone, base, SECRETARY)
    phone.goto(f"{base}/vergaderingen/{meeting_id}")
    expect(phone.get_by_role("button", name=BUTTON)).to_be_visible()
    assert_accessible(phone)
    phone.close()

    member = browser.new_context(**PHONE).new_page()
    login(member, base, MEMBER)
    member.goto(f"{base}/vergaderingen/{meeting_id}")
    expect(member.get_by_text("Speeltuin Oosterpark").first).to_be_visible()
    expect(member.get_by_text(NOTICE)).to_have_count(0)
    member.close()

    page.get_by_role("button", name=BUTTON).click()
    expect(page.get_by_text("De gewijzigde agenda is naar de leden verstuurd.")).to_be_visible()
    expect(page.get_by_text(NOTICE)).to_have_count(0)
    expect(page.get_by_role("button", name=BUTTON)).to_have_count(0)
    assert_accessible(page)
