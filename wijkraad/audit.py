"""The audit log: every state change with its actor and time. Rows are only ever added."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from wijkraad.db import Base, utcnow

log = logging.getLogger("wijkraad.audit")


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    council_id: Mapped[int | None] = mapped_column(sa.ForeignKey("councils.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(60))
    subject_type: Mapped[str] = mapped_column(sa.String(40))
    subject_id: Mapped[int | None]
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)


# A Core insert on the table: on every write path, and never read back in the same request.
_INSERT = sa.insert(AuditEvent.__table__)


class AuditLogIsAppendOnly(Exception):
    pass


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session: Session, *_: Any) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent):
            raise AuditLogIsAppendOnly("audit events are never changed or deleted")


def record(
    session: Session,
    actor_user_id: int | None,
    action: str,
    subject: Any,
    *,
    council_id: int | None = None,
    **data: Any,
) -> None:
    """Adds an audit event for ``subject`` (a model with an ``id``); flushes to get its id.

    Written as a plain INSERT rather than through the unit of work: it is on every write path,
    the vote among them, and nothing ever reads the row back in the same request.
    """
    if getattr(subject, "id", None) is None:
        session.flush()
    record_event(
        session,
        actor_user_id,
        action,
        type(subject).__tablename__,
        subject.id,
        council_id=council_id,
        **data,
    )


def record_event(
    session: Session,
    actor_user_id: int | None,
    action: str,
    subject_type: str,
    subject_id: int | None,
    *,
    council_id: int | None = None,
    **data: Any,
) -> None:
    """Adds an audit event for a subject named by its table and id."""
    session.execute(
        _INSERT,
        {
            "at": utcnow(),
            "actor_user_id": actor_user_id,
            "council_id": council_id,
            "action": action,
            "subject_type": subject_type,
            "subject_id": subject_id,
            "data": {k: _jsonable(v) for k, v in data.items()},
        },
    )
    log.info("%s %s:%s by user %s %s", action, subject_type, subject_id, actor_user_id, data)


def record_many(
    session: Session,
    actor_user_id: int | None,
    action: str,
    subject_type: str,
    events: list[tuple[int, dict[str, Any]]],
    *,
    council_id: int | None = None,
) -> None:
    """One audit event per ``(subject_id, data)``, all written in a single statement."""
    if not events:
        return
    at = utcnow()
    session.execute(
        _INSERT,
        [
            {
                "at": at,
                "actor_user_id": actor_user_id,
                "council_id": council_id,
                "action": action,
                "subject_type": subject_type,
                "subject_id": subject_id,
                "data": {k: _jsonable(v) for k, v in data.items()},
            }
            for subject_id, data in events
        ],
    )
    for subject_id, data in events:
        log.info("%s %s:%s by user %s %s", action, subject_type, subject_id, actor_user_id, data)


def _jsonable(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)
