"""The public record in the API: decisions, minutes, the decision list as PDF, open data and
feeds. Every answer reads through the publishing and minutes queries, so the API shows exactly
what the pages show to the same caller; the open-data files are always the public view."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from wijkraad.api import bp, record_schemas, schemas
from wijkraad.api.core import actor
from wijkraad.api.openapi import doc
from wijkraad.auth.links import external_url
from wijkraad.extensions import db
from wijkraad.minutes.api_data import meeting_minutes
from wijkraad.publishing.data_views import CSV, JSON, download, json_body
from wijkraad.publishing.exports import decisions_csv
from wijkraad.publishing.ods import ods_export
from wijkraad.publishing.popolo import popolo_export

COUNCIL_404 = {404: "council-not-found"}


@bp.get("/councils/<slug>/popolo.json")
@doc(200, schemas.Export, auth="ignored", errors=COUNCIL_404)
def council_popolo(slug: str) -> Response:
    """The council's public record in Popolo: organizations, persons, memberships, events,
    motions and vote events with counts, named votes and the groups' results (the residents'
    majority). `flask --app wijkraad verify outcomes FILE` recomputes every outcome in it."""
    return download(
        json_body(popolo_export(db.session, slug)), JSON, f"wijkraad-{slug}-popolo.json"
    )


@bp.get("/councils/<slug>/ods.json")
@doc(200, schemas.Export, auth="ignored", errors=COUNCIL_404)
def council_ods(slug: str) -> Response:
    """The same record in the vocabulary of VNG's ODS Open Raadsinformatie (voor, tegen,
    onthouden, afwezig; gelijk)."""
    url = external_url("api.council_ods", slug=slug)
    return download(
        json_body(ods_export(db.session, slug, url=url)), JSON, f"wijkraad-{slug}-ods.json"
    )


@bp.get("/councils/<slug>/decisions.csv")
@doc(200, auth="ignored", errors=COUNCIL_404, media=CSV)
def council_decisions_csv(slug: str) -> Response:
    """The council's public decisions as a spreadsheet: UTF-8 with a byte-order mark, `;` as
    the separator, amounts in euros with a decimal comma."""
    return download(decisions_csv(db.session, slug), CSV, f"wijkraad-{slug}-besluiten.csv")


@bp.get("/meetings/<int:meeting_id>/minutes")
@doc(200, record_schemas.MinutesOut, errors={404: "meeting-not-found, minutes-not-found"})
def get_minutes(meeting_id: int) -> dict[str, Any]:
    """A meeting's minutes. Approved minutes are public; a draft only for the council's
    members (404 for anyone else); confidential items only for them, as everywhere."""
    return meeting_minutes(db.session, actor(), meeting_id)
