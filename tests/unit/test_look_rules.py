"""The look's pure rules: colours, their contrast, and the design tokens they become."""

from __future__ import annotations

import pytest

from wijkraad.look import rules


@pytest.mark.parametrize(
    ("one", "other", "ratio"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        ("#767676", "#ffffff", 4.54),  # the lightest grey that passes on white
        ("#777777", "#ffffff", 4.478),
        ("#00568b", "#ffffff", 7.77),
    ],
)
def test_contrast_as_wcag_defines_it(one, other, ratio):
    assert rules.contrast(one, other) == pytest.approx(ratio, abs=0.005)
    assert rules.contrast(other, one) == pytest.approx(ratio, abs=0.005)


@pytest.mark.parametrize(
    ("colours", "problems"),
    [
        ({}, []),
        ({"primary_color": "#0b4ea2"}, []),  # white text on it: 7.6:1
        ({"primary_color": "red"}, [("primary_color", "colour-invalid", ())]),
        ({"link_color": "#12345"}, [("link_color", "colour-invalid", ())]),
        ({"link_color": "#777777"}, [("link_color", "colour-contrast", (("ratio", "4.47"),))]),
        ({"link_color": "#767676"}, []),
        # The text colour set, the background the theme's: the text's field is named.
        (
            {"primary_text_color": "#5115ef"},
            [("primary_text_color", "colour-contrast", (("ratio", "1.00"),))],
        ),
        # Only the background set: its field is named.
        (
            {"header_background": "#001a40"},
            [("header_background", "colour-contrast", (("ratio", "1.00"),))],
        ),
        ({"header_background": "#001a40", "header_text_color": "#ffffff"}, []),
        ({"primary_color": "#ffcc00", "primary_text_color": "#000000"}, []),
    ],
)
def test_colour_problems(colours, problems):
    found = [(p.field, p.code, p.params) for p in rules.colour_problems(colours)]
    assert found == problems


def test_nothing_set_keeps_the_themes_look():
    assert rules.tokens({}) == {}
    assert "{" not in rules.stylesheet({name: None for name in rules.COLOUR_FIELDS})


def test_the_brand_colour_reaches_the_buttons_and_the_accent():
    tokens = rules.tokens({"primary_color": "#0b4ea2"})
    assert tokens["--utrecht-button-primary-action-background-color"] == "#0b4ea2"
    assert tokens["--utrecht-button-primary-action-color"] == "#ffffff"
    assert tokens["--app-color-accent"] == "#0b4ea2"
    hover = tokens["--utrecht-button-primary-action-hover-background-color"]
    # A step further from its white text: readable at least as well.
    assert rules.contrast(hover, "#ffffff") > rules.contrast("#0b4ea2", "#ffffff")
    assert not any(name.startswith("--utrecht-link") for name in tokens)


def test_the_header_and_link_colours_become_their_tokens():
    css = rules.stylesheet(
        {"header_background": "#003366", "header_text_color": "#ffffff", "link_color": "#7a0019"}
    )
    assert css.startswith(".utrecht-html.voorbeeld-theme {")
    assert "--utrecht-page-header-background-color: #003366;" in css
    assert "--app-header-link-color: #ffffff;" in css
    assert "--utrecht-link-color: #7a0019;" in css


def test_paragraphs_split_at_empty_lines():
    text = "Eerste regel\nloopt door.\n\n\n  Tweede alinea.  \r\n\r\nDerde."
    assert rules.paragraphs(text) == ["Eerste regel loopt door.", "Tweede alinea.", "Derde."]
    assert rules.paragraphs("  \n ") == []
