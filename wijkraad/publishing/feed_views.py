"""A council's feeds at the public site's addresses, readable without an account:

- ``/wijkraden/<slug>/vergaderingen.ics``: its published meetings as an iCalendar;
- ``/wijkraden/<slug>/besluiten.atom``: its latest public decisions as an Atom feed.

The API serves the same at ``/api/v1/councils/<slug>/meetings.ics`` and ``decisions.atom``.
Always the public view, whoever asks: a feed is fetched without a login and kept by anyone.
Each answer carries an ETag of its body, so a client that has it gets 304.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from wijkraad.auth.actor import ANONYMOUS
from wijkraad.auth.links import external_url
from wijkraad.councils import queries as council_queries
from wijkraad.extensions import db
from wijkraad.messages import OUTCOME_NAMES
from wijkraad.publishing import feeds, queries, site
from wijkraad.publishing.queries import DecisionView

bp = Blueprint("feeds", __name__)

ATOM_ENTRIES = 50


def _send(body: bytes, media_type: str, filename: str) -> Response:
    response = Response(body, content_type=f"{media_type}; charset=utf-8")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    response.headers["Cache-Control"] = "public, max-age=900"
    return response.make_conditional(request)


def meetings_calendar(slug: str) -> Response:
    council = council_queries.council_by_slug(db.session, slug)
    home = external_url("councils.show", slug=slug)
    body = feeds.calendar(
        name=council.name,
        description=_("Vergaderingen van %(council)s", council=council.name),
        slug=slug,
        host=urlsplit(home).hostname or "localhost",
        url=home,
        meetings=site.calendar_meetings(db.session, council),
        meeting_url=lambda meeting_id: external_url("meetings.show", meeting_id=meeting_id),
    )
    return _send(body, feeds.ICS, f"wijkraad-{slug}-vergaderingen.ics")


def _summary(d: DecisionView) -> str:
    outcome = str(OUTCOME_NAMES[d.outcome.value])
    if d.tally is None:
        votes = _("als hamerstuk, zonder stemming")
    else:
        votes = _(
            "voor %(yes)d, tegen %(no)d, onthouden %(abstain)d (bewoners: %(ryes)d voor, "
            "%(rno)d tegen)",
            yes=d.tally.total.yes,
            no=d.tally.total.no,
            abstain=d.tally.total.abstain,
            ryes=d.tally.residents.yes,
            rno=d.tally.residents.no,
        )
    return f"{d.text}\n\n{outcome.capitalize()}: {votes}."


def decisions_feed(slug: str) -> Response:
    council = council_queries.council_by_slug(db.session, slug)
    page = queries.decisions_of(db.session, ANONYMOUS, council.id, per_page=ATOM_ENTRIES)
    entries = feeds.atom_entries(
        page.decisions,
        url_of=lambda identifier: external_url("archive.decision", identifier=identifier),
        summary_of=_summary,
    )
    body = render_template(
        "publishing/decisions.atom.xml",
        council=council,
        title=_("Besluiten van %(council)s", council=council.name),
        subtitle=_(
            "De openbare besluiten van %(council)s, gemeente %(municipality)s, nieuwste eerst.",
            council=council.name,
            municipality=council.municipality,
        ),
        entries=entries,
        updated=feeds.feed_updated(entries, council.created_at),
        self_url=external_url("feeds.decisions_atom", slug=slug),
        archive_url=external_url("archive.council_archive", slug=slug),
        outcome_names=OUTCOME_NAMES,
    )
    return _send(body.encode("utf-8"), feeds.ATOM, f"wijkraad-{slug}-besluiten.atom")


@bp.get("/wijkraden/<slug>/vergaderingen.ics")
def meetings_ics(slug: str) -> Response:
    return meetings_calendar(slug)


@bp.get("/wijkraden/<slug>/besluiten.atom")
def decisions_atom(slug: str) -> Response:
    return decisions_feed(slug)
