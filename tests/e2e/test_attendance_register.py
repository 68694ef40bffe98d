"""The attendance register at the speed of a room, in a browser: a council of 17, a member sends
apologies from their home, the chair presses several members present without the page
reloading and without the buttons moving, then "Iedereen aanwezig", which leaves the member
who sent apologies afgemeld. axe finds no WCAG 2.1 A/AA violation; screenshots at phone and
desktop size go to ``WIJKRAAD_SCREENSHOTS`` when it names a folder.

The module has a server of its own, with a fresh demo council: meetings other tests leave open
would otherwise be the next meeting on the member's home.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from werkzeug.serving import make_server

from tests.e2e.helpers import PHONE, api, assert_accessible, login, token_for
from wijkraad import clock, create_app, demo
from wijkraad.extensions import db

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
SECRETARY = "secretaris@oosterpark.example"
CHAIR = "voorzitter@oosterpark.example"
MEMBER = "lid@oosterpark.example"
MEMBER_NAME = "Anouk de Vries"
SLUG = "oosterparkwijk"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app with the demo council, filled up to 17 members, on a free loopback port."""
    from flask_migrate import upgrade

    path = tmp_path_factory.mktemp("e2e-register") / "e2e.sqlite3"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "DOCUMENTS_DIR": str(path.parent / "documents"),
            "SECRET_KEY": "e2e",
            "LOGIN_MAX_FAILURES": 50,
            "ARGON2_PROFILE": "CHEAPEST",
        }
    )
    with app.app_context():
        upgrade()
        demo.load(db.session, clock.today())
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    secretary = token_for(base, SECRETARY)
    for name, seat in (
        ("Karin Jansen", "resident"),
        ("Bas Koster", "resident"),
        ("Wim de Graaf", "councillor"),
    ):
        email = name.lower().replace(" ", ".") + "@example.org"
        api(
            base,
            "POST",
            f"/councils/{SLUG}/members",
            secretary,
            {"name": name, "email": email, "seat": seat},
        )
    assert len(api(base, "GET", f"/councils/{SLUG}")["members"]) == 17
    yield base
    server.shutdown()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("WIJKRAAD_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def published_meeting(base: str, title: str) -> int:
    secretary = token_for(base, SECRETARY)
    starts_at = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    meeting = api(
        base,
        "POST",
        f"/councils/{SLUG}/meetings",
        secretary,
        {"title": title, "starts_at": starts_at, "location": "Buurthuis De Oosterpoort"},
    )["id"]
    api(base, "POST", f"/meetings/{meeting}/agenda-items", secretary, {"title": "Opening"})
    api(base, "POST", f"/meetings/{meeting}/publish", secretary)
    return meeting


def row(page: Page, name: str) -> Locator:
    return page.locator("#register-lines tr").filter(
        has=page.get_by_role("rowheader", name=name, exact=True)
    )


def boxes(line: Locator) -> list[list[float]]:
    """Where the line's buttons are on the page (not the viewport, which scrolls to a click)."""
    return line.locator(".app-segmented__option").evaluate_all(
        "buttons => buttons.map(b => { const r = b.getBoundingClientRect();"
        " return [r.x + window.scrollX, r.y + window.scrollY, r.width, r.height]; })"
    )


def test_apologies_from_home_then_the_chair_keeps_the_register_without_reloading(
    browser: Browser, live_server: str, shots: Path
) -> None:
    meeting = published_meeting(live_server, "Vergadering met presentielijst")

    # The member sends apologies from their home page, on a phone.
    phone = browser.new_context(**PHONE).new_page()
    login(phone, live_server, MEMBER)
    card = phone.locator(f"#afmelden-{meeting}")
    expect(card).to_be_visible()
    card.get_by_label("Reden (optioneel)").fill("Op familiebezoek")
    phone.screenshot(path=str(shots / "attendance-home-phone.png"), full_page=True)
    card.get_by_role("button", name=re.compile("^Afmelden voor deze vergadering")).click()
    expect(
        phone.get_by_text("U hebt zich afgemeld voor 'Vergadering met presentielijst'.")
    ).to_be_visible()
    expect(card.get_by_role("button", name=re.compile("^Toch aanwezig"))).to_be_visible()
    phone.screenshot(path=str(shots / "attendance-home-phone-sent.png"), full_page=True)
    assert_accessible(phone)
    phone.context.close()

    # The chair's register, on a desktop.
    page = browser.new_context(**DESKTOP).new_page()
    login(page, live_server, CHAIR)
    page.goto(f"{live_server}/vergaderingen/{meeting}#aanwezigheid")
    expect(page.locator("#register-lines tr")).to_have_count(17)
    anouk = row(page, MEMBER_NAME)
    expect(anouk.get_by_role("button", name=re.compile("^Afgemeld"))).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(anouk).to_contain_text("Afgemeld op")
    expect(anouk).to_contain_text("Reden: Op familiebezoek")
    expect(page.locator("#register-summary")).to_contain_text(
        "Aanwezig: 0 van 17 zittende leden — quorum: nee"
    )
    assert_accessible(page)

    # A marker in the window survives every press: the page never reloads.
    page.evaluate("window.__registerMarker = 'kept'")
    names = ["Pieter Bakker", "Sanne Mulder", "Mohamed Yilmaz", "Gerrit Dijkstra", "Karin Jansen"]
    for count, name in enumerate(names, 1):
        line = row(page, name)
        before = boxes(line)
        present = line.get_by_role("button", name=re.compile("^Aanwezig"))
        present.click()
        expect(present).to_have_attribute("aria-pressed", "true")
        expect(line.locator("td").nth(2)).to_contain_text("Aanwezig")
        assert boxes(line) == before, f"the buttons of {name} moved"
        # Focus stays on the pressed control, and the live region says what happened.
        assert page.evaluate("document.activeElement.id") == present.get_attribute("id")
        expect(page.locator("#register-status")).to_have_text(
            f"{name}: aanwezig. Geen quorum: {count} van 17, nodig 9."
        )
        expect(page.locator("#register-summary")).to_contain_text(f"Aanwezig: {count} van 17")
        assert page.evaluate("window.__registerMarker") == "kept"

    # Pressed again to leave: the same place, the other button.
    line = row(page, "Karin Jansen")
    before = boxes(line)
    absent = line.get_by_role("button", name=re.compile("^Afwezig"))
    absent.click()
    expect(absent).to_have_attribute("aria-pressed", "true")
    expect(line.get_by_role("button", name=re.compile("^Aanwezig"))).to_have_attribute(
        "aria-pressed", "false"
    )
    assert boxes(line) == before
    expect(page.locator("#openen-kan-niet")).to_be_visible()
    page.screenshot(path=str(shots / "attendance-register-desktop.png"), full_page=True)

    # Everyone present, but who sent apologies stays afgemeld.
    everyone = page.get_by_role("button", name="Iedereen aanwezig")
    everyone.click()
    expect(page.locator("#register-summary")).to_contain_text(
        "Aanwezig: 16 van 17 zittende leden — quorum: ja"
    )
    expect(page.locator("#register-status")).to_have_text(
        "Iedereen is aanwezig, behalve wie zich heeft afgemeld. Quorum bereikt: 16 van 17."
    )
    expect(
        row(page, MEMBER_NAME).get_by_role("button", name=re.compile("^Afgemeld"))
    ).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#openen-kan-niet")).to_have_count(0)  # the chair may open now
    assert page.evaluate("document.activeElement.id") == "iedereen-aanwezig"
    assert page.evaluate("window.__registerMarker") == "kept"
    assert_accessible(page)
    page.screenshot(path=str(shots / "attendance-register-desktop-everyone.png"), full_page=True)

    # The member comes after all: the chair marks her present.
    anouk = row(page, MEMBER_NAME)
    anouk.get_by_role("button", name=re.compile("^Aanwezig")).click()
    expect(anouk).to_contain_text("Had zich afgemeld, maar is toch gekomen")
    expect(page.locator("#register-summary")).to_contain_text("Aanwezig: 17 van 17")
    assert page.evaluate("window.__registerMarker") == "kept"
    page.context.close()


def test_the_register_on_a_phone(browser: Browser, live_server: str, shots: Path) -> None:
    meeting = published_meeting(live_server, "Vergadering op de telefoon")
    page = browser.new_context(**PHONE).new_page()
    login(page, live_server, SECRETARY)
    page.goto(f"{live_server}/vergaderingen/{meeting}#aanwezigheid")
    page.evaluate("window.__registerMarker = 'kept'")
    line = row(page, "Daan Visser")
    before = boxes(line)
    button = line.get_by_role("button", name=re.compile("^Aanwezig"))
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44, box
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    assert boxes(line) == before
    assert page.evaluate("window.__registerMarker") == "kept"
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width
    line.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "attendance-register-phone.png"))
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width
    page.context.close()


def test_without_javascript_a_press_goes_back_to_the_line(
    browser: Browser, live_server: str
) -> None:
    meeting = published_meeting(live_server, "Vergadering zonder script")
    page = browser.new_context(**DESKTOP, java_script_enabled=False).new_page()
    login(page, live_server, SECRETARY)
    page.goto(f"{live_server}/vergaderingen/{meeting}")
    line = row(page, "Lotte Kramer")
    line.get_by_role("button", name=re.compile("^Afgemeld")).click()
    expect(page).to_have_url(re.compile(rf"/vergaderingen/{meeting}#lid-\d+$"))
    expect(page.get_by_text("Lotte Kramer is afwezig met bericht.")).to_be_visible()
    expect(
        row(page, "Lotte Kramer").get_by_role("button", name=re.compile("^Afgemeld"))
    ).to_have_attribute("aria-pressed", "true")
