from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkraad.auth.models import User
from wijkraad.councils.rules import (
    DecisionRule,
    MembershipStatus,
    Period,
    Role,
    Seat,
    SeatHolder,
)
from wijkraad.db import Base, TimestampMixin, enum_column


class Council(TimestampMixin, Base):
    __tablename__ = "councils"
    __table_args__ = (
        sa.CheckConstraint("resident_seats >= 1", name="resident_seats_positive"),
        sa.CheckConstraint("councillor_seats >= 0", name="councillor_seats_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(40), unique=True)
    # Prefix of the council's decision identifiers, e.g. OPW in OPW-2026-014.
    code: Mapped[str] = mapped_column(sa.String(8), default="")
    name: Mapped[str] = mapped_column(sa.String(200))
    municipality: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    resident_seats: Mapped[int]
    councillor_seats: Mapped[int]
    decision_rule: Mapped[DecisionRule] = mapped_column(
        enum_column(DecisionRule), default=DecisionRule.COOPERATIVE
    )
    # Residents drawn by lot are private persons: their names are public only by decision.
    publishes_resident_names: Mapped[bool] = mapped_column(default=True)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="council", order_by="Membership.starts_on"
    )

    def seats(self, seat: Seat) -> int:
        return self.resident_seats if seat is Seat.RESIDENT else self.councillor_seats

    def current_memberships(self, on: date) -> list[Membership]:
        """The members seated on ``on``: every membership whose period includes it, whether or
        not its invitation has been answered (see ``MembershipStatus``)."""
        return [m for m in self.memberships if m.period.is_current(on)]

    def open_invitations(self) -> list[Membership]:
        return [m for m in self.memberships if m.status is MembershipStatus.INVITED]

    def __repr__(self) -> str:
        return f"<Council {self.slug}>"


class Person(TimestampMixin, Base):
    """Someone who holds or held a seat; linked to an account when they can log in.

    An appointment to the address of an existing account makes a person without an account
    (a placeholder with the name the appointer typed) until the account's owner confirms the
    seat: then the membership moves to their own person and the placeholder goes.
    """

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), unique=True
    )

    user: Mapped[User | None] = relationship()
    memberships: Mapped[list[Membership]] = relationship(back_populates="person")


class Membership(TimestampMixin, Base):
    """A person in a seat of a council from ``starts_on`` up to (not including) ``ends_on``."""

    __tablename__ = "memberships"
    __table_args__ = (
        sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_not_before_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(sa.ForeignKey("councils.id"), index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("persons.id"), index=True)
    seat: Mapped[Seat] = mapped_column(enum_column(Seat))
    role: Mapped[Role] = mapped_column(enum_column(Role), default=Role.MEMBER)
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    # The answer to the membership's invitation; it does not decide who is seated (the period
    # does). No default: whoever makes a membership says what it is.
    status: Mapped[MembershipStatus] = mapped_column(enum_column(MembershipStatus))

    council: Mapped[Council] = relationship(back_populates="memberships")
    person: Mapped[Person] = relationship(back_populates="memberships")
    invitation: Mapped[SeatInvitation | None] = relationship(
        back_populates="membership", cascade="all, delete-orphan"
    )

    @property
    def period(self) -> Period:
        return Period(self.starts_on, self.ends_on)

    @property
    def holder(self) -> SeatHolder:
        return SeatHolder(self.seat, self.role, self.period)

    @property
    def name(self) -> str:
        return self.person.name


class SeatInvitation(TimestampMixin, Base):
    """The invitation that comes with every appointment: its link, the address, its answer.

    The membership is seated from the appointment on, whatever the answer. For an address that
    had no account, the appointment made one (without a password) and linked it: the link lets
    its owner choose the password, which confirms the seat. For an existing account the link
    asks its owner to log in and confirm; only then is the account linked. The appointer gets
    the same kind of link either way, and sees nothing that tells the two apart.

    The link carries the id and ``nonce``, signed with the secret key; a new link replaces
    the nonce, so older links stop working. The address is the one the appointer typed: only
    the account with that address can confirm, and it is never shown publicly.
    """

    __tablename__ = "seat_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        sa.ForeignKey("memberships.id", ondelete="CASCADE"), unique=True
    )
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    nonce: Mapped[str] = mapped_column(sa.String(32))
    expires_at: Mapped[datetime]
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    answered_at: Mapped[datetime | None]

    membership: Mapped[Membership] = relationship(back_populates="invitation")
