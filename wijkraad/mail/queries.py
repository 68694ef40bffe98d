"""The outbox as administrators see it: what waits and what failed, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from wijkraad.mail.models import OutboxMessage
from wijkraad.mail.rules import MailStatus

LIMIT = 200


@dataclass(frozen=True)
class ShownMessage:
    id: int
    recipient: str
    subject: str
    status: MailStatus
    attempts: int
    next_attempt_at: datetime
    last_error: str
    created_at: datetime


def waiting_and_failed(session: Session) -> list[ShownMessage]:
    """Failed messages first, then those waiting or being sent; one statement, at most
    ``LIMIT`` of them (the body is not read: only what the list shows)."""
    failed_first = sa.case((OutboxMessage.status == MailStatus.FAILED, 0), else_=1)
    rows = session.execute(
        sa.select(
            OutboxMessage.id,
            OutboxMessage.recipient,
            OutboxMessage.subject,
            OutboxMessage.status,
            OutboxMessage.attempts,
            OutboxMessage.next_attempt_at,
            OutboxMessage.last_error,
            OutboxMessage.created_at,
        )
        .where(OutboxMessage.status != MailStatus.SENT)
        .order_by(failed_first, OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .limit(LIMIT)
    ).all()
    return [ShownMessage(*row) for row in rows]
