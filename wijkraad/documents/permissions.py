"""Who may add and remove documents. Pure predicates over an ``Actor`` and plain facts."""

from wijkraad.auth.actor import Actor
from wijkraad.meetings import permissions as meeting_permissions


def can_manage_item_documents(actor: Actor, council_id: int) -> bool:
    """An agenda item's documents: those who prepare the meeting (chair, secretary, admins)."""
    return meeting_permissions.can_manage_meeting(actor, council_id)


def can_manage_motion_documents(actor: Actor, council_id: int, submitted_by_id: int | None) -> bool:
    """A motion's documents: its submitter, and the chair (or an administrator)."""
    seat = actor.seats.get(council_id)
    is_submitter = (
        seat is not None and submitted_by_id is not None and seat.membership_id == submitted_by_id
    )
    return is_submitter or meeting_permissions.can_chair(actor, council_id)
