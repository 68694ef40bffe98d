"""What the browser tests share: the API on the live server, logging in, the axe check."""

from __future__ import annotations

import json
import urllib.request

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from wijkraad import demo

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def api(
    base: str, method: str, path: str, token: str | None = None, body: dict | None = None
) -> dict:
    request = urllib.request.Request(  # noqa: S310  (loopback test server)
        f"{base}/api/v1{path}",
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={
            "Content-Type": "application/json",
            **({"Authorization": f"Bearer {token}"} if token else {}),
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310  (loopback test server)
        return json.loads(response.read() or b"{}")


def token_for(base: str, email: str) -> str:
    return api(base, "POST", "/tokens", body={"email": email, "password": demo.PASSWORD})["token"]


def login(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/aanmelden")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(demo.PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_text("U bent aangemeld")).to_be_visible()


def assert_accessible(page: Page) -> None:
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()
