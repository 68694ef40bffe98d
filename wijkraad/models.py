"""Imports every model so that the metadata (and Alembic) sees every table."""

from wijkraad.audit import AuditEvent
from wijkraad.auth.models import ApiToken, LoginAttempt, User
from wijkraad.councils.models import Council, Membership, Person

__all__ = ["ApiToken", "AuditEvent", "Council", "LoginAttempt", "Membership", "Person", "User"]
