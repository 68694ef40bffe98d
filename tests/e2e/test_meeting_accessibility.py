"""WCAG 2.1 A/AA checks by axe-core on the meeting pages while a round runs: the chair's meeting
page and console, a member's phone before and after voting, and the projector during and after
the round. Each test sets up its own meeting through the API, since the live server is shared."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import PHONE, api, assert_accessible, login, token_for

PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}

SECRETARY = "secretaris@oosterpark.example"
CHAIR = "voorzitter@oosterpark.example"
MEMBER = "lid@oosterpark.example"
# Enough residents and councillors for a valid round that adopts the motion.
YES_VOTERS = [
    "pieter@oosterpark.example",
    "sanne@oosterpark.example",
    "mohamed@oosterpark.example",
    "ineke@oosterpark.example",
    "daan@oosterpark.example",
    "lotte@oosterpark.example",
    "marieke@gemeente.example",
    "erik@gemeente.example",
]


@dataclass
class Meeting:
    base: str
    id: int
    motion_id: int
    chair: str  # the chair's API token

    @property
    def url(self) -> str:
        return f"{self.base}/vergaderingen/{self.id}"

    def open_round(self, mode: str = "named") -> int:
        body = {"mode": mode}
        return api(self.base, "POST", f"/motions/{self.motion_id}/rounds", self.chair, body)["id"]

    def vote(self, round_id: int, email: str, choice: str) -> None:
        token = token_for(self.base, email)
        api(self.base, "POST", f"/rounds/{round_id}/votes", token, {"choice": choice})

    def close_round(self, round_id: int) -> dict:
        return api(self.base, "POST", f"/rounds/{round_id}/close", self.chair)


@pytest.fixture
def meeting(live_server: str) -> Meeting:
    return open_meeting(live_server)


def open_meeting(base: str) -> Meeting:
    """An open meeting with everyone present and an agenda as a chair meets it: a formality, an
    item with a sub-item, a confidential item; a motion with an amendment that was voted first."""
    secretary, chair = token_for(base, SECRETARY), token_for(base, CHAIR)
    found = api(
        base,
        "POST",
        "/councils/oosterparkwijk/meetings",
        secretary,
        {
            "title": "Toegankelijkheidsvergadering",
            "starts_at": "2026-12-08T19:30:00+01:00",
            "location": "Buurthuis De Oosterpoort",
        },
    )
    meeting_id = found["id"]

    def item(title: str, **extra: object) -> int:
        path = f"/meetings/{meeting_id}/agenda-items"
        return api(base, "POST", path, secretary, {"title": title, **extra})["id"]

    minutes = item("Verslag vorige vergadering", is_formality=True)
    green = item("Groen in de wijk")
    benches = item("Bankjes in het Oosterpark", parent_id=green)
    item("Subsidieaanvraag buurtvereniging", is_confidential=True)
    api(base, "POST", f"/meetings/{meeting_id}/publish", secretary)
    members = api(base, "GET", "/councils/oosterparkwijk")["members"]
    present = {"present": [m["id"] for m in members]}
    api(base, "PUT", f"/meetings/{meeting_id}/attendance", secretary, present)
    api(base, "POST", f"/meetings/{meeting_id}/open", chair)

    def motion(item_id: int, title: str, **extra: object) -> int:
        body = {"title": title, "text": f"{title}: de wijkraad besluit het.", **extra}
        return api(base, "POST", f"/agenda-items/{item_id}/motions", chair, body)["id"]

    motion(minutes, "Verslag van 3 november vaststellen")
    main = motion(benches, "Vier nieuwe bankjes")
    amendment = motion(benches, "Zes bankjes in plaats van vier", amends_id=main)
    # The amendment goes first; a show of hands rejects it, so the motion itself is next.
    round_id = api(base, "POST", f"/motions/{amendment}/rounds", chair, {"mode": "analog"})["id"]
    counts = {
        "residents": {"yes": 1, "no": 7, "abstain": 0},
        "councillors": {"yes": 0, "no": 4, "abstain": 0},
    }
    api(base, "PUT", f"/rounds/{round_id}/counts", chair, counts)
    api(base, "POST", f"/rounds/{round_id}/close", chair)
    return Meeting(base, meeting_id, main, chair)


def test_meeting_page_as_chair_with_an_open_round(page: Page, meeting: Meeting) -> None:
    meeting.open_round()
    login(page, meeting.base, CHAIR)
    page.goto(meeting.url)
    expect(page.get_by_text("Er wordt nu gestemd over 'Vier nieuwe bankjes'")).to_be_visible()
    expect(page.get_by_role("link", name="Stemming leiden")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("mode", ["named", "analog"])
def test_chair_console(page: Page, meeting: Meeting, mode: str) -> None:
    round_id = meeting.open_round(mode)
    login(page, meeting.base, CHAIR)
    page.goto(f"{meeting.base}/stemmingen/{round_id}/voorzitter")
    expect(page.get_by_text(re.compile(r"De stemming is geldig als \d+ of meer"))).to_be_visible()
    expect(page.get_by_role("button", name="Stemming sluiten")).to_be_visible()
    assert_accessible(page)


def test_phone_voting_page_before_and_after_voting(browser: Browser, meeting: Meeting) -> None:
    meeting.open_round()
    phone = browser.new_context(**PHONE).new_page()
    login(phone, meeting.base, MEMBER)
    phone.goto(f"{meeting.url}/stemmen")

    buttons = [phone.get_by_role("button", name=name) for name in ("Voor", "Tegen", "Onthouden")]
    for button in buttons:
        expect(button).to_be_visible()
        box = button.bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 300, box
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone)

    buttons[0].click()
    confirm = phone.get_by_role("button", name="Bevestigen: Voor")
    expect(confirm).to_be_focused()
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone)
    confirm.click()
    confirmation = phone.get_by_role("status").filter(has_text="U hebt gestemd: Voor")
    expect(confirmation).to_be_visible()
    expect(confirmation).to_be_focused()
    expect(phone.get_by_role("button", name="Voor")).to_have_count(0)
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone)
    phone.context.close()


def test_projector_during_and_after_a_round(browser: Browser, meeting: Meeting) -> None:
    round_id = meeting.open_round()
    projector = browser.new_context(**PROJECTOR).new_page()
    projector.goto(f"{meeting.url}/projector")
    expect(projector.get_by_role("heading", name="Er wordt gestemd")).to_be_visible()
    for email in YES_VOTERS:
        meeting.vote(round_id, email, "yes")
    progress = re.compile(r"^8 van \d+ stemgerechtigden hebben gestemd")
    expect(projector.get_by_text(progress)).to_be_visible(timeout=5000)
    assert_fits_the_screen(projector)
    assert_accessible(projector)

    meeting.close_round(round_id)
    expect(projector.get_by_role("heading", name="Uitslag")).to_be_visible(timeout=5000)
    expect(projector.get_by_text("aangenomen", exact=True)).to_be_visible()
    assert_fits_the_screen(projector)
    assert_accessible(projector)
    projector.context.close()


def assert_no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page is wider than the phone: {width}"


def assert_fits_the_screen(page: Page) -> None:
    """Read from the back of the room, the projector never scrolls."""
    size = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight,"
        " window.innerWidth, window.innerHeight]"
    )
    assert size[0] <= size[2] and size[1] <= size[3], f"the projector scrolls: {size}"
