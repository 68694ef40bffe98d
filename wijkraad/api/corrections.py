"""Corrections of a meeting and its agenda until the meeting opens, and the chair's gavel on a
formality item (API.md "Meetings and voting"); the same services as the pages."""

from __future__ import annotations

from typing import Any

from wijkraad import clock
from wijkraad.api import bp, schemas
from wijkraad.api.core import actor, body, require_actor
from wijkraad.api.meetings import (
    _ITEM_REFUSALS,
    _MEETING_REFUSALS,
    _visible_item,
    _visible_meeting,
    meeting_read_json,
)
from wijkraad.api.openapi import doc
from wijkraad.api.voting import motion_read_json
from wijkraad.errors import Invalid, require
from wijkraad.extensions import db
from wijkraad.meetings import corrections, permissions
from wijkraad.motions import agenda
from wijkraad.voting import decisions, meeting_reads
from wijkraad.web import write

_CORRECTION_REFUSALS = {409: "meeting-not-correctable, meeting-closed"}


def _meeting(meeting_id: int) -> dict[str, Any]:
    return meeting_read_json(meeting_reads.meeting_read(db.session, actor(), meeting_id))


@bp.patch("/meetings/<int:meeting_id>")
@doc(
    200,
    schemas.MeetingOut,
    body=schemas.MeetingPatch,
    auth="required",
    errors={**_MEETING_REFUSALS, **_CORRECTION_REFUSALS},
)
@write()
def patch_meeting(meeting_id: int) -> dict[str, Any]:
    """Correct a meeting's title, start or place until it opens (chair, secretary,
    administrators). When a published meeting moves, every member is mailed the new time and
    place with the updated calendar event."""
    who = require_actor()
    meeting = _visible_meeting(meeting_id)
    require(permissions.can_manage_meeting(who, meeting.council_id))
    data = body(schemas.MeetingPatch)
    if data.starts_at is not None and data.starts_at.tzinfo is None:
        raise Invalid("field-invalid", field="starts_at", reason="a timestamp needs its offset")
    corrections.edit_meeting(
        db.session,
        who,
        meeting,
        title=data.title if data.title is not None else meeting.title,
        starts_at=data.starts_at if data.starts_at is not None else meeting.starts_at,
        location=data.location if data.location is not None else meeting.location,
        now=clock.now(),
    )
    return _meeting(meeting.id)


@bp.patch("/agenda-items/<int:item_id>")
@doc(
    200,
    schemas.MeetingOut,
    body=schemas.AgendaItemPatch,
    auth="required",
    errors={**_ITEM_REFUSALS, **_CORRECTION_REFUSALS},
)
@write()
def patch_item(item_id: int) -> dict[str, Any]:
    """Correct an agenda item until its meeting opens; the answer is the meeting."""
    who = require_actor()
    item = _visible_item(item_id)
    require(permissions.can_manage_meeting(who, item.meeting.council_id))
    data = body(schemas.AgendaItemPatch)
    corrections.edit_item(
        db.session,
        who,
        item,
        title=data.title if data.title is not None else item.title,
        description=data.description if data.description is not None else item.description,
        is_formality=item.is_formality if data.is_formality is None else data.is_formality,
        is_confidential=item.is_confidential
        if data.is_confidential is None
        else data.is_confidential,
    )
    return _meeting(item.meeting_id)


@bp.post("/agenda-items/<int:item_id>/move")
@doc(
    200,
    schemas.MeetingOut,
    body=schemas.AgendaItemMove,
    auth="required",
    errors={**_ITEM_REFUSALS, **_CORRECTION_REFUSALS},
)
@write()
def move_item(item_id: int) -> dict[str, Any]:
    """Move an agenda item one place up or down among its siblings until the meeting opens;
    the answer is the meeting with its agenda numbered again."""
    who = require_actor()
    item = _visible_item(item_id)
    require(permissions.can_manage_meeting(who, item.meeting.council_id))
    data = body(schemas.AgendaItemMove)
    corrections.move_item(db.session, who, item, -1 if data.direction == "up" else 1)
    return _meeting(item.meeting_id)


@bp.delete("/agenda-items/<int:item_id>")
@doc(
    200,
    schemas.MeetingOut,
    auth="required",
    errors={
        **_ITEM_REFUSALS,
        409: "meeting-not-correctable, meeting-closed, item-has-sub-items, item-has-motions, "
        "item-has-documents, item-has-notes",
    },
)
@write()
def delete_item(item_id: int) -> dict[str, Any]:
    """Remove an agenda item until its meeting opens, with the drafts on it; refused while it
    has sub-items, documents, or motions that are not drafts. The answer is the meeting, its
    agenda numbered again."""
    who = require_actor()
    item = _visible_item(item_id)
    require(permissions.can_manage_meeting(who, item.meeting.council_id))
    meeting_id = item.meeting_id
    agenda.remove_item(db.session, who, item)
    return _meeting(meeting_id)


@bp.post("/agenda-items/<int:item_id>/adopt-formality")
@doc(
    200,
    schemas.MotionOut,
    auth="required",
    errors={
        **_ITEM_REFUSALS,
        409: "meeting-not-open, not-a-formality, vote-requested, formality-decided, "
        "motion-not-votable, budget-exceeded",
    },
)
@write()
def gavel(item_id: int) -> dict[str, Any]:
    """The chair's gavel on a formality item: its motion (made from the item when it has
    none) adopted without a vote, unless a member asked for one. The answer is the motion,
    with its decision."""
    who = require_actor()
    item = _visible_item(item_id)
    decision = decisions.gavel(db.session, who, item, on=clock.today())
    return motion_read_json(meeting_reads.motion_read(db.session, actor(), decision.motion_id))


@bp.post("/agenda-items/<int:item_id>/request-vote")
@doc(
    200,
    schemas.MotionOut,
    auth="required",
    errors={
        **_ITEM_REFUSALS,
        409: "meeting-not-open, not-a-formality, formality-decided, motion-not-votable",
    },
)
@write()
def request_vote(item_id: int) -> dict[str, Any]:
    """A member asks for a vote on a formality item: its motion (made from the item when it has
    none) can then pass only by a vote."""
    who = require_actor()
    item = _visible_item(item_id)
    motion = agenda.request_vote_on_item(db.session, who, item)
    return motion_read_json(meeting_reads.motion_read(db.session, actor(), motion.id))
