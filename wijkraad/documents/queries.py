"""Reads of documents for the pages, the API and the agenda PDF, each in a fixed number of
statements. A document is seen by whoever may see what it belongs to: its agenda item (the
meeting's visibility, and never a confidential item for the public) or its motion (a draft
only for its authors), decided by the meetings' and motions' own reads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from wijkraad.auth.actor import Actor
from wijkraad.db import Window, window
from wijkraad.documents import permissions, services
from wijkraad.documents.models import Document
from wijkraad.documents.rules import MediaType
from wijkraad.errors import NotFound
from wijkraad.meetings import queries as meeting_queries
from wijkraad.meetings.models import AgendaItem
from wijkraad.motions.models import Motion
from wijkraad.voting import meeting_reads
from wijkraad.voting.meeting_page import MeetingPage, MotionEntry


@dataclass(frozen=True)
class DocumentView:
    id: int
    title: str
    filename: str
    media_type: MediaType
    size_bytes: int
    sha256: str
    uploaded_at: datetime
    agenda_item_id: int | None
    motion_id: int | None


def _view(document: Document) -> DocumentView:
    return DocumentView(
        id=document.id,
        title=document.title,
        filename=document.filename,
        media_type=document.media_type,
        size_bytes=document.size_bytes,
        sha256=document.sha256,
        uploaded_at=document.uploaded_at,
        agenda_item_id=document.agenda_item_id,
        motion_id=document.motion_id,
    )


@dataclass(frozen=True)
class Listing:
    """The documents of a page's items and motions, in the order they were added."""

    by_item: dict[int, tuple[DocumentView, ...]]
    by_motion: dict[int, tuple[DocumentView, ...]]

    def of_item(self, item_id: int) -> tuple[DocumentView, ...]:
        return self.by_item.get(item_id, ())

    def of_motion(self, motion_id: int) -> tuple[DocumentView, ...]:
        return self.by_motion.get(motion_id, ())


def listing(
    session: Session, item_ids: Collection[int], motion_ids: Collection[int] = ()
) -> Listing:
    """The documents of ``item_ids`` and ``motion_ids``: one statement. The ids are those the
    page already shows the viewer (its read decided what the viewer may see); no others."""
    items: dict[int, list[DocumentView]] = defaultdict(list)
    motions: dict[int, list[DocumentView]] = defaultdict(list)
    if item_ids or motion_ids:
        for document in session.scalars(
            sa.select(Document)
            .where(
                sa.or_(
                    Document.agenda_item_id.in_(list(item_ids)),
                    Document.motion_id.in_(list(motion_ids)),
                )
            )
            .order_by(Document.id)
        ):
            if document.agenda_item_id is not None:
                items[document.agenda_item_id].append(_view(document))
            elif document.motion_id is not None:
                motions[document.motion_id].append(_view(document))
    return Listing(
        {k: tuple(v) for k, v in items.items()}, {k: tuple(v) for k, v in motions.items()}
    )


def visible_owner(session: Session, actor: Actor, document: Document) -> AgendaItem | Motion:
    """What the document belongs to, when ``actor`` may see it; NotFound otherwise."""
    try:
        if document.motion_id is not None:
            return meeting_reads.visible_motion(session, actor, document.motion_id)
        assert document.agenda_item_id is not None
        return meeting_queries.visible_item(session, actor, document.agenda_item_id)
    except NotFound:
        raise NotFound("document-not-found") from None


def visible_document(session: Session, actor: Actor, document_id: int) -> DocumentView:
    """The document, or NotFound for one that is not, or is not for ``actor`` (a confidential
    item's, a draft meeting's, a draft motion's): whether it exists is not told."""
    document = services.get_document(session, document_id)
    visible_owner(session, actor, document)
    return _view(document)


def documents_window(
    session: Session, owner: AgendaItem | Motion, *, offset: int, limit: int
) -> Window[DocumentView]:
    """A page of the documents of ``owner`` (already found visible), oldest first."""
    column = Document.agenda_item_id if isinstance(owner, AgendaItem) else Document.motion_id
    found = window(
        session,
        sa.select(Document).where(column == owner.id).order_by(Document.id),
        offset=offset,
        limit=limit,
    )
    return Window([_view(d) for d in found.items], found.total, found.offset, found.limit)


def documents_of(session: Session, owner: AgendaItem | Motion) -> tuple[DocumentView, ...]:
    """All the documents of ``owner`` (already found visible), oldest first: one statement."""
    column = Document.agenda_item_id if isinstance(owner, AgendaItem) else Document.motion_id
    return tuple(
        _view(d)
        for d in session.scalars(
            sa.select(Document).where(column == owner.id).order_by(Document.id)
        )
    )


@dataclass(frozen=True)
class OnPage:
    """The documents a meeting page lists, and where the viewer may add and remove them."""

    listing: Listing
    manage_items: bool
    manage_motions: frozenset[int]


def on_meeting_page(session: Session, actor: Actor, page: MeetingPage) -> OnPage:
    """The documents of the items and motions the meeting page shows the viewer (its read
    decided what the viewer may see): one statement."""
    council_id = page.council.id
    motions = [
        entry for item in page.items for top in item.motions for entry in _with_amendments(top)
    ]
    manage_motions = frozenset(
        entry.motion.id
        for entry in motions
        if page.editable
        and permissions.can_manage_motion_documents(
            actor, council_id, entry.submitter.id if entry.submitter else None
        )
    )
    return OnPage(
        listing(session, [item.item.id for item in page.items], [m.motion.id for m in motions]),
        page.editable and permissions.can_manage_item_documents(actor, council_id),
        manage_motions,
    )


def _with_amendments(entry: MotionEntry) -> list[MotionEntry]:
    return [entry, *(e for amendment in entry.amendments for e in _with_amendments(amendment))]
