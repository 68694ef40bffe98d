"""The member's home on a phone: logging in leads there, the header leaves the first screen to
the content, "Stem nu" appears while a round waits and leads to the vote in one tap; the
projector shows where to vote. axe finds no WCAG 2.1 A/AA violation.

Screenshots go to ``WIJKRAAD_SCREENSHOTS`` when it names a folder (to look at), else to the
test's own temporary folder."""

from __future__ import annotations

import itertools
import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import api, assert_accessible, login, token_for

# A small phone (iPhone SE): 375 x 667.
SMALL_PHONE = {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}
SECRETARY = "secretaris@oosterpark.example"
CHAIR = "voorzitter@oosterpark.example"
MEMBER = "lid@oosterpark.example"


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("WIJKRAAD_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_meeting(base: str, title: str) -> tuple[int, int]:
    """A meeting opened now with everyone present and one motion: (meeting, motion)."""
    secretary, chair = token_for(base, SECRETARY), token_for(base, CHAIR)
    starts_at = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    meeting = api(
        base,
        "POST",
        "/councils/oosterparkwijk/meetings",
        secretary,
        {"title": title, "starts_at": starts_at, "location": "Buurthuis De Oosterpoort"},
    )["id"]
    item = api(base, "POST", f"/meetings/{meeting}/agenda-items", secretary, {"title": "Bankjes"})
    api(base, "POST", f"/meetings/{meeting}/publish", secretary)
    members = api(base, "GET", "/councils/oosterparkwijk")["members"]
    present = {"present": [m["id"] for m in members]}
    api(base, "PUT", f"/meetings/{meeting}/attendance", secretary, present)
    api(base, "POST", f"/meetings/{meeting}/open", chair)
    body = {"title": "Vier nieuwe bankjes", "text": "De wijkraad plaatst vier bankjes."}
    motion = api(base, "POST", f"/agenda-items/{item['id']}/motions", chair, body)["id"]
    return meeting, motion


def header_share(page: Page) -> float:
    box = page.locator("header.app-header").bounding_box()
    assert box is not None
    return (box["y"] + box["height"]) / page.viewport_size["height"]  # type: ignore[index]


def test_member_home_on_a_small_phone_and_one_tap_to_vote(
    browser: Browser, live_server: str, shots: Path
) -> None:
    meeting, motion = open_meeting(live_server, "Vergadering voor de startpagina")
    phone = browser.new_context(**SMALL_PHONE).new_page()
    login(phone, live_server, MEMBER)
    expect(phone).to_have_url(re.compile(r"/mijn$"))
    expect(phone.get_by_role("heading", level=1, name="Mijn wijkraden")).to_be_visible()
    expect(phone.get_by_text("Bewoner, lid")).to_be_visible()

    # The header leaves the first screen to the content.
    assert header_share(phone) <= 0.2, f"the header takes {header_share(phone):.0%}"
    width = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width
    phone.screenshot(path=str(shots / "home-phone.png"))
    assert_accessible(phone)
    # Other tests may leave rounds open in their meetings: this meeting's button is the one.
    vote_now = phone.get_by_role("link", name=re.compile("^Stem nu")).and_(
        phone.locator(f'a[href$="/vergaderingen/{meeting}/stemmen"]')
    )
    expect(vote_now).to_have_count(0)

    chair = token_for(live_server, CHAIR)
    api(live_server, "POST", f"/motions/{motion}/rounds", chair, {"mode": "named"})
    phone.reload()
    expect(vote_now).to_have_count(1)
    phone.screenshot(path=str(shots / "home-phone-vote-now.png"))
    box = vote_now.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 300, box
    assert_accessible(phone)

    # At 320 px (reflow) nothing scrolls sideways either.
    phone.set_viewport_size({"width": 320, "height": 568})
    width = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width
    phone.screenshot(path=str(shots / "home-phone-320.png"))

    vote_now.click()
    expect(phone).to_have_url(re.compile(rf"/vergaderingen/{meeting}/stemmen$"))
    expect(phone.get_by_role("button", name="Voor")).to_be_visible()
    phone.context.close()


def test_header_keyboard_order_follows_what_is_shown(browser: Browser, live_server: str) -> None:
    """Tab goes brand, language, menu: left to right, top to bottom, on a phone too."""
    phone = browser.new_context(**SMALL_PHONE).new_page()
    login(phone, live_server, MEMBER)
    order = []
    phone.keyboard.press("Tab")  # the skip link
    for _ in range(5):
        phone.keyboard.press("Tab")
        order.append(
            phone.evaluate(
                "(() => { const r = document.activeElement.getBoundingClientRect();"
                " return [document.activeElement.textContent.trim(), r.top, r.left]; })()"
            )
        )
    names = [name for name, _, _ in order]
    assert names[0] == "wijkraad"
    assert names[1].startswith("NL") and names[2].startswith("EN")
    assert names[3] == "Mijn wijkraden"
    for (_, top, left), (_, next_top, next_left) in itertools.pairwise(order):
        same_row = abs(next_top - top) < 16
        assert (same_row and next_left > left) or (not same_row and next_top > top), order
    phone.context.close()


def test_language_choice_in_the_header(browser: Browser, live_server: str) -> None:
    page = browser.new_context(**SMALL_PHONE).new_page()
    page.goto(f"{live_server}/")
    expect(page.get_by_role("button", name=re.compile("^NL"))).to_have_attribute(
        "aria-pressed", "true"
    )
    page.get_by_role("button", name=re.compile("^EN")).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name=re.compile("^EN"))).to_have_attribute(
        "aria-pressed", "true"
    )
    page.get_by_role("button", name=re.compile("^NL")).click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    page.context.close()


def test_home_on_a_desktop_and_the_public_list(
    browser: Browser, live_server: str, shots: Path
) -> None:
    page = browser.new_context(**DESKTOP).new_page()
    page.goto(f"{live_server}/")
    assert_accessible(page)
    page.screenshot(path=str(shots / "councils-desktop.png"))
    login(page, live_server, CHAIR)
    expect(page).to_have_url(re.compile(r"/mijn$"))
    expect(page.get_by_text("Bewoner, voorzitter")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=str(shots / "home-desktop.png"))
    page.context.close()


def test_projector_shows_where_to_vote(browser: Browser, live_server: str, shots: Path) -> None:
    meeting, motion = open_meeting(live_server, "Vergadering met stemadres")
    chair = token_for(live_server, CHAIR)
    api(live_server, "POST", f"/motions/{motion}/rounds", chair, {"mode": "named"})
    projector = browser.new_context(**PROJECTOR).new_page()
    projector.goto(f"{live_server}/vergaderingen/{meeting}/projector")
    address = f"{live_server}/vergaderingen/{meeting}/stemmen"
    expect(projector.get_by_text(address, exact=True)).to_be_visible()
    qr = projector.get_by_role("img", name=f"QR-code van het stemadres {address}")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 150 and abs(box["width"] - box["height"]) < 1, box
    size = projector.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight,"
        " window.innerWidth, window.innerHeight]"
    )
    assert size[0] <= size[2] and size[1] <= size[3], f"the projector scrolls: {size}"
    projector.screenshot(path=str(shots / "projector.png"))
    assert_accessible(projector)
    projector.context.close()
