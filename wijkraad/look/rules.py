"""The municipality's look as pure rules: colours as ``#rrggbb``, their contrast (WCAG 2.1),
and the NL Design System design tokens that carry them to every page.

Each colour is optional: what is not set keeps the theme's own colour (the defaults below are
the "voorbeeld" theme's values), so a site with nothing set looks as it always did."""

from __future__ import annotations

import re
from dataclasses import dataclass

COLOUR = re.compile(r"#[0-9a-f]{6}")
# Text on its background needs 4.5:1 (WCAG 2.1 success criterion 1.4.3, level AA).
MIN_CONTRAST = 4.5
LOGO_MAX_BYTES = 512 * 1024
NAME_MAX = 120
TEXT_MAX = 20_000

# The theme's colours (wijkraad/static/vendor/voorbeeld/theme.css).
PAGE_BACKGROUND = "#ffffff"
PAGE_TEXT = "#001a40"
DEFAULTS = {
    "primary_color": "#5115ef",
    "primary_text_color": "#ffffff",
    "link_color": "#00568b",
    "header_background": PAGE_BACKGROUND,
    "header_text_color": PAGE_TEXT,
}
COLOUR_FIELDS = tuple(DEFAULTS)


def normalise_colour(value: str | None) -> str | None:
    """``#RRGGBB`` in lower case, None for an empty value; the value itself when it is no
    colour (``colour_problem`` says so)."""
    value = (value or "").strip().lower()
    return value or None


def is_colour(value: str) -> bool:
    return COLOUR.fullmatch(value) is not None


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """Relative luminance (WCAG 2.1's definition) of ``#rrggbb``."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(one: str, other: str) -> float:
    """The contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    a, b = sorted((luminance(one), luminance(other)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@dataclass(frozen=True)
class ColourProblem:
    field: str
    code: str  # colour-invalid, colour-contrast
    params: tuple[tuple[str, str], ...] = ()


# The pairs read together: (text field, background field or a fixed background).
PAIRS = (
    ("primary_text_color", "primary_color"),
    ("header_text_color", "header_background"),
    ("link_color", PAGE_BACKGROUND),
)


def effective(colours: dict[str, str | None]) -> dict[str, str]:
    """Every colour as the pages show it: the one set, or the theme's."""
    return {name: colours.get(name) or default for name, default in DEFAULTS.items()}


def colour_problems(colours: dict[str, str | None]) -> list[ColourProblem]:
    """What is wrong with the colours an administrator set: a value that is no ``#rrggbb``, or
    text and its background below 4.5:1 (the problem names the contrast found). A pair is
    checked when either colour of it was set; the other one then counts as the theme has it."""
    problems = [
        ColourProblem(name, "colour-invalid")
        for name in COLOUR_FIELDS
        if (value := colours.get(name)) and not is_colour(value)
    ]
    if problems:
        return problems
    shown = effective(colours)
    for text, background in PAIRS:
        if not (colours.get(text) or colours.get(background)):
            continue
        ratio = contrast(shown[text], shown.get(background, background))
        if ratio < MIN_CONTRAST:
            found = f"{int(ratio * 100) / 100:.2f}"  # rounded down: 4.499 is not 4.50
            field = text if colours.get(text) else background
            problems.append(ColourProblem(field, "colour-contrast", (("ratio", found),)))
    return problems


def _mix(colour: str, towards: str, share: float) -> str:
    parts = [
        round(int(colour[i : i + 2], 16) * (1 - share) + int(towards[i : i + 2], 16) * share)
        for i in (1, 3, 5)
    ]
    return "#" + "".join(f"{p:02x}" for p in parts)


def hover_of(background: str, text: str) -> str:
    """A button's background under the pointer: a step further from its text colour, so the
    text stays at least as readable."""
    towards = "#000000" if luminance(text) > luminance(background) else "#ffffff"
    return _mix(background, towards, 0.2)


def tokens(colours: dict[str, str | None]) -> dict[str, str]:
    """The design tokens (CSS custom properties) for the colours set; none for a colour left
    to the theme. The brand colour is the primary button's and the header's accent line; its
    text colour is the button's text; the link colour every link's; the header background and
    text the page header's (its menu and language choice included)."""
    out: dict[str, str] = {}
    primary, primary_text = colours.get("primary_color"), colours.get("primary_text_color")
    if primary or primary_text:
        shown = effective(colours)
        background, text = shown["primary_color"], shown["primary_text_color"]
        hover = hover_of(background, text)
        out["--app-color-accent"] = background
        for state, value in (
            ("", background),
            ("hover-", hover),
            ("active-", hover),
            ("focus-", background),
        ):
            out[f"--utrecht-button-primary-action-{state}background-color"] = value
            out[f"--utrecht-button-primary-action-{state}border-color"] = value
            out[f"--utrecht-button-primary-action-{state}color"] = text
    if link := colours.get("link_color"):
        for name in ("", "hover-", "visited-", "active-"):
            out[f"--utrecht-link-{name}color"] = link
    header_background = colours.get("header_background")
    header_text = colours.get("header_text_color")
    if header_background or header_text:
        shown = effective(colours)
        out["--utrecht-page-header-background-color"] = shown["header_background"]
        out["--utrecht-page-header-color"] = shown["header_text_color"]
        out["--app-header-color"] = shown["header_text_color"]
        out["--app-header-link-color"] = shown["header_text_color"]
        out["--app-header-link-hover-color"] = shown["header_text_color"]
        out["--app-header-muted-color"] = shown["header_text_color"]
    return out


def stylesheet(colours: dict[str, str | None]) -> str:
    """The stylesheet of the tokens: on the document's root, after the theme's own."""
    found = tokens(colours)
    if not found:
        return "/* wijkraad: the theme's own colours */\n"
    lines = "".join(f"  {name}: {value};\n" for name, value in found.items())
    return f".utrecht-html.voorbeeld-theme {{\n{lines}}}\n"


def paragraphs(text: str) -> list[str]:
    """A plain text as paragraphs: split at empty lines, each one's own lines kept together."""
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    return [" ".join(line.strip() for line in block.splitlines()) for block in blocks if block]
