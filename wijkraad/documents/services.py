"""Documents: add a file to an agenda item or a motion, and remove it. The file goes into the
storage under its SHA-256; the row says whose it is, what it is and who added it."""

from __future__ import annotations

import hashlib
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from wijkraad import audit
from wijkraad.auth.actor import Actor
from wijkraad.documents import content, permissions, rules
from wijkraad.documents import messages as _messages  # noqa: F401  (registers the refusals)
from wijkraad.documents.models import Document
from wijkraad.documents.storage import Storage
from wijkraad.errors import Conflict, Invalid, NotFound, require
from wijkraad.meetings import services as meetings
from wijkraad.meetings.models import AgendaItem, Meeting
from wijkraad.meetings.rules import MeetingStatus
from wijkraad.motions.models import Motion

Owner = AgendaItem | Motion

# After these a meeting's papers are part of its record: nothing is added or taken away.
_FINISHED = (MeetingStatus.CLOSED, MeetingStatus.CANCELLED)


def meeting_of(owner: Owner) -> Meeting:
    item = owner if isinstance(owner, AgendaItem) else owner.agenda_item
    return item.meeting


def may_manage(actor: Actor, owner: Owner) -> bool:
    """Whether ``actor`` may add documents to ``owner`` and remove them (its meeting aside)."""
    council_id = meeting_of(owner).council_id
    if isinstance(owner, AgendaItem):
        return permissions.can_manage_item_documents(actor, council_id)
    return permissions.can_manage_motion_documents(actor, council_id, owner.submitted_by_id)


def is_open_for_documents(meeting: Meeting) -> bool:
    return meeting.status not in _FINISHED


def _owned_by(owner: Owner) -> sa.ColumnElement[bool]:
    if isinstance(owner, AgendaItem):
        return Document.agenda_item_id == owner.id
    return Document.motion_id == owner.id


def _check_open(session: Session, meeting: Meeting) -> None:
    """Under the meeting's lock, so that no document comes or goes after it closed."""
    meetings.lock(session, meeting)
    if not is_open_for_documents(meeting):
        raise Conflict("document-meeting-finished")


def upload(
    session: Session,
    actor: Actor,
    storage: Storage,
    owner: Owner,
    *,
    title: str | None,
    filename: str | None,
    data: bytes,
    max_bytes: int,
    now: datetime,
) -> Document:
    """Adds the file ``data`` to ``owner`` (an agenda item or a motion) under ``title`` (the
    file's name when empty): a PDF, PNG, JPEG or WebP image, recognised by its content, of at
    most ``max_bytes``. The same file twice on one owner is refused (409 document-exists),
    also when both arrive at the same moment (the meeting's lock puts them one after the
    other)."""
    require(may_manage(actor, owner))
    if not data:
        raise Invalid("document-file-required", field="file")
    if len(data) > max_bytes:
        raise Invalid(
            "document-too-large", field="file", megabytes=max(1, max_bytes // (1024 * 1024))
        )
    media_type = content.media_type_of(data)
    name = rules.safe_filename(filename, media_type)
    shown_title = rules.title_from(title, name)
    if len(shown_title) > rules.TITLE_MAX:
        raise Invalid("document-title-too-long", field="title", length=rules.TITLE_MAX)
    meeting = meeting_of(owner)
    _check_open(session, meeting)
    sha256 = hashlib.sha256(data).hexdigest()
    if session.scalar(sa.select(Document.id).where(_owned_by(owner), Document.sha256 == sha256)):
        raise Conflict("document-exists", field="file")
    storage.put(sha256, data)
    document = Document(
        agenda_item_id=owner.id if isinstance(owner, AgendaItem) else None,
        motion_id=owner.id if isinstance(owner, Motion) else None,
        title=shown_title,
        filename=name,
        media_type=media_type,
        size_bytes=len(data),
        sha256=sha256,
        uploaded_by_id=actor.user_id,
        uploaded_at=now,
    )
    session.add(document)
    session.flush()
    audit.record(
        session,
        actor.user_id,
        "document.upload",
        document,
        council_id=meeting.council_id,
        meeting=meeting.id,
        agenda_item=document.agenda_item_id,
        motion=document.motion_id,
        title=shown_title,
        filename=name,
        media_type=media_type.value,
        size_bytes=len(data),
        sha256=sha256,
    )
    return document


def get_document(session: Session, document_id: int) -> Document:
    document = session.get(Document, document_id)
    if document is None:
        raise NotFound("document-not-found")
    return document


def owner_of(session: Session, document: Document) -> Owner:
    if document.motion_id is not None:
        motion = session.get(Motion, document.motion_id)
        assert motion is not None  # a foreign key
        return motion
    item = session.get(AgendaItem, document.agenda_item_id)
    assert item is not None
    return item


def remove(session: Session, actor: Actor, document: Document) -> str | None:
    """Removes the document. Answers the storage key that no document uses any more, for the
    caller to delete once the removal is committed (None while another document has the same
    file)."""
    owner = owner_of(session, document)
    require(may_manage(actor, owner))
    meeting = meeting_of(owner)
    _check_open(session, meeting)
    key = document.sha256
    audit.record(
        session,
        actor.user_id,
        "document.remove",
        document,
        council_id=meeting.council_id,
        meeting=meeting.id,
        agenda_item=document.agenda_item_id,
        motion=document.motion_id,
        title=document.title,
        sha256=key,
    )
    session.delete(document)
    session.flush()
    still_used = session.scalar(sa.select(Document.id).where(Document.sha256 == key).limit(1))
    return None if still_used else key
