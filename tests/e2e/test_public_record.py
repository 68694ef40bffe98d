"""A member of the public finds, reads and downloads a decision without an account: from the
council's page to the archive, a search, the decision's page and its decision list as PDF; on a
laptop and on a phone, with no WCAG 2.1 A/AA violation on the archive and the decision page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import PHONE, assert_accessible


def find_and_read(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/wijkraden/oosterparkwijk")
    page.get_by_role("link", name="Alle besluiten doorzoeken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Besluiten van")
    assert_accessible(page)
    page.get_by_label("Zoeken in besluiten").fill("rolstoel")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("heading", name="1 besluit")).to_be_visible()
    assert "q=rolstoel" in page.url
    page.get_by_role("link", name="Speeltuin Oosterpark vernieuwen").click()
    expect(page).to_have_url(re.compile(r"/besluiten/OPW-\d{4}-002$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Speeltuin Oosterpark vernieuwen")
    expect(page.get_by_text("rolstoel kunnen spelen")).to_be_visible()
    expect(page.locator("#cite-as")).to_contain_text("OPW-")
    assert_accessible(page)
    link = page.get_by_role("link", name="De besluitenlijst van de vergadering (PDF)")
    response = page.request.get(f"{live_server}{link.get_attribute('href')}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")


def test_a_visitor_finds_reads_and_downloads_a_decision(page: Page, live_server: str) -> None:
    find_and_read(page, live_server)


@pytest.mark.parametrize("device", ["phone"])
def test_the_same_on_a_phone(browser: Browser, live_server: str, device: str) -> None:
    context = browser.new_context(**PHONE)
    try:
        find_and_read(context.new_page(), live_server)
    finally:
        context.close()
