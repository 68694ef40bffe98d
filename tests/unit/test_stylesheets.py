"""The app's stylesheets parse cleanly: every rule closed, every declaration well-formed (a rule
left open swallows the rules after it, which browsers then drop without a word)."""

from __future__ import annotations

from pathlib import Path

import pytest
import tinycss2

STATIC = Path(__file__).resolve().parents[2] / "wijkraad" / "static"
SHEETS = sorted(p for p in STATIC.rglob("*.css") if "vendor" not in p.parts)


def problems(source: str) -> list[str]:
    found = []
    for rule in tinycss2.parse_stylesheet(source, skip_comments=True, skip_whitespace=True):
        if rule.type == "error":
            found.append(f"line {rule.source_line}: {rule.message}")
        elif rule.type == "qualified-rule":
            for item in tinycss2.parse_declaration_list(
                rule.content, skip_comments=True, skip_whitespace=True
            ):
                if item.type == "error":
                    found.append(f"line {item.source_line}: {item.message}")
    return found


def test_the_check_finds_a_rule_left_open():
    assert problems(".a {\n  color: red;\n.b {\n  color: blue;\n}\n")


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda p: str(p.relative_to(STATIC)))
def test_the_stylesheet_parses_cleanly(sheet: Path):
    assert SHEETS and problems(sheet.read_text(encoding="utf-8")) == []
