"""Safe actions during a meeting, in real browsers: a drastic button opens an accessible dialog
(focus moves in, Escape cancels and returns focus, confirming acts); a phone vote is chosen and
then confirmed, and the choice holds while other members' votes come in; counts typed on the
console are saved with the close. The confirmation pages pass axe; screenshots at phone and
desktop size."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import PHONE, api, assert_accessible, login, token_for
from tests.e2e.test_voting import prepared_meeting

SHOTS = Path("/work/notes/shots-safe")
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
CHAIR = "voorzitter@oosterpark.example"


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def open_round(base: str, motion_id: int, mode: str) -> int:
    chair = token_for(base, CHAIR)
    return api(base, "POST", f"/motions/{motion_id}/rounds", chair, {"mode": mode})["id"]


def focused_name(page: Page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.textContent.trim()")


def test_closing_a_round_in_the_dialog_by_keyboard(browser: Browser, live_server: str) -> None:
    _meeting, motion_id = prepared_meeting(live_server)
    round_id = open_round(live_server, motion_id, "named")
    voter = token_for(live_server, "lid@oosterpark.example")
    api(live_server, "POST", f"/rounds/{round_id}/votes", voter, {"choice": "yes"})

    chair = browser.new_context(**DESKTOP).new_page()
    login(chair, live_server, CHAIR)
    chair.goto(f"{live_server}/stemmingen/{round_id}/voorzitter")
    opener = chair.get_by_role("button", name="Stemming sluiten")
    dialog = chair.get_by_role("dialog", name="Stemming sluiten?")

    opener.focus()
    chair.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Terug")).to_be_focused()
    # The dialog repeats the live count of the console.
    expect(dialog.get_by_text(re.compile(r"^1 van \d+ stemmen binnen\."))).to_be_visible()
    assert_accessible(chair)
    shot(chair, "dialog-close-round-desktop")

    chair.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()
    assert "/voorzitter" in chair.url
    expect(chair.get_by_role("heading", name="Stand")).to_be_visible()

    chair.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    chair.keyboard.press("Shift+Tab")
    expect(dialog.get_by_role("button", name="Ja, stemming sluiten")).to_be_focused()
    chair.keyboard.press("Enter")
    expect(chair.get_by_text("De stemming is gesloten")).to_be_visible()
    expect(chair.get_by_role("heading", name="Uitslag")).to_be_visible()


def test_a_phone_vote_is_chosen_then_confirmed(browser: Browser, live_server: str) -> None:
    meeting_id, motion_id = prepared_meeting(live_server)
    round_id = open_round(live_server, motion_id, "named")
    phone = browser.new_context(**PHONE).new_page()
    login(phone, live_server, "lid@oosterpark.example")
    phone.goto(f"{live_server}/vergaderingen/{meeting_id}/stemmen")

    phone.get_by_role("button", name="Voor").click()
    expect(phone.get_by_text("U kiest: Voor")).to_be_visible()
    confirm = phone.get_by_role("button", name="Bevestigen: Voor")
    expect(confirm).to_be_focused()
    assert "keuze" not in phone.url  # the panel changed in place
    assert_accessible(phone)
    shot(phone, "vote-confirm-phone")

    # Other members vote meanwhile: the polled panel does not take the choice away.
    other = token_for(live_server, "pieter@oosterpark.example")
    api(live_server, "POST", f"/rounds/{round_id}/votes", other, {"choice": "no"})
    phone.wait_for_timeout(4500)
    expect(confirm).to_be_visible()

    phone.get_by_role("link", name="Andere keuze").click()
    expect(phone.get_by_role("button", name="Tegen")).to_be_visible()
    phone.get_by_role("button", name="Tegen").click()
    phone.get_by_role("button", name="Bevestigen: Tegen").click()
    expect(phone.get_by_text("U hebt gestemd: Tegen")).to_be_visible()
    expect(phone.get_by_text("Uw stem is vastgelegd")).to_be_visible()
    shot(phone, "vote-recorded-phone")
    chair = token_for(live_server, CHAIR)
    assert api(live_server, "GET", f"/rounds/{round_id}", chair)["counts"]["no"] == 2


def test_counts_typed_are_saved_with_the_close(browser: Browser, live_server: str) -> None:
    _meeting, motion_id = prepared_meeting(live_server)
    round_id = open_round(live_server, motion_id, "analog")
    chair = browser.new_context(**DESKTOP).new_page()
    login(chair, live_server, CHAIR)
    chair.goto(f"{live_server}/stemmingen/{round_id}/voorzitter")

    # Too many councillors' hands: the close is refused, naming the group.
    chair.get_by_label("Bewoners voor").fill("6")
    chair.get_by_label("Raadsleden voor").fill("40")
    chair.get_by_role("button", name="Stemming sluiten").click()
    chair.get_by_role("dialog").get_by_role("button", name="Ja, stemming sluiten").click()
    summary = chair.get_by_role("alert").filter(has_text="Er is iets niet goed ingevuld")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("De stemming is niet gesloten")
    expect(summary).to_contain_text("Raadsleden: samen 40 stemmen")
    expect(chair.get_by_label("Raadsleden voor")).to_have_attribute("aria-invalid", "true")
    expect(chair.get_by_label("Raadsleden tegen")).to_have_attribute("aria-invalid", "true")
    assert_accessible(chair)
    shot(chair, "counts-refused-desktop")

    chair.get_by_label("Raadsleden voor").fill("2")
    chair.get_by_label("Bewoners tegen").fill("1")
    chair.get_by_role("button", name="Stemming sluiten").click()
    chair.get_by_role("dialog").get_by_role("button", name="Ja, stemming sluiten").click()
    expect(chair.get_by_text("De stemming is gesloten: aangenomen")).to_be_visible()
    counts = api(live_server, "GET", f"/rounds/{round_id}")["counts"]
    assert counts == {"yes": 8, "no": 1, "abstain": 0}


def test_confirmation_pages(browser: Browser, live_server: str) -> None:
    """The pages that ask without script: axe and screenshots (axe itself needs script). Each
    is asked while its action can be done: withdrawing and closing the meeting before the round
    opens, closing the round while it is open. Then the first two ask nothing: back to the
    meeting with the reason."""
    meeting_id, motion_id = prepared_meeting(live_server)
    pages = {}
    for size, context in (("phone", PHONE), ("desktop", DESKTOP)):
        pages[size] = browser.new_context(**context).new_page()
        login(pages[size], live_server, CHAIR)

    def ask(name: str, path: str, heading: str) -> None:
        for size, page in pages.items():
            page.goto(f"{live_server}{path}")
            expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
            assert_accessible(page)
            shot(page, f"confirm-{name}-{size}")

    close_meeting = f"/vergaderingen/{meeting_id}/sluiten"
    withdraw = f"/voorstellen/{motion_id}/intrekken"
    at_motion = re.compile(rf"/vergaderingen/{meeting_id}#voorstel-{motion_id}$")
    ask("close-meeting", close_meeting, "Vergadering sluiten?")
    ask("withdraw", withdraw, "'Vier nieuwe bankjes' intrekken?")
    for page in pages.values():
        page.get_by_role("link", name="Terug").click()
        expect(page).to_have_url(at_motion)
    round_id = open_round(live_server, motion_id, "analog")
    ask("close-round", f"/stemmingen/{round_id}/sluiten", "Stemming sluiten?")

    page = pages["phone"]
    page.goto(f"{live_server}{close_meeting}")
    expect(page).to_have_url(re.compile(rf"/vergaderingen/{meeting_id}$"))
    expect(page.get_by_text("Sluit eerst de lopende stemming.")).to_be_visible()
    expect(page.get_by_role("button", name="Vergadering sluiten", exact=True)).to_have_count(0)
    assert_accessible(page)
    page.goto(f"{live_server}{withdraw}")
    expect(page).to_have_url(at_motion)
    expect(page.get_by_text("Dat kan niet: het voorstel is nu in stemming.")).to_be_visible()
    for page in pages.values():
        page.context.close()


def test_closing_with_counts_without_script(browser: Browser, live_server: str) -> None:
    _meeting, motion_id = prepared_meeting(live_server)
    round_id = open_round(live_server, motion_id, "analog")
    page = browser.new_context(java_script_enabled=False, **PHONE).new_page()
    login(page, live_server, CHAIR)
    page.goto(f"{live_server}/stemmingen/{round_id}/voorzitter")
    page.get_by_label("Bewoners voor").fill("8")
    page.get_by_role("button", name="Stemming sluiten").click()
    # The typed counts are kept, and the question carries them.
    expect(page.get_by_role("heading", name="Stemming sluiten?")).to_be_visible()
    expect(page.get_by_text("De aantallen zijn opgeslagen")).to_be_visible()
    expect(page.get_by_label("Bewoners voor")).to_have_value("8")
    assert api(live_server, "GET", f"/rounds/{round_id}")["status"] == "open"
    page.get_by_role("button", name="Ja, stemming sluiten").click()
    expect(page.get_by_text("De stemming is gesloten: aangenomen")).to_be_visible()
    assert api(live_server, "GET", f"/rounds/{round_id}")["counts"]["yes"] == 8
    page.context.close()


def test_cancelling_a_meeting_asks_in_a_dialog(browser: Browser, live_server: str) -> None:
    secretary = token_for(live_server, "secretaris@oosterpark.example")
    meeting = api(
        live_server,
        "POST",
        "/councils/oosterparkwijk/meetings",
        secretary,
        {"title": "Te annuleren", "starts_at": "2026-12-08T19:30:00+01:00", "location": "Hier"},
    )
    page = browser.new_context(**PHONE).new_page()
    login(page, live_server, "secretaris@oosterpark.example")
    page.goto(f"{live_server}/vergaderingen/{meeting['id']}")
    page.get_by_role("button", name="Vergadering annuleren").click()
    dialog = page.get_by_role("dialog", name="Vergadering annuleren?")
    expect(dialog).to_be_visible()
    assert_accessible(page)
    shot(page, "dialog-cancel-meeting-phone")
    dialog.get_by_role("button", name="Terug").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name="Vergadering annuleren")).to_be_focused()
    page.get_by_role("button", name="Vergadering annuleren").click()
    dialog.get_by_role("button", name="Ja, vergadering annuleren").click()
    expect(page.get_by_text("De vergadering is geannuleerd.")).to_be_visible()
