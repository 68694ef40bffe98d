"""Corrections before a meeting opens: its title, start and place, and its agenda items' texts
and order. Every change is audited with what it was before; a published meeting that moves
(another start or place) is mailed to the members in the same transaction (``notices``).

Once the meeting is open, the agenda is what the chair works from: nothing here changes it any
more (409 meeting-not-correctable). Removing an item is in ``motions.agenda``, as it concerns
the motions on it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from wijkraad import audit
from wijkraad.auth.actor import Actor
from wijkraad.db import lock_for_update
from wijkraad.errors import Conflict, Invalid, NotFound, require
from wijkraad.meetings import notices, permissions, rules
from wijkraad.meetings.models import AgendaItem, Meeting
from wijkraad.meetings.rules import MeetingStatus


def lock(session: Session, meeting: Meeting) -> None:
    """Takes the meeting for this transaction alone and reads it afresh: its moves, and the
    rounds opened in it, happen one after the other."""
    lock_for_update(session, Meeting, meeting.id)
    session.refresh(meeting)


# A meeting's own facts and its agenda can be corrected until it opens.
CORRECTABLE = (MeetingStatus.DRAFT, MeetingStatus.PUBLISHED)


def fresh_item(session: Session, item_id: int) -> AgendaItem:
    """The item as committed now (read after the meeting's lock), or NotFound when another
    request removed it meanwhile."""
    item = session.scalar(
        sa.select(AgendaItem)
        .where(AgendaItem.id == item_id)
        .execution_options(populate_existing=True)
    )
    if item is None:
        raise NotFound("agenda-item-not-found")
    return item


def correction_problem(meeting: Meeting) -> str | None:
    """Why the meeting and its agenda can no longer be corrected (an error code), or None."""
    if meeting.status in (MeetingStatus.CLOSED, MeetingStatus.CANCELLED):
        return "meeting-closed"
    if meeting.status not in CORRECTABLE:
        return "meeting-not-correctable"
    return None


def check_correctable(meeting: Meeting) -> None:
    if problem := correction_problem(meeting):
        raise Conflict(problem, current=meeting.status.value)


def edit_meeting(
    session: Session,
    actor: Actor,
    meeting: Meeting,
    *,
    title: str,
    starts_at: datetime,
    location: str,
    now: datetime,
) -> bool:
    """Corrects the meeting's title, start and place, under its lock. When a published
    meeting's start or place changes, every member is mailed the move with the updated
    calendar event. Returns whether it moved (so that mail went out)."""
    require(permissions.can_manage_meeting(actor, meeting.council_id))
    lock(session, meeting)
    check_correctable(meeting)
    title, location = title.strip(), location.strip()
    if not title:
        raise Invalid("field-required", field="title")
    if not location:
        raise Invalid("field-required", field="location")
    original = meeting.follow_up_of
    if original is not None and (
        problem := rules.follow_up_problem(
            original.starts_at, original.opened_at is not None, starts_at
        )
    ):
        raise Invalid(problem, field="starts_at")
    before = {"title": meeting.title, "starts_at": meeting.starts_at, "location": meeting.location}
    after = {"title": title, "starts_at": starts_at, "location": location}
    changed = {k for k in after if _differs(before[k], after[k])}
    if not changed:
        return False
    old_start, old_location = meeting.starts_at, meeting.location
    meeting.title, meeting.starts_at, meeting.location = title, starts_at, location
    moved = meeting.status is MeetingStatus.PUBLISHED and bool(changed & {"starts_at", "location"})
    audit.record(
        session,
        actor.user_id,
        notices.MOVED if moved else "meeting.edit",
        meeting,
        council_id=meeting.council_id,
        before={k: before[k] for k in sorted(changed)},
        after={k: after[k] for k in sorted(changed)},
        moved=moved,
    )
    if moved:
        notices.meeting_moved(session, meeting, old_start, old_location, now)
    return moved


def _differs(old: Any, new: Any) -> bool:
    """Moments compare as moments (any offset); the rest as values."""
    if isinstance(old, datetime) and isinstance(new, datetime):
        return old.astimezone(UTC) != new.astimezone(UTC)
    return old != new


def edit_item(
    session: Session,
    actor: Actor,
    item: AgendaItem,
    *,
    title: str,
    description: str,
    is_formality: bool,
    is_confidential: bool,
) -> None:
    """Corrects an item's title, explanation and kind (formality, confidential)."""
    meeting = item.meeting
    require(permissions.can_manage_meeting(actor, meeting.council_id))
    lock(session, meeting)
    check_correctable(meeting)
    item = fresh_item(session, item.id)
    title = title.strip()
    if not title:
        raise Invalid("field-required", field="title")
    before = {
        "title": item.title,
        "description": item.description,
        "is_formality": item.is_formality,
        "is_confidential": item.is_confidential,
    }
    after = {
        "title": title,
        "description": description.strip(),
        "is_formality": is_formality,
        "is_confidential": is_confidential,
    }
    changed = sorted(k for k in after if before[k] != after[k])
    if not changed:
        return
    for key in changed:
        setattr(item, key, after[key])
    audit.record(
        session,
        actor.user_id,
        "agenda.edit",
        item,
        council_id=meeting.council_id,
        meeting_id=meeting.id,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )


def siblings_of(session: Session, item: AgendaItem) -> list[AgendaItem]:
    """The items with ``item``'s parent, read afresh (another request may have moved them),
    in their order."""
    parent = (
        AgendaItem.parent_id.is_(None)
        if item.parent_id is None
        else AgendaItem.parent_id == item.parent_id
    )
    return list(
        session.scalars(
            sa.select(AgendaItem)
            .where(AgendaItem.meeting_id == item.meeting_id, parent)
            .order_by(AgendaItem.position, AgendaItem.id)
            .execution_options(populate_existing=True)
        )
    )


def move_item(session: Session, actor: Actor, item: AgendaItem, offset: int) -> bool:
    """Moves an item up (-1) or down (+1) among its siblings, under the meeting's lock, so that
    two moves at once are made one after the other; the siblings are numbered 1, 2, 3 again.
    Returns whether it moved (the first item does not go up)."""
    meeting = item.meeting
    require(permissions.can_manage_meeting(actor, meeting.council_id))
    lock(session, meeting)
    check_correctable(meeting)
    item = fresh_item(session, item.id)
    siblings = siblings_of(session, item)
    index = siblings.index(item)
    other = index + offset
    if not 0 <= other < len(siblings):
        return False
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, 1):
        sibling.position = position
    audit.record(
        session,
        actor.user_id,
        "agenda.move",
        item,
        council_id=meeting.council_id,
        meeting_id=meeting.id,
        offset=offset,
        position=index + 1 + offset,
    )
    return True


def renumber(session: Session, item: AgendaItem) -> None:
    """After ``item`` left: its former siblings numbered 1, 2, 3 again."""
    rest = [i for i in siblings_of(session, item) if i.id != item.id]
    for position, sibling in enumerate(rest, 1):
        sibling.position = position
