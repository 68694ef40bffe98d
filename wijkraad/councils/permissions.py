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


def can_manage_role(actor: Actor, council_id: int, role: Role) -> bool:
    """Give ``role`` to someone, or end, withdraw or renew the invitation of a membership
    with that role.

    The chair's seat is the administrators' alone: a secretary who could end the chair's
    membership or appoint a chair could take over the council's meetings. A chair who steps
    down asks an administrator, who also appoints the successor.
    """
    if role is Role.CHAIR:
        return actor.is_admin
    return can_manage_members(actor, council_id)


def can_manage_accounts(actor: Actor) -> bool:
    return actor.is_admin
