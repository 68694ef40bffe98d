"""``flask --app wijkraad verify outcomes FILE``: anyone decides a downloaded Popolo export's
vote events again by the council's rule; a changed count is reported with its motion's
identifier, a broken file with a clear message, never a traceback."""

from __future__ import annotations

import copy
import json

import pytest

from tests.open_data_world import build_open_data_record
from wijkraad.extensions import db
from wijkraad.publishing.popolo import popolo_export
from wijkraad.voting.models import Decision


@pytest.fixture
def export(app):
    with app.app_context():
        world = build_open_data_record(db.session, public_names=False)
        document = popolo_export(db.session, "oost")
        split = db.session.get(Decision, world.decisions["residents_fail"]).identifier
    return document, split


def run(app, tmp_path, document, name="oost-popolo.json"):
    path = tmp_path / name
    text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return app.test_cli_runner().invoke(args=["verify", "outcomes", str(path)])


def event_of(document, identifier):
    motion = next(m for m in document["motions"] if m.get("identifier") == identifier)
    return next(e for e in document["vote_events"] if e["motion_id"] == motion["id"])


def counts_of(entries):
    return {c["option"]: c for c in entries}


def test_an_untouched_export_verifies(app, tmp_path, export):
    document, _ = export
    result = run(app, tmp_path, document)
    assert result.exit_code == 0, result.output
    assert f"All {len(document['vote_events'])} vote events agree" in result.output
    # Also from standard input, byte-order mark and all.
    piped = app.test_cli_runner().invoke(
        args=["verify", "outcomes", "-"], input="\ufeff" + json.dumps(document)
    )
    assert piped.exit_code == 0, piped.output


def test_one_altered_count_is_reported_with_the_motions_identifier(app, tmp_path, export):
    document, split = export
    altered = copy.deepcopy(document)
    residents = event_of(altered, split)["group_results"][0]
    assert residents["group_id"] == "oost/group/residents"
    counts_of(residents["counts"])["no"]["value"] = 0  # the residents' one "no" gone
    result = run(app, tmp_path, altered)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("DIFFERS")]
    assert lines and all(split in line for line in lines), result.output
    assert any("gives adopted (majority)" in line for line in lines)
    assert any("no: 1 in all, but 0 in the groups" in line for line in lines)
    assert "1 of" in result.output and "vote events differ" in result.output


@pytest.mark.parametrize(
    "change",
    [
        "total",  # only the count of everybody
        "vote",  # one named vote changed
        "outcome",  # the stated outcome
        "group_result",  # a group's stated result
        "earlier_tie",  # what the rule needs
    ],
)
def test_every_kind_of_alteration_is_reported(app, tmp_path, export, change):
    document, split = export
    altered = copy.deepcopy(document)
    event = event_of(altered, split)
    if change == "total":
        counts_of(event["counts"])["yes"]["value"] += 1
    elif change == "vote":
        next(v for v in event["votes"] if v["option"] == "no")["option"] = "yes"
    elif change == "outcome":
        event["extras"]["outcome"] = "adopted"
    elif change == "group_result":
        event["group_results"][0]["result"] = "pass"
    else:
        tied = next(e for e in altered["vote_events"] if e["extras"]["reason"] == "second-tie")
        tied["extras"]["earlier_tie"] = False
    result = run(app, tmp_path, altered)
    assert result.exit_code == 1, result.output
    assert "DIFFERS" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not JSON"),
        ("[1, 2]", "'meta' is missing"),
        ('{"meta": {"format": "other"}}', "not a Popolo export"),
        ("\udcff", "cannot read"),
        ("[" * 100_000 + "]" * 100_000, "cannot be checked"),
    ],
)
def test_a_malformed_file_gets_a_clear_message(app, tmp_path, content, message):
    path = tmp_path / "broken.json"
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    result = app.test_cli_runner().invoke(args=["verify", "outcomes", str(path)])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda e: e.pop("extras"), "'extras' is missing"),
        (lambda e: e["extras"].update(rule="majority-of-one"), "'extras.rule' is not one of"),
        (lambda e: e["extras"].update(entitled_present="4"), "'entitled_present' has the wrong"),
        (lambda e: e["counts"][0].update(value=-1), "negative or repeated"),
        (lambda e: e["group_results"].pop(), "needs the residents' and the councillors'"),
        (lambda e: e["group_results"][0].update(group_id="x"), "group 'x' is not one"),
        (lambda e: e.update(votes=[{"voter_id": "x"}]), "'option' is missing"),
    ],
)
def test_a_damaged_vote_event_is_named(app, tmp_path, export, damage, message):
    document, split = export
    altered = copy.deepcopy(document)
    event = event_of(altered, split)
    damage(event)
    result = run(app, tmp_path, altered)
    assert result.exit_code == 2, result.output
    assert message in result.output and event["id"] in result.output
    assert isinstance(result.exception, SystemExit)


def test_a_missing_file_is_refused(app, tmp_path):
    result = app.test_cli_runner().invoke(
        args=["verify", "outcomes", str(tmp_path / "nergens.json")]
    )
    assert result.exit_code == 2 and "does not exist" in result.output
