"""The README's reimplementation of the check, run as printed, agrees with the procedure."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from wijkraad.sortition import procedure, record
from wijkraad.sortition.procedure import Entry

README = Path(__file__).resolve().parents[2] / "README.md"


def sketch() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Drawing by lot: the procedure", 1)[1]
    after = section.split("A reimplementation of the check", 1)[1]
    return re.search(r"```python\n(.*?)```", after, re.S).group(1)


def write_record(path: Path, seed: str, ranking=None) -> None:
    entries = [Entry(p, {"wijk": "Noord"}, procedure.code_sha256(f"C{p}")) for p in range(1, 60)]
    facts = record.DrawFacts(
        id=7,
        council="oost",
        purpose="council",
        status="drawn",
        invite=11,
        draw_on="2026-12-10",
        pool_size=61,
        entries=entries,
        quotas={},
        seed_source="Staatsloterij",
        seed=seed,
        ranking=ranking or procedure.rank(entries, seed, 11, {}),
        announced_at="2026-12-01T10:00:00+00:00",
    )
    path.write_bytes(record.dump(record.public_record(facts)))


def run_sketch(where: Path) -> subprocess.CompletedProcess:
    """The sketch in a plain Python of its own, beside the record."""
    return subprocess.run(
        [sys.executable, "-I", "-c", sketch()],
        cwd=where,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_readme_sketch_accepts_a_true_record(tmp_path):
    write_record(tmp_path / "loting-7.json", "Staatsloterij 0734 é")
    completed = run_sketch(tmp_path)
    assert completed.returncode == 0, completed.stderr


def test_the_readme_sketch_refuses_a_wrong_ranking(tmp_path):
    write_record(tmp_path / "loting-7.json", "0734", ranking=list(range(1, 60)))
    completed = run_sketch(tmp_path)
    assert completed.returncode == 1 and "AssertionError" in completed.stderr
