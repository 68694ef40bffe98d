"""The public record's PDFs on the site: a meeting's decision list and agenda, a council's
decisions of a year. Readable without an account. Each answer carries its digest as ETag, so a
caller who has the file gets 304 without a byte rendered or read; the file itself is rendered
only when what it shows changed (``publishing.pdf``)."""

from __future__ import annotations

from flask import Blueprint, request
from sqlalchemy.orm import Session
from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response

from wijkraad.extensions import db
from wijkraad.publishing import pdf
from wijkraad.security import current_actor
from wijkraad.web import write

bp = Blueprint("pdf", __name__)

# A final document (an approved decision list, the agenda of a past meeting) may be kept by
# any cache for an hour; one that may still change is checked each time (a 304 costs no
# rendering); a draft is kept by no shared cache.
FINAL = "public, max-age=3600"
CHANGING = "public, no-cache"
DRAFT = "private, no-cache"


def cache_control(document: pdf.PdfDocument) -> str:
    if document.is_draft:
        return DRAFT
    return FINAL if document.is_final else CHANGING


def send(session: Session, document: pdf.PdfDocument) -> Response:
    """The prepared document as an answer: 304 when the caller has this digest, otherwise the
    stored PDF, rendered first when it changed. Call it inside the write boundary: a rendering
    is stored."""
    if request.if_none_match.contains(document.digest):
        response = Response(status=304)
    else:
        file = pdf.stored_or_rendered(session, document)
        response = Response(file.content, mimetype=file.media_type)
        name = secure_filename(file.filename) or "document.pdf"
        response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    response.set_etag(document.digest)
    response.headers["Cache-Control"] = cache_control(document)
    return response


@bp.get("/vergaderingen/<int:meeting_id>/besluitenlijst.pdf")
@write()
def decision_list(meeting_id: int) -> Response:
    """404 for a meeting the visitor may not see, 409 before it is closed."""
    return send(db.session, pdf.decision_list_document(db.session, current_actor(), meeting_id))


@bp.get("/vergaderingen/<int:meeting_id>/agenda.pdf")
@write()
def agenda(meeting_id: int) -> Response:
    return send(db.session, pdf.agenda_document(db.session, current_actor(), meeting_id))


@bp.get("/wijkraden/<slug>/besluiten/<int:year>.pdf")
@write()
def annual_list(slug: str, year: int) -> Response:
    return send(db.session, pdf.annual_list_document(db.session, slug, year))


@bp.get("/wijkraden/<slug>/begroting/<int:year>/verantwoording.pdf")
@write()
def budget_report(slug: str, year: int) -> Response:
    """The accountability report of a year's budget; 404 for a council or year without one."""
    return send(db.session, pdf.budget_report_document(db.session, slug, year))
