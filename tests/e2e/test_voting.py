"""Live voting in real browsers: the chair opens a round, two members vote on their phones, the
projector follows the counts without reloading, the chair closes, everyone sees the outcome."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from tests.e2e.helpers import PHONE, api, login, token_for


def prepared_meeting(base: str) -> tuple[int, int]:
    """A published, open meeting with everyone present and one motion, through the API."""
    secretary = token_for(base, "secretaris@oosterpark.example")
    chair = token_for(base, "voorzitter@oosterpark.example")
    meeting = api(
        base,
        "POST",
        "/councils/oosterparkwijk/meetings",
        secretary,
        {
            "title": "Browservergadering",
            "starts_at": "2026-12-01T19:30:00+01:00",
            "location": "Buurthuis",
        },
    )
    item = api(
        base,
        "POST",
        f"/meetings/{meeting['id']}/agenda-items",
        secretary,
        {"title": "Bankjes in het park"},
    )
    api(base, "POST", f"/meetings/{meeting['id']}/publish", secretary)
    members = api(base, "GET", "/councils/oosterparkwijk")["members"]
    api(
        base,
        "PUT",
        f"/meetings/{meeting['id']}/attendance",
        secretary,
        {"present": [m["id"] for m in members]},
    )
    api(base, "POST", f"/meetings/{meeting['id']}/open", chair)
    motion = api(
        base,
        "POST",
        f"/agenda-items/{item['id']}/motions",
        chair,
        {"title": "Vier nieuwe bankjes", "text": "De wijkraad plaatst vier bankjes in het park."},
    )
    return meeting["id"], motion["id"]


def test_live_vote_from_phones_to_projector(browser: Browser, live_server: str) -> None:
    meeting_id, _ = prepared_meeting(live_server)

    projector = browser.new_context().new_page()
    projector.goto(f"{live_server}/vergaderingen/{meeting_id}/projector")

    chair = browser.new_context().new_page()
    login(chair, live_server, "voorzitter@oosterpark.example")
    chair.goto(f"{live_server}/vergaderingen/{meeting_id}")
    chair.get_by_role("button", name="Stemming openen").first.click()

    voters = []
    for email in ("lid@oosterpark.example", "raadslid@gemeente.example"):
        phone = browser.new_context(**PHONE).new_page()
        login(phone, live_server, email)
        phone.goto(f"{live_server}/vergaderingen/{meeting_id}/stemmen")
        voters.append(phone)

    # The projector picks up the open round by itself.
    expect(projector.get_by_text("Er wordt gestemd")).to_be_visible(timeout=5000)
    expect(
        projector.get_by_text(re.compile(r"^0 van \d+ stemgerechtigden hebben gestemd"))
    ).to_be_visible(timeout=5000)

    voters[0].get_by_role("button", name="Voor").click()
    voters[0].get_by_role("button", name="Bevestigen: Voor").click()
    expect(voters[0].get_by_text("U hebt gestemd")).to_be_visible()
    expect(
        projector.get_by_text(re.compile(r"^1 van \d+ stemgerechtigden hebben gestemd"))
    ).to_be_visible(timeout=3000)

    voters[1].get_by_role("button", name="Tegen").click()
    voters[1].get_by_role("button", name="Bevestigen: Tegen").click()
    expect(voters[1].get_by_text("U hebt gestemd")).to_be_visible()
    expect(
        projector.get_by_text(re.compile(r"^2 van \d+ stemgerechtigden hebben gestemd"))
    ).to_be_visible(timeout=3000)

    # Too few voted: the round is invalid, and everyone sees it.
    if "/voorzitter" not in chair.url:  # opening the round may already have led to the console
        chair.get_by_role("link", name="Naar de stemming (voorzitter)").click()
    chair.get_by_role("button", name="Stemming sluiten").click()
    chair.get_by_role("dialog").get_by_role("button", name="Ja, stemming sluiten").click()
    expect(chair.get_by_text("ongeldig").first).to_be_visible()
    expect(projector.get_by_role("heading", name="Uitslag")).to_be_visible(timeout=3000)
    expect(projector.get_by_text("ongeldig").first).to_be_visible(timeout=3000)
    for phone in voters:
        expect(phone.get_by_role("heading", name="Er is nu geen stemming")).to_be_visible(
            timeout=5000
        )
