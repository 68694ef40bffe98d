"""Minutes (notulen) of a meeting: the secretary's notes per agenda item beside what the app
already knows, every edit kept as a revision, approved at a later meeting and then frozen."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkraad.db import Base, TimestampMixin, enum_column, utcnow
from wijkraad.minutes.rules import MinutesStatus


class Minutes(TimestampMixin, Base):
    __tablename__ = "minutes"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"), unique=True)
    status: Mapped[MinutesStatus] = mapped_column(
        enum_column(MinutesStatus), default=MinutesStatus.DRAFT
    )
    # General remarks (opening, announcements, any other business), beside the items' notes.
    remarks: Mapped[str] = mapped_column(sa.Text, default="")
    # The number of the latest revision: an edit names the one it started from, and is
    # refused when someone else saved in between.
    revision: Mapped[int] = mapped_column(default=0)
    approved_on: Mapped[date | None]
    approved_at_meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id"))
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    notes: Mapped[list[MinutesNote]] = relationship(
        back_populates="minutes", order_by="MinutesNote.agenda_item_id"
    )


class MinutesNote(Base):
    """The secretary's notes on one agenda item."""

    __tablename__ = "minutes_notes"
    __table_args__ = (sa.UniqueConstraint("minutes_id", "agenda_item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(sa.ForeignKey("minutes.id"), index=True)
    agenda_item_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_items.id"))
    text: Mapped[str] = mapped_column(sa.Text, default="")

    minutes: Mapped[Minutes] = relationship(back_populates="notes")


class MinutesRevision(Base):
    """The minutes' text as one edit left it: who, when, and everything the secretary wrote."""

    __tablename__ = "minutes_revisions"
    __table_args__ = (sa.UniqueConstraint("minutes_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(sa.ForeignKey("minutes.id"), index=True)
    number: Mapped[int]
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # {"remarks": str, "notes": {"<agenda item id>": str}}
    content: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
