from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkraad.councils.models import Membership
from wijkraad.db import Base, TimestampMixin, enum_column
from wijkraad.meetings.models import AgendaItem
from wijkraad.motions.rules import MotionStatus, Requirement


class Motion(TimestampMixin, Base):
    """A proposal (voorstel, motie) on an agenda item; an amendment names the motion it amends."""

    __tablename__ = "motions"
    __table_args__ = (
        sa.CheckConstraint("amount_cents IS NULL OR amount_cents >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_items.id"), index=True)
    amends_id: Mapped[int | None] = mapped_column(sa.ForeignKey("motions.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    text: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[MotionStatus] = mapped_column(
        enum_column(MotionStatus), default=MotionStatus.SUBMITTED
    )
    requirement: Mapped[Requirement] = mapped_column(
        enum_column(Requirement), default=Requirement.MAJORITY
    )
    amount_cents: Mapped[int | None]
    # The line of the council's budget for the meeting's year (``wijkraad.budget``).
    budget_line_id: Mapped[int | None] = mapped_column(sa.ForeignKey("budget_lines.id"), index=True)
    # A transfer: the amount moves from this line to ``budget_line_id`` (two thirds needed).
    source_line_id: Mapped[int | None] = mapped_column(sa.ForeignKey("budget_lines.id"))
    # A top-up: the amount is added to this earlier decision's execution on the same line.
    # Decisions name their motion too: the key is left out of the order tables are made in.
    supplements_decision_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("decisions.id", use_alter=True)
    )
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("memberships.id"))
    # A formality (hamerstuk) is adopted without a vote unless a member asks for one (3.8).
    vote_requested: Mapped[bool] = mapped_column(default=False)
    # How often a vote on this motion tied; a second tie rejects it (3.7).
    ties: Mapped[int] = mapped_column(default=0)
    # A postponed motion scheduled on a later meeting keeps a link to where it came from.
    postponed_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("motions.id"))

    agenda_item: Mapped[AgendaItem] = relationship()
    amends: Mapped[Motion | None] = relationship(
        remote_side=[id], foreign_keys=[amends_id], back_populates="amendments"
    )
    amendments: Mapped[list[Motion]] = relationship(
        foreign_keys=[amends_id], back_populates="amends"
    )
    submitted_by: Mapped[Membership | None] = relationship()
    signers: Mapped[list[MotionSigner]] = relationship(back_populates="motion")
    versions: Mapped[list[MotionVersion]] = relationship(
        back_populates="motion", order_by="MotionVersion.id", foreign_keys="MotionVersion.motion_id"
    )


class MotionSigner(Base):
    __tablename__ = "motion_signers"
    __table_args__ = (sa.UniqueConstraint("motion_id", "membership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    motion_id: Mapped[int] = mapped_column(sa.ForeignKey("motions.id"), index=True)
    membership_id: Mapped[int] = mapped_column(sa.ForeignKey("memberships.id"))

    motion: Mapped[Motion] = relationship(back_populates="signers")
    membership: Mapped[Membership] = relationship()


class MotionVersion(TimestampMixin, Base):
    """An earlier text of a motion, kept when an adopted amendment changed it."""

    __tablename__ = "motion_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    motion_id: Mapped[int] = mapped_column(sa.ForeignKey("motions.id"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    replaced_by_amendment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("motions.id"))

    motion: Mapped[Motion] = relationship(back_populates="versions", foreign_keys=[motion_id])
