"""``flask --app wijkraad draw verify FILE``: anyone recomputes a downloaded record of a draw by
lot; it says what it checked and "klopt" (exit 0) or "klopt NIET" (exit 1)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from wijkraad.sortition import procedure, record
from wijkraad.sortition.procedure import Entry

ROOT = Path(__file__).resolve().parents[2]
SEED = "worp 3 6 1 4 4 2"
QUOTAS = {"wijk": {"Noord": (1, 3)}}


def draw_record() -> bytes:
    entries = [
        Entry(p, {"wijk": "Noord" if p % 4 == 0 else "Zuid"}, procedure.code_sha256(f"C{p}"))
        for p in range(1, 21)
    ]
    facts = record.DrawFacts(
        id=3,
        council="oost",
        purpose="panel",
        status="drawn",
        invite=5,
        draw_on="2026-12-10",
        pool_size=23,
        entries=entries,
        quotas=QUOTAS,
        seed_source="dobbelstenen, openbaar geworpen op 10 december 2026",
        seed=SEED,
        ranking=procedure.rank(entries, SEED, 5, QUOTAS),
        announced_at="2026-12-01T19:30:00+00:00",
    )
    return record.dump(record.public_record(facts))


def run(app, tmp_path, data: bytes, *options: str):
    path = tmp_path / "loting-3.json"
    path.write_bytes(data)
    return app.test_cli_runner().invoke(args=["draw", "verify", *options, str(path)])


def test_a_true_record_klopt(app, tmp_path):
    result = run(app, tmp_path, draw_record())
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("loting-3.json: klopt")
    assert "gecontroleerd: de rangorde volgt uit de seed" in result.output
    assert "gecontroleerd: pool_sha256 is de hash van de gepubliceerde pool" in result.output
    assert "the ranking" not in result.output


def test_a_changed_record_klopt_niet(app, tmp_path):
    changed = draw_record().replace(b"worp 3 6 1 4 4 2", b"worp 3 6 1 4 4 3")
    result = run(app, tmp_path, changed)
    assert result.exit_code == 1
    assert result.output.rstrip().endswith("klopt NIET")
    assert "FOUT: de rangorde volgt niet uit de pool, de seed en de quota" in result.output


def test_in_english_on_request(app, tmp_path):
    english = run(app, tmp_path, draw_record(), "--lang", "en").output
    assert english.rstrip().endswith(": correct")
    assert "checked: the ranking follows from the seed" in english and "rangorde" not in english
    result = run(app, tmp_path, draw_record() + b" ", "--lang", "en")
    assert result.exit_code == 1 and result.output.rstrip().endswith("NOT correct")
    assert "WRONG: the file is not the canonical serialisation" in result.output


def test_a_file_that_is_no_record_klopt_niet_without_a_traceback(app, tmp_path):
    result = run(app, tmp_path, b"\x00 not json")
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "klopt NIET" in result.output


def test_from_standard_input_in_a_shell(tmp_path):
    """The command as a resident types it, record on standard input."""
    completed = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wijkraad", "draw", "verify", "-"],
        input=draw_record(),
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
        env={
            **os.environ,
            "WIJKRAAD_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
            "WIJKRAAD_SECRET_KEY": "test",
        },
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.decode().rstrip().endswith("-: klopt")


def test_checking_a_record_does_not_make_the_app(tmp_path):
    """The check needs no app and no database: ``flask draw verify`` runs as a plugin command
    without making the app (which takes seconds), so even an app that cannot be loaded does not
    stand in its way."""
    path = tmp_path / "record.json"
    path.write_bytes(draw_record())
    completed = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "no_such_module", "draw", "verify", str(path)],
        capture_output=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.decode().rstrip().endswith(": klopt")
