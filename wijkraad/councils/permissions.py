"""Who may do what with councils and memberships. Pure predicates over an ``Actor``."""

from wijkraad.auth.actor import Actor
from wijkraad.councils.rules import Role


def can_create_council(actor: Actor) -> bool:
    return actor.is_admin


def can_edit_council(actor: Actor, council_id: int) -> bool:
    return actor.is_admin


def can_manage_members(actor: Actor, council_id: int) -> bool:
    """Appoint and end memberships: administrators, and the council's own secretary."""
    return actor.is_admin or actor.role_in(council_id) is Role.SECRETARY


def can_manage_accounts(actor: Actor) -> bool:
    return actor.is_admin
