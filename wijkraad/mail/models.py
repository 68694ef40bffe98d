from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from wijkraad.db import Base, enum_column, utcnow
from wijkraad.mail.rules import MailStatus


class OutboxMessage(Base):
    """One message to one recipient, as it will be sent: both parts and the attachments
    (``[{"filename", "content_type", "data" (base64)}]``) are rendered when it is queued."""

    __tablename__ = "outbox"
    __table_args__ = (
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        sa.Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    text: Mapped[str] = mapped_column(sa.Text)
    html: Mapped[str] = mapped_column(sa.Text)
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    status: Mapped[MailStatus] = mapped_column(enum_column(MailStatus), default=MailStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Who holds the message while it is being sent (a random claim), and since when.
    claim: Mapped[str | None] = mapped_column(sa.String(32))
    claimed_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    # A message that must go once only whatever happens (one agenda per member per meeting):
    # a second one with the same key is not queued.
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
