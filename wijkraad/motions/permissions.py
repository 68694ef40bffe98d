"""Who may see and move a motion. Pure predicates over an ``Actor`` and plain facts."""

from collections.abc import Collection

from wijkraad.auth.actor import Actor
from wijkraad.meetings import permissions as meeting_permissions


def is_author(
    actor: Actor, council_id: int, submitted_by_id: int | None, signer_ids: Collection[int]
) -> bool:
    seat = actor.seats.get(council_id)
    return seat is not None and (
        seat.membership_id == submitted_by_id or seat.membership_id in signer_ids
    )


def can_see_draft_motion(
    actor: Actor, council_id: int, submitted_by_id: int | None, signer_ids: Collection[int]
) -> bool:
    """A draft is for its authors (submitter, co-signers) and those who prepare meetings."""
    return meeting_permissions.can_manage_meeting(actor, council_id) or is_author(
        actor, council_id, submitted_by_id, signer_ids
    )


def can_submit_draft(actor: Actor, council_id: int, submitted_by_id: int | None) -> bool:
    seat = actor.seats.get(council_id)
    submitter = seat is not None and seat.membership_id == submitted_by_id
    return submitter or meeting_permissions.can_manage_meeting(actor, council_id)
