"""Who may prepare, run and attend to meetings. Pure predicates over an ``Actor``."""

from wijkraad.auth.actor import Actor
from wijkraad.councils.rules import Role


def can_manage_meeting(actor: Actor, council_id: int) -> bool:
    """Create meetings, set the agenda, publish: the chair, the secretary, administrators."""
    return actor.is_admin or actor.role_in(council_id) in (Role.CHAIR, Role.SECRETARY)


def can_keep_attendance(actor: Actor, council_id: int) -> bool:
    return can_manage_meeting(actor, council_id)


def can_chair(actor: Actor, council_id: int) -> bool:
    """Open and close the meeting and its vote rounds: the chair (or an administrator)."""
    return actor.is_admin or actor.role_in(council_id) is Role.CHAIR


def can_submit_motion(actor: Actor, council_id: int) -> bool:
    return actor.is_admin or actor.is_member_of(council_id)


def can_see_confidential(actor: Actor, council_id: int) -> bool:
    return actor.is_admin or actor.is_member_of(council_id)


def can_see_draft(actor: Actor, council_id: int) -> bool:
    return can_manage_meeting(actor, council_id)


def can_send_apologies(actor: Actor, council_id: int) -> bool:
    """Send apologies for a meeting: a member of the council, for themselves only."""
    return actor.is_member_of(council_id)
