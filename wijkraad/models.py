"""Imports every model so that the metadata (and Alembic) sees every table."""

from wijkraad.audit import AuditEvent
from wijkraad.auth.models import ApiToken, LoginCounter, LoginSession, PasswordReset, User
from wijkraad.budget.models import Budget, BudgetLine, Execution, ProgressNote
from wijkraad.councils.models import Council, Membership, Person, SeatInvitation
from wijkraad.documents.models import Document
from wijkraad.look.models import SiteLook
from wijkraad.mail.models import OutboxMessage
from wijkraad.meetings.models import AgendaItem, Attendance, Meeting, Recusal
from wijkraad.minutes.models import Minutes, MinutesNote, MinutesRevision
from wijkraad.motions.models import Motion, MotionSigner, MotionVersion
from wijkraad.publishing.models import RenderedFile
from wijkraad.sortition.models import Draw, Invitation, OptOut, Panel, PanelMember, PoolEntry
from wijkraad.voting.models import Decision, Vote, VoteRound

__all__ = [
    "AgendaItem",
    "ApiToken",
    "Attendance",
    "AuditEvent",
    "Budget",
    "BudgetLine",
    "Council",
    "Decision",
    "Document",
    "Draw",
    "Execution",
    "Invitation",
    "LoginCounter",
    "LoginSession",
    "Meeting",
    "Membership",
    "Minutes",
    "MinutesNote",
    "MinutesRevision",
    "Motion",
    "MotionSigner",
    "MotionVersion",
    "OptOut",
    "OutboxMessage",
    "Panel",
    "PanelMember",
    "PasswordReset",
    "Person",
    "PoolEntry",
    "ProgressNote",
    "Recusal",
    "RenderedFile",
    "SeatInvitation",
    "SiteLook",
    "User",
    "Vote",
    "VoteRound",
]
