"""What a manual WCAG 2.1 AA audit checks and axe cannot: text that grows with browser zoom,
reflow at 320 CSS pixels, where focus goes when a live panel is swapped, the language of what
members wrote, marked fields and the "Fout:" title after an error, the header's tab order, and
page titles that name the meeting and its date."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import PHONE, assert_accessible, login
from tests.e2e.test_meeting_accessibility import (
    CHAIR,
    MEMBER,
    YES_VOTERS,
    Meeting,
    assert_fits_the_screen,
    open_meeting,
)
from wijkraad import demo

# The meeting of open_meeting(): "Toegankelijkheidsvergadering" on 8 December 2026.
MEETING = "Toegankelijkheidsvergadering 8 december 2026"
COUNCIL = "Coöperatieve Wijkraad Oosterparkwijk"

# Nothing sticks out of the page, nor out of the cell it belongs to, and no two cells of a row
# share pixels.
OVERLAPS = """
(table) => {
  const problems = [];
  for (const row of table.querySelectorAll("tr")) {
    const cells = [...row.children].map((cell) => {
      const range = document.createRange();
      range.selectNodeContents(cell);
      return { cell, box: cell.getBoundingClientRect(), text: range.getBoundingClientRect() };
    });
    cells.forEach(({ cell, box, text }, i) => {
      if (text.width && (text.left < box.left - 1 || text.right > box.right + 1)) {
        problems.push(`"${cell.textContent.trim()}" sticks out of its cell`);
      }
      const next = cells[i + 1];
      if (next && next.box.left < box.right - 1) {
        problems.push(`"${cell.textContent.trim()}" overlaps "${next.cell.textContent.trim()}"`);
      }
    });
  }
  return problems;
}
"""


@pytest.fixture
def meeting(live_server: str) -> Meeting:
    return open_meeting(live_server)


def font_size(page: Page, selector: str) -> float:
    """The size of a text in device pixels: what the eye sees on the screen."""
    return page.evaluate(
        "(s) => parseFloat(getComputedStyle(document.querySelector(s)).fontSize)"
        " * window.devicePixelRatio",
        selector,
    )


def test_projector_text_grows_with_browser_zoom(browser: Browser, meeting: Meeting) -> None:
    """Browser zoom to 200% on a 1920 x 1080 screen is a 960 x 540 CSS-pixel viewport at two
    device pixels per CSS pixel: type sized by the viewport alone stays exactly as big."""
    meeting.open_round()
    sizes = {}
    for zoom in (1, 2):
        context = browser.new_context(
            viewport={"width": 1920 // zoom, "height": 1080 // zoom}, device_scale_factor=zoom
        )
        page = context.new_page()
        page.goto(f"{meeting.url}/projector")
        expect(page.get_by_role("heading", name="Er wordt gestemd")).to_be_visible()
        sizes[zoom] = {
            selector: font_size(page, selector)
            for selector in (".app-projector__main", ".app-projector__motion", ".app-counts td")
        }
        if zoom == 1:
            assert_fits_the_screen(page)
        context.close()
    for selector, size in sizes[1].items():
        assert sizes[2][selector] >= 1.5 * size, (selector, sizes)


def test_projector_fits_a_small_projector(browser: Browser, meeting: Meeting) -> None:
    round_id = meeting.open_round()
    for email in YES_VOTERS:
        meeting.vote(round_id, email, "yes")
    page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    page.goto(f"{meeting.url}/projector")
    expect(page.get_by_text(re.compile(r"^8 van \d+ stemgerechtigden"))).to_be_visible()
    assert_fits_the_screen(page)
    assert page.evaluate(OVERLAPS, page.locator(".app-counts").element_handle()) == []
    page.context.close()


def assert_reflows(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"the page scrolls sideways at 320 px: {width}"


def test_projector_reflows_at_320_pixels(browser: Browser, meeting: Meeting) -> None:
    round_id = meeting.open_round()
    for email in YES_VOTERS:
        meeting.vote(round_id, email, "yes")
    page = browser.new_context(viewport={"width": 320, "height": 640}).new_page()
    page.goto(f"{meeting.url}/projector")
    expect(page.get_by_text(re.compile(r"^8 van \d+ stemgerechtigden"))).to_be_visible()
    assert_reflows(page)
    assert page.evaluate(OVERLAPS, page.locator(".app-counts").element_handle()) == []

    meeting.close_round(round_id)
    expect(page.get_by_role("heading", name="Uitslag")).to_be_visible(timeout=5000)
    assert_reflows(page)
    assert page.evaluate(OVERLAPS, page.locator(".app-counts").element_handle()) == []
    page.context.close()


@pytest.mark.parametrize("mode", ["named", "analog"])
def test_chair_console_reflows_at_320_pixels(browser: Browser, meeting: Meeting, mode: str) -> None:
    round_id = meeting.open_round(mode)
    page = browser.new_context(viewport={"width": 320, "height": 640}).new_page()
    login(page, meeting.base, CHAIR)
    page.goto(f"{meeting.base}/stemmingen/{round_id}/voorzitter")
    expect(page.get_by_role("button", name="Stemming sluiten")).to_be_visible()
    assert_reflows(page)
    assert page.evaluate(OVERLAPS, page.locator(".app-counts").element_handle()) == []
    page.context.close()


def active_element(page: Page) -> str:
    return page.evaluate(
        "document.activeElement === document.body ? 'body'"
        " : document.activeElement.outerHTML.slice(0, 120)"
    )


def test_focus_follows_the_vote_panel_when_the_round_closes(
    browser: Browser, meeting: Meeting
) -> None:
    round_id = meeting.open_round()
    phone = browser.new_context(**PHONE).new_page()
    login(phone, meeting.base, MEMBER)
    phone.goto(f"{meeting.url}/stemmen")
    phone.get_by_role("button", name="Voor").click()
    phone.get_by_role("button", name="Bevestigen: Voor").click()
    expect(phone.get_by_role("status").filter(has_text="U hebt gestemd: Voor")).to_be_focused()

    # The chair closes the round: the next poll replaces the focused confirmation.
    meeting.close_round(round_id)
    heading = phone.get_by_role("heading", name="Er is nu geen stemming")
    expect(heading).to_be_visible(timeout=5000)
    expect(heading).to_be_focused()
    assert active_element(phone) != "body"
    phone.context.close()


def test_focus_goes_to_the_error_when_a_vote_is_refused(browser: Browser, meeting: Meeting) -> None:
    round_id = meeting.open_round()
    phone = browser.new_context(**PHONE).new_page()
    login(phone, meeting.base, MEMBER)
    # The panel does not learn by polling that the round closed: the vote itself is refused.
    phone.route(re.compile(r"/stemmen/paneel$"), lambda route: route.abort())
    phone.goto(f"{meeting.url}/stemmen")
    phone.get_by_role("button", name="Tegen").click()
    confirm = phone.get_by_role("button", name="Bevestigen: Tegen")
    expect(confirm).to_be_visible()
    meeting.close_round(round_id)
    confirm.click()
    error = phone.get_by_role("alert")
    expect(error).to_be_visible()
    expect(error).to_be_focused()
    assert active_element(phone) != "body"
    phone.context.close()


def test_dutch_content_is_marked_dutch_on_english_pages(browser: Browser, meeting: Meeting) -> None:
    round_id = meeting.open_round()
    page = browser.new_context().new_page()
    login(page, meeting.base, CHAIR)
    page.goto(meeting.url)
    page.get_by_role("button", name="EN (English)").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    def languages_of(text: str) -> list[str]:
        """The language of each element showing the text (outside the breadcrumbs)."""
        expect(page.get_by_text(text, exact=True).first).to_be_attached()
        return page.get_by_text(text, exact=True).evaluate_all(
            "(all) => all.filter((e) => !e.closest('nav')).map((e) => e.closest('[lang]').lang)"
        )

    try:
        console = f"{meeting.base}/stemmingen/{round_id}/voorzitter"
        for url, texts in [
            (
                meeting.url,
                [
                    "Toegankelijkheidsvergadering",
                    "Vier nieuwe bankjes",
                    "Bankjes in het Oosterpark",
                ],
            ),
            (console, ["Vier nieuwe bankjes", "Bankjes in het Oosterpark"]),
            (f"{meeting.url}/stemmen", ["Vier nieuwe bankjes"]),
            (f"{meeting.url}/projector", ["Toegankelijkheidsvergadering", "Vier nieuwe bankjes"]),
        ]:
            page.goto(url)
            expect(page.locator("html")).to_have_attribute("lang", "en")
            for text in texts:
                found = languages_of(text)
                assert found and set(found) == {"nl"}, (url, text, found)
        assert_accessible(page)
    finally:  # the language is the account's preference: the other tests read Dutch
        page.goto(meeting.url)
        page.locator('.app-language__choice[value="nl"]').click()  # not by its English label
        expect(page.locator("html")).to_have_attribute("lang", "nl")
    page.context.close()


def test_a_refused_login_marks_both_fields_and_the_title(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/aanmelden")
    expect(page).not_to_have_title(re.compile("^Fout"))
    page.get_by_label("E-mailadres").fill(MEMBER)
    page.get_by_label("Wachtwoord").fill("niet het wachtwoord")
    page.get_by_role("button", name="Aanmelden").click()

    expect(page).to_have_title(re.compile(r"^Fout: Aanmelden"))
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("E-mailadres of wachtwoord klopt niet.")
    expect(summary).to_be_focused()
    for label in ("E-mailadres", "Wachtwoord"):
        field = page.get_by_label(label, exact=True)
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_accessible_description(re.compile("wachtwoord klopt niet"))
    assert_accessible(page)


def test_the_error_summary_is_an_alert_that_leads_to_the_fields(
    page: Page, live_server: str
) -> None:
    login(page, live_server, demo.ADMIN_EMAIL)
    page.goto(f"{live_server}/beheer/accounts/nieuw")
    page.get_by_role("button", name="Account aanmaken").click()
    expect(page).to_have_title(re.compile(r"^Fout: "))
    summary = page.get_by_role("alert").filter(has_text="Er is iets niet goed ingevuld")
    expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    expect(links.first).to_be_visible()
    for href in links.evaluate_all("(links) => links.map((a) => a.getAttribute('href'))"):
        field = page.locator(href)
        expect(field).to_have_attribute("aria-invalid", "true")
    links.first.click()
    expect(page.locator(links.first.get_attribute("href") or "")).to_be_focused()


def test_a_form_of_any_name_with_errors_titles_its_page(page: Page, live_server: str) -> None:
    """The account page's forms are called password_form and token_form."""
    login(page, live_server, demo.ADMIN_EMAIL)
    page.goto(f"{live_server}/account")
    expect(page).not_to_have_title(re.compile("^Fout"))
    page.get_by_label("Huidig wachtwoord").fill("niet het wachtwoord")
    page.get_by_label("Nieuw wachtwoord").fill("een ander lang wachtwoord")
    page.get_by_label("Herhaal het wachtwoord").fill("een ander lang wachtwoord")
    page.get_by_role("button", name="Wachtwoord wijzigen").click()
    expect(page.get_by_text("Uw huidige wachtwoord klopt niet.").first).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Fout: Mijn account"))


@pytest.mark.parametrize("size", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}])
def test_the_header_is_tabbed_in_reading_order(page: Page, live_server: str, size: dict) -> None:
    page.set_viewport_size(size)
    login(page, live_server, demo.ADMIN_EMAIL)
    page.locator(".app-header__brand").focus()
    boxes = []
    while page.evaluate("!!document.activeElement.closest('header')"):
        boxes.append(
            page.evaluate(
                "(() => { const r = document.activeElement.getBoundingClientRect();"
                " return [document.activeElement.textContent.trim().slice(0, 20) || document.activeElement.name,"
                " r.top, r.bottom, r.left, r.right]; })()"
            )
        )
        page.keyboard.press("Tab")
    assert len(boxes) >= 5, boxes  # the name, the menu's links and button, the language
    for before, after in pairwise(boxes):
        # The next one is further along the same line, or on a line below.
        same_line = after[1] < before[2] and after[2] > before[1]
        assert (same_line and after[3] >= before[4] - 1) or (
            not same_line and after[1] >= before[2] - 1
        ), f"{after[0]!r} comes after {before[0]!r} in the tab order, not on the screen: {boxes}"


@pytest.mark.parametrize(
    ("path", "page_name", "who"),
    [
        ("", None, None),
        ("", None, CHAIR),
        ("/stemmen", "Stemmen", MEMBER),
        ("/projector", "Projectiescherm", None),
        ("/verslag", "Verslag", MEMBER),
    ],
)
def test_meeting_pages_are_titled_by_meeting_and_date(
    browser: Browser, meeting: Meeting, path: str, page_name: str | None, who: str | None
) -> None:
    page = browser.new_context().new_page()
    if who:
        login(page, meeting.base, who)
    page.goto(f"{meeting.url}{path}")
    middle = f" — {page_name}" if page_name else ""
    expect(page).to_have_title(f"{MEETING}{middle} — {COUNCIL}")
    page.context.close()


def test_the_console_is_titled_by_meeting_date_and_motion(page: Page, meeting: Meeting) -> None:
    round_id = meeting.open_round()
    login(page, meeting.base, CHAIR)
    page.goto(f"{meeting.base}/stemmingen/{round_id}/voorzitter")
    expect(page).to_have_title(f"{MEETING} — Stemming: Vier nieuwe bankjes — {COUNCIL}")
