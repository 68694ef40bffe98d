"""The Popolo export's schemas (Popolo's own and ours, in tests/schemas/popolo): a validator
and an assertion that names the first errors."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import jsonschema_rs

SCHEMAS = Path(__file__).resolve().parent / "schemas" / "popolo"


def _date_time(value: str) -> bool:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None
    except ValueError:
        return False


def _validator() -> jsonschema_rs.Draft202012Validator:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text())
        resources.append((schema["$id"], schema))
    export = json.loads((SCHEMAS / "wijkraad-export.json").read_text())
    return jsonschema_rs.Draft202012Validator(
        export,
        registry=jsonschema_rs.Registry(resources),
        validate_formats=True,
        formats={"date-time": _date_time},
    )


VALIDATOR = _validator()


def valid(document: dict) -> dict:
    errors = sorted(VALIDATOR.iter_errors(document), key=lambda e: list(map(str, e.instance_path)))
    assert not errors, "\n".join(f"{list(e.instance_path)}: {e.message}" for e in errors[:10])
    return document
