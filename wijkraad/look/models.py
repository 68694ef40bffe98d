from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from wijkraad.db import Base, utcnow


class SiteLook(Base):
    """The municipality's look and statements: one row (id 1), or none while nothing is set.
    ``version`` grows with every save: it names the stylesheet's and the logo's addresses (so
    browsers may keep them), and a save made on an older version is refused."""

    __tablename__ = "site_look"
    __table_args__ = (sa.CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(default=0)
    municipality_name: Mapped[str] = mapped_column(sa.String(120), default="")
    logo_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    logo_media_type: Mapped[str | None] = mapped_column(sa.String(40))
    primary_color: Mapped[str | None] = mapped_column(sa.String(7))
    primary_text_color: Mapped[str | None] = mapped_column(sa.String(7))
    link_color: Mapped[str | None] = mapped_column(sa.String(7))
    header_background: Mapped[str | None] = mapped_column(sa.String(7))
    header_text_color: Mapped[str | None] = mapped_column(sa.String(7))
    contact_address: Mapped[str] = mapped_column(sa.Text, default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(40), default="")
    contact_url: Mapped[str] = mapped_column(sa.String(500), default="")
    privacy_text: Mapped[str] = mapped_column(sa.Text, default="")
    privacy_url: Mapped[str] = mapped_column(sa.String(500), default="")
    accessibility_text: Mapped[str] = mapped_column(sa.Text, default="")
    accessibility_url: Mapped[str] = mapped_column(sa.String(500), default="")
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
