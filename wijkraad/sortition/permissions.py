"""Who may do what with draws by lot. The pool, names and invitations are the
administrators' alone; the public record is everyone's."""

from wijkraad.auth.actor import Actor


def can_manage_draws(actor: Actor) -> bool:
    return actor.is_admin
