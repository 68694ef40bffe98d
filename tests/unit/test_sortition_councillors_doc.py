"""The README tells whoever prepares a pool that the register extract must leave out the
councillors (DOMAIN 7.1), beside the opt-outs."""

from __future__ import annotations

from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    return text.split(f"## {title}", 1)[1].split("\n## ", 1)[0]


def test_the_procedure_says_councillors_are_never_drawn():
    text = " ".join(section("Drawing by lot: the procedure").split())
    assert "Councillors are never drawn" in text
    assert "must leave out the council's sitting councillors" in text
    assert "councillor-not-drawn" in text


def test_running_a_draw_says_the_extract_leaves_out_the_councillors():
    pool_step = section("Running a draw (for administrators)").split("3. **The pool.**", 1)[1]
    pool_step = " ".join(pool_step.split("4. **Announce.**", 1)[0].split())
    assert "leave out the council's sitting councillors" in pool_step
