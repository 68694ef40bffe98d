from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkraad.councils.models import Council, Membership
from wijkraad.db import Base, TimestampMixin, enum_column, utcnow
from wijkraad.meetings.rules import APOLOGY_REASON_MAX, MeetingStatus, Presence


class Meeting(TimestampMixin, Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(sa.ForeignKey("councils.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    starts_at: Mapped[datetime]
    location: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[MeetingStatus] = mapped_column(
        enum_column(MeetingStatus), default=MeetingStatus.DRAFT
    )
    follow_up_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id"))
    published_at: Mapped[datetime | None]
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # The agenda item under discussion, for the projector and the members' phones.
    current_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agenda_items.id", use_alter=True, ondelete="SET NULL")
    )
    # The agenda as last mailed to the members (at publication or a re-send): each mailed
    # item's id, number, title and a digest of its text, as JSON; what changed since is told
    # in the next mail. None before the agenda was mailed.
    agenda_sent: Mapped[str | None] = mapped_column(sa.Text)

    council: Mapped[Council] = relationship()
    follow_up_of: Mapped[Meeting | None] = relationship(remote_side=[id])
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting",
        order_by="AgendaItem.position",
        foreign_keys="AgendaItem.meeting_id",
    )
    attendance: Mapped[list[Attendance]] = relationship(back_populates="meeting")

    @property
    def is_follow_up(self) -> bool:
        return self.follow_up_of_id is not None


class AgendaItem(TimestampMixin, Base):
    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agenda_items.id"))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    is_formality: Mapped[bool] = mapped_column(default=False)
    is_confidential: Mapped[bool] = mapped_column(default=False)

    meeting: Mapped[Meeting] = relationship(back_populates="items", foreign_keys=[meeting_id])
    recusals: Mapped[list[Recusal]] = relationship(back_populates="agenda_item")


class Attendance(Base):
    """Who is in the room now; every change is also in the audit log with its time.

    A member who sends apologies in advance has ``apologised_at`` (and perhaps a short reason,
    for the chair and the secretary only); the chair may still mark them present.
    """

    __tablename__ = "attendance"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "membership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"), index=True)
    membership_id: Mapped[int] = mapped_column(sa.ForeignKey("memberships.id"))
    presence: Mapped[Presence] = mapped_column(enum_column(Presence), default=Presence.ABSENT)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    apologised_at: Mapped[datetime | None]
    apology_reason: Mapped[str | None] = mapped_column(sa.String(APOLOGY_REASON_MAX))

    meeting: Mapped[Meeting] = relationship(back_populates="attendance")
    membership: Mapped[Membership] = relationship()


class Recusal(TimestampMixin, Base):
    """A member with a personal interest in an item: present, but votes on none of its motions."""

    __tablename__ = "recusals"
    __table_args__ = (sa.UniqueConstraint("agenda_item_id", "membership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_items.id"), index=True)
    membership_id: Mapped[int] = mapped_column(sa.ForeignKey("memberships.id"))

    agenda_item: Mapped[AgendaItem] = relationship(back_populates="recusals")
    membership: Mapped[Membership] = relationship()
