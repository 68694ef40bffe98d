"""A document's file as an answer: for the pages and the API alike."""

from __future__ import annotations

import logging

from flask import current_app, request
from werkzeug.wrappers import Response

from wijkraad.documents.queries import DocumentView
from wijkraad.documents.storage import storage_for
from wijkraad.errors import NotFound

log = logging.getLogger("wijkraad.documents")

# The file is shown by itself, never as part of our pages: no scripts, no styles, nothing
# fetched, no framing, as a sandboxed page of its own origin.
FILE_CSP = "default-src 'none'; frame-ancestors 'none'; form-action 'none'; sandbox"
# A form with a file may be this much larger than the file itself (the other fields, the
# multipart boundaries).
FORM_MARGIN = 64 * 1024


def max_bytes() -> int:
    return int(current_app.config["MAX_DOCUMENT_MB"]) * 1024 * 1024


def file_response(document: DocumentView) -> Response:
    """The file, downloaded under its own name and type; whoever may see it was decided by the
    read that found ``document``. Revalidated on every use (its ETag is its SHA-256): a file
    that was public may not stay so."""
    response = Response(mimetype=document.media_type.value)
    response.set_etag(document.sha256)
    response.headers["Content-Disposition"] = content_disposition(document.filename)
    response.headers["Content-Security-Policy"] = FILE_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    if not request.if_none_match.contains(document.sha256):
        try:
            with storage_for(current_app).open(document.sha256) as stream:
                # Read whole (at most MAX_DOCUMENT_MB): the API's documentation layer reads
                # every answer's body, which a streamed file does not allow.
                response.set_data(stream.read())
        except FileNotFoundError:
            log.error("document %s: no file under %s", document.id, document.sha256)
            raise NotFound("document-not-found") from None
    return response.make_conditional(request)


def content_disposition(filename: str) -> str:
    """``attachment`` with the file's name (already plain ASCII: ``rules.safe_filename``)."""
    return f'attachment; filename="{filename}"'
