from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from wijkraad.db import Base, enum_column, utcnow
from wijkraad.documents.rules import MediaType


class Document(Base):
    """A file attached to an agenda item or to a motion (exactly one of them). The file itself
    is in the storage under its SHA-256."""

    __tablename__ = "documents"
    __table_args__ = (
        sa.CheckConstraint("(agenda_item_id IS NULL) <> (motion_id IS NULL)", name="one_owner"),
        sa.CheckConstraint("size_bytes > 0", name="size_positive"),
        # The same file once per owner: a second upload of it is refused, also when both come
        # at the same moment.
        sa.UniqueConstraint("agenda_item_id", "sha256"),
        sa.UniqueConstraint("motion_id", "sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agenda_items.id"), index=True)
    motion_id: Mapped[int | None] = mapped_column(sa.ForeignKey("motions.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    filename: Mapped[str] = mapped_column(sa.String(120))
    media_type: Mapped[MediaType] = mapped_column(enum_column(MediaType, length=40))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
