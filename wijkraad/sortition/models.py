"""Draws by lot (DOMAIN section 7): a draw with its pool, the commitment and the seed, the
invitations that follow from the ranking, the council's opt-out register and resident panel.

Personal data (name, birth date, address, postcode, person_ref) lives only in ``pool_entries``
and is erased when the draw closes for everyone who did not accept; the public record is made
of positions, strata and code hashes only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkraad.councils.models import Council
from wijkraad.db import Base, TimestampMixin, enum_column
from wijkraad.sortition.rules import DrawStatus, InvitationStatus, Purpose


class Draw(TimestampMixin, Base):
    __tablename__ = "draws"
    __table_args__ = (sa.CheckConstraint("invite >= 1", name="invite_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(sa.ForeignKey("councils.id"), index=True)
    purpose: Mapped[Purpose] = mapped_column(enum_column(Purpose))
    status: Mapped[DrawStatus] = mapped_column(enum_column(DrawStatus), default=DrawStatus.OPEN)
    invite: Mapped[int]
    draw_on: Mapped[date]
    quotas: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    columns: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    pool_size: Mapped[int] = mapped_column(default=0)
    eligible: Mapped[int] = mapped_column(default=0)
    pool_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    procedure: Mapped[str | None] = mapped_column(sa.String(40))
    seed_source: Mapped[str | None] = mapped_column(sa.String(500))
    seed: Mapped[str | None] = mapped_column(sa.String(500))
    ranking: Mapped[list[int] | None] = mapped_column(sa.JSON)
    announced_at: Mapped[datetime | None]
    drawn_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    council: Mapped[Council] = relationship()


class PoolEntry(Base):
    """One row of the pool file. ``position`` is its place in the canonical order of the
    eligible (1-based), None for the ineligible."""

    __tablename__ = "pool_entries"
    # The one index (draw_id, position) serves every read of a pool; a pool is written in one
    # go, where each further index would cost on every row. A code typed by a resident is
    # looked up through the open invitations, which lead here by the key.
    __table_args__ = (sa.UniqueConstraint("draw_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(sa.ForeignKey("draws.id", ondelete="CASCADE"))
    line: Mapped[int]
    position: Mapped[int | None]
    ineligible: Mapped[str | None] = mapped_column(sa.String(20))
    strata: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)
    code_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    # Personal data: erased (None) when the draw closes, except for those who accepted.
    person_ref: Mapped[str | None] = mapped_column(sa.String(200))
    birth_date: Mapped[date | None]
    postcode: Mapped[str | None] = mapped_column(sa.String(200))
    name: Mapped[str | None] = mapped_column(sa.String(200))
    address: Mapped[str | None] = mapped_column(sa.String(200))
    # The code for the letter, kept only until the draw closes (its hash stays).
    code: Mapped[str | None] = mapped_column(sa.String(24))


class Invitation(TimestampMixin, Base):
    """An invited person of a drawn draw: invited first by the ranking, or later as the next
    reserve when someone declined or did not reply."""

    __tablename__ = "draw_invitations"
    __table_args__ = (sa.UniqueConstraint("draw_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(sa.ForeignKey("draws.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("pool_entries.id", ondelete="CASCADE"))
    position: Mapped[int]
    status: Mapped[InvitationStatus] = mapped_column(
        enum_column(InvitationStatus), default=InvitationStatus.INVITED
    )
    replaces_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("draw_invitations.id", ondelete="SET NULL")
    )
    replied_at: Mapped[datetime | None]
    membership_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("memberships.id", ondelete="SET NULL")
    )
    panel_member_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("panel_members.id", ondelete="SET NULL")
    )

    draw: Mapped[Draw] = relationship()
    entry: Mapped[PoolEntry] = relationship()


class OptOut(TimestampMixin, Base):
    """The council's register of residents who asked never to be drawn ("loot-me-niet")."""

    __tablename__ = "draw_opt_outs"
    __table_args__ = (sa.UniqueConstraint("council_id", "person_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(sa.ForeignKey("councils.id"))
    person_ref: Mapped[str] = mapped_column(sa.String(200))


class Panel(TimestampMixin, Base):
    """A council's resident panel (wijkpanel): its target size."""

    __tablename__ = "panels"

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(sa.ForeignKey("councils.id"), unique=True)
    target_size: Mapped[int] = mapped_column(default=0)


class PanelMember(TimestampMixin, Base):
    """A resident on the council's panel, by acceptance of a panel draw's invitation. Never
    public by name."""

    __tablename__ = "panel_members"
    __table_args__ = (sa.UniqueConstraint("council_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(sa.ForeignKey("councils.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str] = mapped_column(sa.String(254))
    joined_on: Mapped[date]
    ends_on: Mapped[date | None]
    draw_id: Mapped[int | None] = mapped_column(sa.ForeignKey("draws.id", ondelete="SET NULL"))
