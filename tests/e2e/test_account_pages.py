"""Account pages in a real browser: "Mijn account" and an administrator's view of an account,
with their forms, checked by axe-core for WCAG 2.1 A/AA."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import PHONE, assert_accessible, login
from wijkraad import demo


def test_my_account_page_asks_for_the_current_password(page: Page, live_server: str) -> None:
    login(page, live_server, demo.ADMIN_EMAIL)
    page.goto(f"{live_server}/account")
    expect(page.get_by_label("Huidig wachtwoord")).to_be_visible()
    page.get_by_label("Huidig wachtwoord").fill("niet het wachtwoord")
    page.get_by_label("Nieuw wachtwoord").fill("een ander lang wachtwoord")
    page.get_by_label("Herhaal het wachtwoord").fill("een ander lang wachtwoord")
    page.get_by_role("button", name="Wachtwoord wijzigen").click()
    expect(page.get_by_text("Uw huidige wachtwoord klopt niet.").first).to_be_visible()
    assert_accessible(page)


def test_an_administrator_invites_and_manages_an_account(page: Page, live_server: str) -> None:
    login(page, live_server, demo.ADMIN_EMAIL)
    page.goto(f"{live_server}/beheer/accounts/nieuw")
    page.get_by_label("Naam").fill("Ada Accounttest")
    page.get_by_label("E-mailadres").fill("ada@oosterpark.example")
    page.get_by_role("button", name="Account aanmaken").click()
    expect(page.get_by_role("heading", name="Ada Accounttest")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Uitnodigingslink maken").click()
    link = page.get_by_label("Uitnodigingslink (14 dagen geldig, één keer te gebruiken)")
    expect(link).to_be_visible()
    assert link.input_value().startswith(f"{live_server}/uitnodiging/")
    assert_accessible(page)
    page.get_by_role("button", name="Account uitschakelen").click()
    expect(page.get_by_text("Dit account is uitgeschakeld.")).to_be_visible()
    assert_accessible(page)


def test_a_member_sees_where_they_are_logged_in_and_ends_the_other_sessions(
    browser: Browser, live_server: str
) -> None:
    email = "raadslid@gemeente.example"
    phone = browser.new_context(**PHONE).new_page()
    login(phone, live_server, email)
    laptop = browser.new_context().new_page()
    login(laptop, live_server, email)
    laptop.goto(f"{live_server}/account")
    listed = laptop.get_by_role("table", name="Uw actieve sessies")
    expect(listed.get_by_role("row")).to_have_count(3)  # the header and two sessions
    expect(listed.get_by_text("dit apparaat", exact=True)).to_be_visible()
    assert_accessible(laptop)
    laptop.get_by_role("button", name="Overal anders afmelden").click()
    expect(laptop.get_by_text("U bent op al uw andere apparaten afgemeld.")).to_be_visible()
    expect(listed.get_by_role("row")).to_have_count(2)
    phone.goto(f"{live_server}/account")
    expect(phone.get_by_role("heading", name="Aanmelden")).to_be_visible()
    # Logging out on the laptop leaves the phone logged in.
    login(phone, live_server, email)
    laptop.get_by_role("button", name="Afmelden", exact=True).click()
    expect(laptop.get_by_text("U bent afgemeld.")).to_be_visible()
    phone.goto(f"{live_server}/account")
    expect(phone.get_by_role("heading", name="Mijn account")).to_be_visible()
    expect(phone.get_by_role("table", name="Uw actieve sessies").get_by_role("row")).to_have_count(
        2
    )
    assert_accessible(phone)
