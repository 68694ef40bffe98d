"""The open-data downloads at the public site's addresses, readable without an account:

- ``/wijkraden/<slug>/open-data/popolo.json``: the Popolo export (``publishing.popolo``);
- ``/wijkraden/<slug>/open-data/ods.json``: the same in ODS Open Raadsinformatie's vocabulary;
- ``/wijkraden/<slug>/open-data/besluiten.csv``: the decisions as a spreadsheet.

Always the public view, whoever asks (a member's download holds nothing confidential either).
Each answer carries an ETag of its body, so a client that has it gets 304.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import Blueprint, request
from werkzeug.wrappers import Response

from wijkraad.auth.links import external_url
from wijkraad.extensions import db
from wijkraad.publishing.exports import decisions_csv
from wijkraad.publishing.ods import ods_export
from wijkraad.publishing.popolo import popolo_export

bp = Blueprint("open_data", __name__)

JSON = "application/json"
CSV = "text/csv"


def json_body(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def download(body: str, media_type: str, filename: str) -> Response:
    data = body.encode("utf-8")
    response = Response(data, content_type=f"{media_type}; charset=utf-8")
    if media_type == CSV:
        response.headers["Content-Type"] = f"{CSV}; charset=utf-8; header=present"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.set_etag(hashlib.sha256(data).hexdigest()[:32])
    response.headers["Cache-Control"] = "no-cache"  # anyone may keep it, but asks again first
    return response.make_conditional(request)


@bp.get("/wijkraden/<slug>/open-data/popolo.json")
def popolo(slug: str) -> Response:
    return download(
        json_body(popolo_export(db.session, slug)), JSON, f"wijkraad-{slug}-popolo.json"
    )


@bp.get("/wijkraden/<slug>/open-data/ods.json")
def ods(slug: str) -> Response:
    url = external_url("open_data.ods", slug=slug)
    return download(
        json_body(ods_export(db.session, slug, url=url)), JSON, f"wijkraad-{slug}-ods.json"
    )


@bp.get("/wijkraden/<slug>/open-data/besluiten.csv")
def decisions(slug: str) -> Response:
    return download(decisions_csv(db.session, slug), CSV, f"wijkraad-{slug}-besluiten.csv")
