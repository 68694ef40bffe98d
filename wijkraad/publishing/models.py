"""What the public record keeps besides the domain's own rows: files rendered once."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from wijkraad.db import Base, utcnow


class RenderedFile(Base):
    """A rendered document (a decision list, an annual list, an agenda as PDF), kept until its
    content changes: ``digest`` is the SHA-256 of what it was rendered from, so a request whose
    content has the same digest is served these bytes without rendering again. In the database,
    so every app server shares it."""

    __tablename__ = "rendered_files"
    __table_args__ = (sa.UniqueConstraint("kind", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))  # e.g. "decision-list"
    subject: Mapped[str] = mapped_column(sa.String(100))  # e.g. "meeting:12", "council:3:2026"
    digest: Mapped[str] = mapped_column(sa.String(64))
    media_type: Mapped[str] = mapped_column(sa.String(100))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
