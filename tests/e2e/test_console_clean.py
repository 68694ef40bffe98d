"""Every kind of page in a real browser, watched for Content-Security-Policy violations and any
other console error, including while the live pages swap in what changed. The policy is strict
(no inline script or style), so a violation means something on the page was blocked."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect

from tests.e2e.helpers import PHONE, login
from tests.e2e.test_meeting_accessibility import (
    CHAIR,
    MEMBER,
    SECRETARY,
    YES_VOTERS,
    Meeting,
    open_meeting,
)
from wijkraad import demo

# The browser reports a violation as an event; the page passes it on as a console error, which
# the test collects with every other one.
FORM_ANSWER = re.compile(
    r"Failed to load resource: the server responded with a status of (401|422)"
)
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber} ${event.sample}`);
});
"""


class Watched:
    """Browser contexts whose pages report their console errors and failed scripts."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.errors: list[str] = []
        self.contexts: list[BrowserContext] = []

    def page(self, **options: object) -> Page:
        context = self.browser.new_context(**options)
        context.add_init_script(REPORT_VIOLATIONS)
        self.contexts.append(context)
        page = context.new_page()

        def console(message: ConsoleMessage) -> None:
            if message.type != "error":
                return
            # A form shown again with its errors answers 422 (401 for a refused login): the
            # browser logs that status of the page itself, which is no fault of the page.
            answer = FORM_ANSWER.match(message.text)
            if answer and message.location.get("url") == page.url:
                return
            self.errors.append(f"{page.url}: {message.text}")

        page.on("console", console)
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))
        return page

    def visit(self, page: Page, url: str, wait: int = 0) -> None:
        response = page.goto(url)
        assert response is not None and response.ok, (url, response and response.status)
        page.wait_for_load_state("load")
        if wait:
            page.wait_for_timeout(wait)  # a few polls of a live page


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    watched = Watched(browser)
    yield watched
    for context in watched.contexts:
        context.close()


@pytest.fixture
def meeting(live_server: str) -> Meeting:
    return open_meeting(live_server)


def test_the_public_pages_log_no_errors(watched: Watched, meeting: Meeting) -> None:
    page = watched.page()
    base = meeting.base
    for path in (
        "/",
        "/wijkraden/oosterparkwijk",
        "/wijkraden/oosterparkwijk/vergaderingen",
        "/privacy",
        "/toegankelijkheid",
    ):
        watched.visit(page, f"{base}{path}")
    watched.visit(page, meeting.url)
    watched.visit(page, f"{meeting.url}/projector")
    watched.visit(page, f"{base}/aanmelden")
    page.get_by_label("E-mailadres").fill(MEMBER)
    page.get_by_label("Wachtwoord").fill("niet het wachtwoord")
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert watched.errors == []


def test_the_member_and_administrator_pages_log_no_errors(
    watched: Watched, meeting: Meeting
) -> None:
    admin = watched.page()
    login(admin, meeting.base, demo.ADMIN_EMAIL)
    for path in ("/account", "/beheer/huisstijl", "/beheer/accounts", "/beheer/accounts/nieuw"):
        watched.visit(admin, f"{meeting.base}{path}")
    admin.get_by_role("button", name="Account aanmaken").click()  # a form with errors
    expect(admin.locator("#error-summary")).to_be_visible()

    member = watched.page(**PHONE)
    login(member, meeting.base, MEMBER)
    watched.visit(member, meeting.url)
    watched.visit(member, f"{meeting.url}/verslag")
    watched.visit(member, f"{meeting.base}/wijkraden/oosterparkwijk")

    secretary = watched.page()
    login(secretary, meeting.base, SECRETARY)
    for path in ("", "/verslag", "/verslag/bewerken", "/besluiten/aanvullen"):
        watched.visit(secretary, f"{meeting.url}{path}")
    assert watched.errors == []


def test_a_blocked_inline_style_is_caught(watched: Watched, live_server: str) -> None:
    page = watched.page()
    watched.visit(page, live_server)
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<style>p { color: red }</style>')"
    )
    page.wait_for_timeout(200)
    assert any("CSP violation: style-src" in error for error in watched.errors), watched.errors


def test_the_live_pages_log_no_errors_while_they_change(watched: Watched, meeting: Meeting) -> None:
    round_id = meeting.open_round()
    chair = watched.page()
    login(chair, meeting.base, CHAIR)
    watched.visit(chair, meeting.url)
    watched.visit(chair, f"{meeting.base}/stemmingen/{round_id}/voorzitter", wait=1500)
    projector = watched.page(viewport={"width": 1280, "height": 720})
    watched.visit(projector, f"{meeting.url}/projector", wait=1500)
    phone = watched.page(**PHONE)
    login(phone, meeting.base, MEMBER)
    watched.visit(phone, f"{meeting.url}/stemmen", wait=1500)

    # A vote from the phone (a swap in answer to a button), and votes that the polls bring in.
    phone.get_by_role("button", name="Voor").click()
    phone.get_by_role("button", name="Bevestigen: Voor").click()
    expect(phone.get_by_text("U hebt gestemd").first).to_be_visible()
    for email in YES_VOTERS:
        meeting.vote(round_id, email, "yes")
    progress = re.compile(r"^9 van \d+ stemgerechtigden hebben gestemd")
    expect(projector.get_by_text(progress)).to_be_visible(timeout=5000)
    expect(chair.get_by_text(re.compile(r"^Gestemd: 9 van"))).to_be_visible(timeout=5000)

    # The round closes: every live page swaps in the outcome.
    chair.get_by_role("button", name="Stemming sluiten").click()
    chair.get_by_role("dialog").get_by_role("button", name="Ja, stemming sluiten").click()
    expect(chair.get_by_text("aangenomen").first).to_be_visible()
    expect(projector.get_by_role("heading", name="Uitslag")).to_be_visible(timeout=5000)
    expect(phone.get_by_role("heading", name="Er is nu geen stemming")).to_be_visible(timeout=5000)
    phone.wait_for_timeout(1500)
    assert watched.errors == []
