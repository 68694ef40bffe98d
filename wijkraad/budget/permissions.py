"""Who may set budgets and follow their execution. Pure predicates over an ``Actor``."""

from wijkraad.auth.actor import Actor
from wijkraad.councils.rules import Role


def can_manage_budget(actor: Actor, council_id: int) -> bool:
    """Set a year's total and its lines: administrators of the municipality, and the chair."""
    return actor.is_admin or actor.role_in(council_id) is Role.CHAIR


def can_record_progress(actor: Actor, council_id: int) -> bool:
    """Record how a decision's execution goes: the chair, the secretary, administrators."""
    return actor.is_admin or actor.role_in(council_id) in (Role.CHAIR, Role.SECRETARY)
