"""The live screens in a real browser: polls revalidate their copy (If-None-Match, 304) while
nothing changes, and the screens still follow a vote as soon as it is cast."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from tests.e2e.helpers import PHONE, api, login, token_for
from tests.e2e.test_voting import prepared_meeting


def test_unchanged_polls_are_revalidated_and_changes_still_arrive(
    browser: Browser, live_server: str
) -> None:
    meeting_id, motion_id = prepared_meeting(live_server)
    chair = token_for(live_server, "voorzitter@oosterpark.example")
    round_id = api(live_server, "POST", f"/motions/{motion_id}/rounds", chair, {"mode": "named"})[
        "id"
    ]

    # What the browser sent and got on the wire (DevTools): a revalidated copy reaches the
    # page as a 200, but the server answered 304.
    projector = browser.new_context().new_page()
    devtools = projector.context.new_cdp_session(projector)
    devtools.send("Network.enable")
    urls: dict[str, str] = {}
    polls: list[tuple[int, str | None]] = []
    sent: dict[str, str | None] = {}

    def request(event: dict) -> None:
        urls[event["requestId"]] = event["request"]["url"]

    def request_headers(event: dict) -> None:
        headers = {k.lower(): v for k, v in event["headers"].items()}
        sent[event["requestId"]] = headers.get("if-none-match")

    def response(event: dict) -> None:
        if "/projector/stand" in urls.get(event["requestId"], ""):
            polls.append((event["statusCode"], sent.get(event["requestId"])))

    devtools.on("Network.requestWillBeSent", request)
    devtools.on("Network.requestWillBeSentExtraInfo", request_headers)
    devtools.on("Network.responseReceivedExtraInfo", response)
    projector.goto(f"{live_server}/vergaderingen/{meeting_id}/projector")
    phone = browser.new_context(**PHONE).new_page()
    phone_polls: list[int] = []
    phone.on(
        "response",
        lambda response: phone_polls.append(response.status) if "/paneel" in response.url else None,
    )
    login(phone, live_server, "lid@oosterpark.example")
    phone.goto(f"{live_server}/vergaderingen/{meeting_id}/stemmen")
    expect(
        projector.get_by_text(re.compile(r"^0 van \d+ stemgerechtigden hebben gestemd"))
    ).to_be_visible()

    # The first poll fetches the fragment; the next ones revalidate it and get an empty 304.
    projector.wait_for_timeout(3500)
    assert polls and polls[0][0] == 200, polls
    revalidated = [tag for status, tag in polls[1:] if status == 304]
    assert revalidated and all(revalidated), polls
    assert phone_polls, phone_polls  # the phone polls its private copy too

    # A vote arrives: the next poll brings it.
    member = token_for(live_server, "raadslid@gemeente.example")
    api(live_server, "POST", f"/rounds/{round_id}/votes", member, {"choice": "yes"})
    expect(
        projector.get_by_text(re.compile(r"^1 van \d+ stemgerechtigden hebben gestemd"))
    ).to_be_visible(timeout=3000)
    assert any(status == 200 for status, _ in polls[1:]), polls
    # And the phone, which had nothing new for a while, still votes and shows it.
    phone.get_by_role("button", name="Voor").click()
    phone.get_by_role("button", name="Bevestigen: Voor").click()
    expect(phone.get_by_text("U hebt gestemd")).to_be_visible()
    expect(
        projector.get_by_text(re.compile(r"^2 van \d+ stemgerechtigden hebben gestemd"))
    ).to_be_visible(timeout=3000)
    phone.wait_for_timeout(2500)  # a poll after the vote keeps the answer in place
    expect(phone.get_by_text("U hebt gestemd")).to_be_visible()
