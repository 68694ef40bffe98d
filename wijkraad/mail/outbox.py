"""The outbox's writes: queueing a message in the caller's transaction, and the claims and
results of the senders, each committed by itself on a connection of its own.

Several senders (on several servers) may run at once and never send one message twice: a
sender claims due messages in one conditional UPDATE (on PostgreSQL over rows picked with
``FOR UPDATE SKIP LOCKED``, so senders skip each other's rows instead of waiting; SQLite has
one writer at a time, so the UPDATE itself is the claim) and commits the claim before it sends.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from wijkraad import audit
from wijkraad.errors import Conflict
from wijkraad.mail.compose import Attachment, Composed
from wijkraad.mail.models import OutboxMessage
from wijkraad.mail.rules import MailStatus, RetryPolicy

log = logging.getLogger("wijkraad.mail")
_TABLE = OutboxMessage.__table__
_ERROR_LENGTH = 2000


def _insert(dialect: str) -> type[sa.Insert]:
    if dialect == "postgresql":
        return postgresql.insert  # type: ignore[return-value]
    return sqlite.insert  # type: ignore[return-value]


def enqueue(
    session: Session,
    recipient: str,
    message: Composed,
    *,
    now: datetime,
    attachments: Sequence[Attachment] = (),
    dedupe_key: str | None = None,
) -> bool:
    """Queues ``message`` for ``recipient`` in the caller's transaction: it is sent only when
    that commits, and never when it rolls back. With ``dedupe_key``, a message already queued
    (or sent) under the same key keeps it from being queued again; returns whether it was."""
    insert = _insert(session.get_bind().dialect.name)(_TABLE).values(
        recipient=recipient,
        subject=message.subject[:300],
        text=message.text,
        html=message.html,
        attachments=[a.stored() for a in attachments],
        status=MailStatus.QUEUED.value,
        attempts=0,
        next_attempt_at=now,
        last_error="",
        dedupe_key=dedupe_key,
        created_at=now,
    )
    # The id returned says whether the row went in: the driver's row count of an INSERT … ON
    # CONFLICT DO NOTHING run through the session is -1 on PostgreSQL.
    result = session.execute(
        insert.on_conflict_do_nothing(index_elements=[_TABLE.c.dedupe_key]).returning(_TABLE.c.id)
    )
    queued = result.first() is not None
    log.info("mail %s to %s: %s", "queued" if queued else "already queued", recipient, dedupe_key)
    return queued


def _due(now: datetime, policy: RetryPolicy) -> sa.ColumnElement[bool]:
    return sa.or_(
        sa.and_(_TABLE.c.status == MailStatus.QUEUED.value, _TABLE.c.next_attempt_at <= now),
        sa.and_(
            _TABLE.c.status == MailStatus.SENDING.value,
            _TABLE.c.claimed_at <= policy.lease_ended(now),
        ),
    )


def any_due(engine: Engine, now: datetime, policy: RetryPolicy) -> bool:
    """Whether a claim would find anything: a read, so an idle sender writes nothing."""
    with engine.connect() as conn:
        return conn.scalar(sa.select(_TABLE.c.id).where(_due(now, policy)).limit(1)) is not None


def claim(engine: Engine, now: datetime, policy: RetryPolicy, limit: int) -> tuple[str, list[int]]:
    """Claims up to ``limit`` due messages for this sender and commits the claim; returns the
    claim and the ids claimed, which no other sender gets until the lease ends."""
    token = secrets.token_hex(16)
    due = _due(now, policy)
    claimed = {
        "status": MailStatus.SENDING.value,
        "claim": token,
        "claimed_at": now,
        "attempts": _TABLE.c.attempts + 1,
    }
    pick = sa.select(_TABLE.c.id).where(due).order_by(_TABLE.c.next_attempt_at, _TABLE.c.id)
    pick = pick.limit(limit)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Picked once, in a CTE: as a subquery of the UPDATE, PostgreSQL may run the pick
            # again for every row and the limit would not hold.
            picked = pick.with_for_update(skip_locked=True).cte("picked")
            statement = sa.update(_TABLE).where(_TABLE.c.id == picked.c.id)
        else:
            # One writer at a time: the UPDATE is the claim, ``due`` checked as it writes.
            statement = sa.update(_TABLE).where(_TABLE.c.id.in_(pick.scalar_subquery()), due)
        ids = conn.scalars(statement.values(**claimed).returning(_TABLE.c.id)).all()
    return token, sorted(ids)


def load(engine: Engine, message_id: int, token: str) -> OutboxMessage | None:
    """A claimed message as a detached row, or None when the claim has passed to another."""
    with Session(engine, expire_on_commit=False) as session:
        return session.scalar(
            sa.select(OutboxMessage).where(
                OutboxMessage.id == message_id, OutboxMessage.claim == token
            )
        )


def mark_sent(engine: Engine, message_id: int, token: str, now: datetime) -> bool:
    with engine.begin() as conn:
        result = conn.execute(
            sa.update(_TABLE)
            .where(_TABLE.c.id == message_id, _TABLE.c.claim == token)
            .values(status=MailStatus.SENT.value, sent_at=now, claim=None, last_error="")
        )
    return result.rowcount == 1


def mark_failed(
    engine: Engine,
    message_id: int,
    token: str,
    attempts: int,
    error: str,
    now: datetime,
    policy: RetryPolicy,
) -> MailStatus:
    """Records a failed attempt: queued again after the back-off, or failed after the last."""
    status, next_attempt_at = policy.after_failure(attempts, now)
    with engine.begin() as conn:
        conn.execute(
            sa.update(_TABLE)
            .where(_TABLE.c.id == message_id, _TABLE.c.claim == token)
            .values(
                status=status.value,
                next_attempt_at=next_attempt_at,
                claim=None,
                last_error=error[:_ERROR_LENGTH],
            )
        )
    return status


def retry(session: Session, actor_user_id: int | None, message_id: int, now: datetime) -> None:
    """An administrator sends a failed or waiting message again now, with a fresh count of
    attempts; a message being sent or sent already is refused (409)."""
    result = session.execute(
        sa.update(_TABLE)
        .where(
            _TABLE.c.id == message_id,
            _TABLE.c.status.in_([MailStatus.FAILED.value, MailStatus.QUEUED.value]),
        )
        .values(status=MailStatus.QUEUED.value, attempts=0, next_attempt_at=now)
    )
    if result.rowcount != 1:
        raise Conflict("mail-not-retryable")
    audit.record_event(session, actor_user_id, "mail.retry", "outbox", message_id)
