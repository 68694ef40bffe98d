"""Documents of agenda items and motions: list, add (a multipart form with the file), read,
download and remove. Whatever the caller may not see is not found (404), the document as much
as what it belongs to."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from flask import request, url_for
from pydantic import BaseModel, Field
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from wijkraad import clock
from wijkraad.api import bp, schemas
from wijkraad.api.core import actor, dump, page_query, paged, require_actor
from wijkraad.api.openapi import doc
from wijkraad.documents import queries, services
from wijkraad.documents.files import file_response, max_bytes
from wijkraad.documents.queries import DocumentView
from wijkraad.documents.rules import MediaType
from wijkraad.documents.storage import current_storage
from wijkraad.errors import DomainError, Invalid, problem
from wijkraad.extensions import db
from wijkraad.meetings import queries as meeting_queries
from wijkraad.meetings.models import AgendaItem
from wijkraad.messages import message_for
from wijkraad.motions.models import Motion
from wijkraad.voting import meeting_reads
from wijkraad.web import write


class DocumentOut(BaseModel):
    id: int
    title: str
    filename: str = Field(description="the name it is downloaded under")
    media_type: Literal["application/pdf", "image/png", "image/jpeg", "image/webp"] = Field(
        description="what the file is, by its content"
    )
    size_bytes: int
    sha256: str
    uploaded_at: datetime
    agenda_item_id: int | None
    motion_id: int | None
    download_url: str


class DocumentUpload(BaseModel):
    """A file (PDF, PNG, JPEG or WebP: recognised by its content, not its name) and its
    title (the file's name when left out)."""

    title: str | None = Field(default=None, max_length=200)
    file: str = Field(
        json_schema_extra={"format": "binary", "contentMediaType": "application/octet-stream"}
    )


class MultipartRequired(DomainError):
    status = 415

    def __init__(self) -> None:
        super().__init__("multipart-required")


UPLOAD_REFUSALS = {
    403: "forbidden",
    409: "document-exists, document-meeting-finished",
    413: "document-too-large (the request)",
    422: "document-file-required, document-type, document-damaged, document-too-large, "
    "document-title-too-long",
}
_ITEM_404 = {404: "agenda-item-not-found"}
_MOTION_404 = {404: "motion-not-found"}
_DOCUMENT_404 = {404: "document-not-found"}


def document_json(document: DocumentView) -> dict[str, Any]:
    return dump(
        DocumentOut(
            id=document.id,
            title=document.title,
            filename=document.filename,
            media_type=document.media_type.value,
            size_bytes=document.size_bytes,
            sha256=document.sha256,
            uploaded_at=document.uploaded_at,
            agenda_item_id=document.agenda_item_id,
            motion_id=document.motion_id,
            download_url=url_for("api.download_document", document_id=document.id),
        )
    )


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_error: RequestEntityTooLarge) -> Response:
    if request.endpoint in ("api.upload_item_document", "api.upload_motion_document"):
        megabytes = max_bytes() // (1024 * 1024)
        return problem(
            413, "document-too-large", message_for("document-too-large", megabytes=megabytes)
        )
    return problem(413, "too-large", message_for("too-large"))


def _item(item_id: int) -> AgendaItem:
    return meeting_queries.visible_item(db.session, actor(), item_id)


def _motion(motion_id: int) -> Motion:
    return meeting_reads.visible_motion(db.session, actor(), motion_id)


def _list(owner: AgendaItem | Motion) -> tuple[list[dict[str, Any]], int, dict[str, str]]:
    asked = page_query()
    found = queries.documents_window(db.session, owner, offset=asked.offset, limit=asked.per_page)
    return paged([document_json(d) for d in found.items], found, asked)


def _upload(owner: AgendaItem | Motion) -> tuple[dict[str, Any], int]:
    who = require_actor()
    if request.mimetype != "multipart/form-data":
        raise MultipartRequired()
    title = request.form.get("title")
    if title is not None and len(title) > 200:
        raise Invalid("document-title-too-long", field="title", length=200)
    upload = request.files.get("file")
    with write():
        document = services.upload(
            db.session,
            who,
            current_storage(),
            owner,
            title=title,
            filename=upload.filename if upload else None,
            data=upload.read(max_bytes() + 1) if upload else b"",
            max_bytes=max_bytes(),
            now=clock.now(),
        )
        shown = queries.visible_document(db.session, who, document.id)
    return document_json(shown), 201


@bp.get("/agenda-items/<int:item_id>/documents")
@doc(200, list[DocumentOut], query=schemas.PageQuery, errors=_ITEM_404)
def list_item_documents(item_id: int) -> tuple[list[dict[str, Any]], int, dict[str, str]]:
    """The agenda item's documents, oldest first, a page at a time; a confidential item's only
    for members."""
    return _list(_item(item_id))


@bp.post("/agenda-items/<int:item_id>/documents")
@doc(
    201, DocumentOut, form=DocumentUpload, auth="required", errors={**_ITEM_404, **UPLOAD_REFUSALS}
)
def upload_item_document(item_id: int) -> tuple[dict[str, Any], int]:
    """Add a document to an agenda item (chair, secretary, administrators), until the meeting
    is closed."""
    return _upload(_item(item_id))


@bp.get("/motions/<int:motion_id>/documents")
@doc(200, list[DocumentOut], query=schemas.PageQuery, errors=_MOTION_404)
def list_motion_documents(motion_id: int) -> tuple[list[dict[str, Any]], int, dict[str, str]]:
    """The motion's documents, oldest first, a page at a time."""
    return _list(_motion(motion_id))


@bp.post("/motions/<int:motion_id>/documents")
@doc(
    201,
    DocumentOut,
    form=DocumentUpload,
    auth="required",
    errors={**_MOTION_404, **UPLOAD_REFUSALS},
)
def upload_motion_document(motion_id: int) -> tuple[dict[str, Any], int]:
    """Add a document to a motion (its submitter, the chair), until the meeting is closed."""
    return _upload(_motion(motion_id))


@bp.get("/documents/<int:document_id>")
@doc(200, DocumentOut, errors=_DOCUMENT_404)
def get_document(document_id: int) -> dict[str, Any]:
    """A document's description: title, type, size, SHA-256, and where to download it."""
    return document_json(queries.visible_document(db.session, actor(), document_id))


@bp.get("/documents/<int:document_id>/content")
@doc(200, errors=_DOCUMENT_404, media=tuple(m.value for m in MediaType))
def download_document(document_id: int) -> Response:
    """The document's file, in its own type (``Content-Disposition: attachment``)."""
    return file_response(queries.visible_document(db.session, actor(), document_id))


@bp.delete("/documents/<int:document_id>")
@doc(
    200,
    DocumentOut,
    auth="required",
    errors={**_DOCUMENT_404, 403: "forbidden", 409: "document-meeting-finished"},
)
def delete_document(document_id: int) -> dict[str, Any]:
    """Remove a document (who may add it), until the meeting is closed; answers what was
    removed."""
    who = require_actor()
    document = services.get_document(db.session, document_id)
    queries.visible_owner(db.session, who, document)
    removed = document_json(queries.visible_document(db.session, who, document_id))
    with write():
        unused = services.remove(db.session, who, document)
    if unused is not None:
        # Only now that the removal is committed: had it failed, the file would still be used.
        current_storage().delete(unused)
    return removed
