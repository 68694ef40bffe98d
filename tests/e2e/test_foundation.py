"""A new administrator's first steps in a real browser, and WCAG 2.1 A/AA checks by axe-core."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import WCAG, assert_accessible, login
from wijkraad import demo


def test_admin_appoints_a_member_who_confirms(
    page: Page, browser: Browser, live_server: str
) -> None:
    login(page, live_server, demo.ADMIN_EMAIL)
    page.goto(f"{live_server}/wijkraden/oosterparkwijk")
    page.get_by_role("link", name="Lid benoemen").click()
    page.get_by_label("Naam").fill("Bram Browsertest")
    page.get_by_label("E-mailadres").fill("bram@oosterpark.example")
    page.get_by_label("Bewoner").check()
    page.get_by_role("button", name="Benoemen").click()
    expect(page.get_by_text("Bram Browsertest is benoemd.")).to_be_visible()
    link = page.get_by_label("Uitnodigingslink").input_value()
    assert "/zetel-uitnodiging/" in link
    assert_accessible(page)
    page.goto(f"{live_server}/wijkraden/oosterparkwijk")
    # Seated at once, and among the invitations until the link is answered.
    seated = page.get_by_role("table", name="Zittende leden: bewoners")
    expect(seated.filter(has_text="Bram Browsertest")).to_be_visible()
    unanswered = page.get_by_role("table", name="Uitnodigingen die nog niet zijn beantwoord")
    expect(unanswered.filter(has_text="Bram Browsertest")).to_be_visible()
    assert_accessible(page)

    # The member, in a browser of their own: chooses a password (which confirms the seat) and
    # logs in.
    invitee = browser.new_context().new_page()
    invitee.goto(link)
    expect(invitee.get_by_role("heading", level=1)).to_contain_text("Uitnodiging voor een zetel")
    assert_accessible(invitee)
    invitee.get_by_label("Kies een wachtwoord").fill("bram zijn wachtwoord")
    invitee.get_by_label("Herhaal het wachtwoord").fill("bram zijn wachtwoord")
    invitee.get_by_role("button", name="Wachtwoord kiezen").click()
    invitee.get_by_label("E-mailadres").fill("bram@oosterpark.example")
    invitee.get_by_label("Wachtwoord").fill("bram zijn wachtwoord")
    invitee.get_by_role("button", name="Aanmelden").click()
    expect(invitee.get_by_text("Uw zetel in")).to_be_visible()
    assert_accessible(invitee)
    invitee.get_by_role("link", name="Naar de pagina van").click()
    expect(invitee.get_by_role("table").filter(has_text="Bram Browsertest")).to_be_visible()
    invitee.context.close()


def test_refusal_is_shown_in_the_form(page: Page, live_server: str) -> None:
    login(page, live_server, demo.ADMIN_EMAIL)
    page.goto(f"{live_server}/wijkraden/oosterparkwijk/leden/nieuw")
    page.get_by_label("Naam").fill("Raadslid Als Voorzitter")
    page.get_by_label("E-mailadres").fill("rv@gemeente.example")
    page.get_by_label("Gemeenteraadslid").check()
    page.get_by_label("Rol").select_option("chair")
    page.get_by_role("button", name="Benoemen").click()
    expect(page.get_by_text("De voorzitter moet een bewoner zijn.").first).to_be_visible()
    expect(page.get_by_label("Naam")).to_have_value("Raadslid Als Voorzitter")


@pytest.mark.parametrize("path", ["/", "/wijkraden/oosterparkwijk", "/aanmelden"])
def test_public_pages_have_no_wcag_violations(page: Page, live_server: str, path: str) -> None:
    page.goto(f"{live_server}{path}")
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()


def test_phone_sized_council_page_has_no_wcag_violations(page: Page, live_server: str) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server}/wijkraden/oosterparkwijk")
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()
