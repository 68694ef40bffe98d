"""The minutes as the JSON API answers them (``GET /api/v1/meetings/{id}/minutes``):

    {meeting_id, status: "draft" | "approved", approved_on, approved_at_meeting_id, revision,
     remarks, attendance: {present, absent_with_notice, absent: [{id, name, seat, role}]},
     items: [{id, number, title, parent_id, is_formality, notes,
              motions: [{id, title, status, outcome, counts, groups, decision}]}]}

``outcome`` is that of the motion's last closed round (``adopted | rejected | postponed |
invalid``), "adopted" for a formality adopted without a vote, or null; ``counts`` and
``groups`` are that round's (null without one); ``decision`` is ``{id, identifier}`` or null.
``name`` is null for a resident whose name the council does not publish. Drafts only for the
council's members and administrators (NotFound, 404, for anyone else); confidential items only
for them, as everywhere.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from wijkraad.auth.actor import Actor
from wijkraad.meetings.rules import Presence
from wijkraad.minutes import queries, reads
from wijkraad.minutes.queries import MinutesView
from wijkraad.minutes.rules import MinutesStatus
from wijkraad.voting.meeting_reads import MotionRead


def _motion(motion: MotionRead) -> dict[str, Any]:
    last = reads.last_tally(motion)
    tally = last.as_dict() if last else {"counts": None, "groups": None}
    return {
        "id": motion.id,
        "title": motion.title,
        "status": motion.status,
        "outcome": reads.motion_outcome(motion),
        "counts": tally["counts"],
        "groups": tally["groups"],
        "decision": (
            {"id": motion.decision.id, "identifier": motion.decision.identifier}
            if motion.decision
            else None
        ),
    }


def minutes_json(view: MinutesView) -> dict[str, Any]:
    """The minutes ``view`` (already read for its actor) as JSON-ready data."""
    status = view.status or MinutesStatus.DRAFT
    return {
        "meeting_id": view.meeting.id,
        "status": status.value,
        "approved_on": view.approved_on.isoformat() if view.approved_on else None,
        "approved_at_meeting_id": view.approved_at_meeting_id,
        "revision": view.revision,
        "remarks": view.remarks,
        "attendance": {
            presence.value: [
                {"id": a.membership_id, "name": a.name, "seat": a.seat.value, "role": a.role.value}
                for a in view.with_presence(presence)
            ]
            for presence in Presence
        },
        "items": [
            {
                "id": entry.item.id,
                "number": entry.item.number,
                "title": entry.item.title,
                "parent_id": entry.item.parent_id,
                "is_formality": entry.item.is_formality,
                "notes": entry.notes,
                "motions": [_motion(m) for m in entry.item.motions],
            }
            for entry in view.items
        ],
    }


def meeting_minutes(session: Session, actor: Actor, meeting_id: int) -> dict[str, Any]:
    """The answer of ``GET /api/v1/meetings/{id}/minutes`` for ``actor``."""
    return minutes_json(queries.minutes_view(session, actor, meeting_id))
