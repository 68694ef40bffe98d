"""The municipality's look in a real browser: an administrator sets the name, a logo and the
colours on beheer/huisstijl, and the public pages show them at once (the header's computed
colours), with no console error or CSP violation; axe finds no WCAG 2.1 A/AA violation on the
settings page and the statement pages. Screenshots at phone and desktop size go to
``WIJKRAAD_SCREENSHOTS`` when it names a folder, else to the test's temporary folder."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import PHONE, assert_accessible, login
from tests.e2e.test_console_clean import Watched
from wijkraad import demo

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
COLOURS = {
    "primary_color": "#0b4ea2",
    "primary_text_color": "#ffffff",
    "link_color": "#7a0019",
    "header_background": "#003366",
    "header_text_color": "#ffffff",
}


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("WIJKRAAD_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    watched = Watched(browser)
    yield watched
    for context in watched.contexts:
        context.close()


def logo_file(tmp_path: Path) -> Path:
    image = Image.new("RGB", (240, 80), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((4, 4, 76, 76), fill=(0, 51, 102))
    draw.rectangle((20, 20, 60, 60), fill=(255, 204, 0))
    draw.rectangle((90, 30, 230, 50), fill=(0, 51, 102))
    out = io.BytesIO()
    image.save(out, "PNG")
    path = tmp_path / "logo.png"
    path.write_bytes(out.getvalue())
    return path


def rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def settle(
    page: Page,
    base: str,
    values: dict[str, str],
    logo: Path | None = None,
    remove_logo: bool = False,
) -> None:
    page.goto(f"{base}/beheer/huisstijl")
    for name, value in values.items():
        page.locator(f"#{name}").fill(value)
    if logo is not None:
        page.locator("#logo").set_input_files(str(logo))
    if remove_logo and page.locator("#remove_logo").count():
        page.locator("#remove_logo").check()
    page.get_by_role("button", name="Huisstijl bewaren").click()
    page.wait_for_load_state("load")


def test_the_public_site_carries_the_municipalitys_name_and_colours(
    browser: Browser, watched: Watched, live_server: str, shots: Path, tmp_path: Path
) -> None:
    admin = watched.page(**DESKTOP)
    login(admin, live_server, demo.ADMIN_EMAIL)
    watched.visit(admin, f"{live_server}/beheer/huisstijl")
    expect(admin.get_by_role("heading", level=1, name="Huisstijl")).to_be_visible()
    assert_accessible(admin)
    try:
        # Too little contrast is refused in place, with the contrast found.
        settle(admin, live_server, {"link_color": "#999999"})
        expect(admin.get_by_role("alert")).to_contain_text("Te weinig contrast: 2,84:1")
        assert_accessible(admin)

        settle(
            admin,
            live_server,
            {
                "municipality_name": "Gemeente Groningen",
                **COLOURS,
                "contact_address": "Postbus 30026\n9700 RM Groningen",
                "contact_email": "info@groningen.example",
                "contact_phone": "14 050",
                "contact_url": "https://gemeente.groningen.example",
            },
            logo=logo_file(tmp_path),
        )
        expect(admin.get_by_text("De huisstijl is bewaard.")).to_be_visible()
        admin.screenshot(path=str(shots / "look-settings-desktop.png"), full_page=True)

        for size, options in (("desktop", DESKTOP), ("phone", PHONE)):
            visitor = watched.page(**options)
            watched.visit(visitor, f"{live_server}/")
            header = visitor.locator("header.app-header")
            style = header.evaluate(
                "h => [getComputedStyle(h).backgroundColor, getComputedStyle(h).color]"
            )
            assert style == [rgb("#003366"), rgb("#ffffff")], style
            brand = visitor.locator(".app-header__brand")
            expect(brand.get_by_role("img", name="Gemeente Groningen")).to_be_visible()
            assert brand.evaluate("a => getComputedStyle(a).color") == rgb("#ffffff")
            link = visitor.locator("main a.utrecht-link").first
            assert link.evaluate("a => getComputedStyle(a).color") == rgb("#7a0019")
            footer = visitor.locator("footer.app-footer")
            expect(footer).to_contain_text("Postbus 30026")
            expect(footer.get_by_role("link", name="Toegankelijkheidsverklaring")).to_be_visible()
            assert visitor.title().endswith("— Gemeente Groningen")
            width = visitor.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert width[0] <= width[1], width
            assert_accessible(visitor)
            visitor.screenshot(path=str(shots / f"look-public-{size}.png"), full_page=True)

            footer.get_by_role("link", name="Toegankelijkheidsverklaring").click()
            heading = visitor.get_by_role("heading", level=1)
            assert heading.text_content().replace("\u00ad", "") == "Toegankelijkheidsverklaring"
            expect(visitor.locator("main")).to_contain_text("WCAG")
            assert_accessible(visitor)
            visitor.screenshot(path=str(shots / f"look-accessibility-{size}.png"), full_page=True)
            watched.visit(visitor, f"{live_server}/privacy")
            assert_accessible(visitor)

        # The smallest phone: the header with its logo still fits, nothing scrolls sideways.
        small = watched.page(viewport={"width": 320, "height": 640})
        watched.visit(small, f"{live_server}/")
        width = small.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"the page scrolls sideways at 320 px: {width}"
        small.screenshot(path=str(shots / "look-public-320.png"))

        # A button in the brand colour, on a page of the members.
        watched.visit(admin, f"{live_server}/beheer/huisstijl")
        button = admin.get_by_role("button", name="Huisstijl bewaren")
        assert button.evaluate("b => getComputedStyle(b).backgroundColor") == rgb("#0b4ea2")
        assert_accessible(admin)
    finally:
        # Back to the theme's own look for the other browser tests on this server.
        blank = {**{name: "" for name in COLOURS}, "municipality_name": ""}
        settle(admin, live_server, blank, remove_logo=True)
        expect(admin.get_by_text("De huisstijl is bewaard.")).to_be_visible()
        expect(admin.locator(".app-header__logo")).to_have_count(0)
    assert watched.errors == []
