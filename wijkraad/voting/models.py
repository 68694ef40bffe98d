from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from wijkraad.councils.rules import Seat
from wijkraad.db import Base, TimestampMixin, enum_column, utcnow
from wijkraad.motions.models import Motion
from wijkraad.voting.rules import Choice, GroupCounts, Outcome, RoundMode, RoundStatus, Tally
from wijkraad.voting.snapshot import RoundSnapshot


class SnapshotJSON(TypeDecorator[RoundSnapshot]):
    """A ``RoundSnapshot``, stored as the JSON that rounds have always kept."""

    impl = sa.JSON
    cache_ok = True

    def process_bind_param(self, value: RoundSnapshot | None, dialect: Any) -> Any:
        return None if value is None else value.to_json()

    def process_result_value(self, value: Any, dialect: Any) -> RoundSnapshot | None:
        return None if value is None else RoundSnapshot.from_json(value)


class VoteRound(Base):
    __tablename__ = "vote_rounds"
    __table_args__ = (
        # At most one open round per motion, whatever the number of workers.
        sa.Index(
            "uq_vote_rounds_one_open_per_motion",
            "motion_id",
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    motion_id: Mapped[int] = mapped_column(sa.ForeignKey("motions.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"), index=True)
    # Copied from the meeting so that the hot paths (a vote, the live tally) need no joins.
    council_id: Mapped[int] = mapped_column(sa.ForeignKey("councils.id"))
    is_confidential: Mapped[bool] = mapped_column(default=False)
    mode: Mapped[RoundMode] = mapped_column(enum_column(RoundMode), default=RoundMode.NAMED)
    status: Mapped[RoundStatus] = mapped_column(enum_column(RoundStatus), default=RoundStatus.OPEN)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    opened_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome))
    reason: Mapped[str | None] = mapped_column(sa.String(60))
    # Counts per group: entered by the chair for analog rounds, fixed at closing for named ones.
    residents_yes: Mapped[int] = mapped_column(default=0)
    residents_no: Mapped[int] = mapped_column(default=0)
    residents_abstain: Mapped[int] = mapped_column(default=0)
    councillors_yes: Mapped[int] = mapped_column(default=0)
    councillors_no: Mapped[int] = mapped_column(default=0)
    councillors_abstain: Mapped[int] = mapped_column(default=0)
    # The members entitled to vote, fixed when the round opens: what a vote checks.
    entitled: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    # Who was seated, present and entitled when the round opened, and how each voted (3.11).
    # Large (names of every member); loaded only when read.
    snapshot: Mapped[RoundSnapshot] = mapped_column(SnapshotJSON, deferred=True)

    motion: Mapped[Motion] = relationship()
    votes: Mapped[list[Vote]] = relationship(back_populates="round")

    @property
    def stored_tally(self) -> Tally:
        return Tally(
            residents=GroupCounts(self.residents_yes, self.residents_no, self.residents_abstain),
            councillors=GroupCounts(
                self.councillors_yes, self.councillors_no, self.councillors_abstain
            ),
        )

    def store_tally(self, tally: Tally) -> None:
        self.residents_yes, self.residents_no, self.residents_abstain = (
            tally.residents.yes,
            tally.residents.no,
            tally.residents.abstain,
        )
        self.councillors_yes, self.councillors_no, self.councillors_abstain = (
            tally.councillors.yes,
            tally.councillors.no,
            tally.councillors.abstain,
        )


class Vote(Base):
    __tablename__ = "votes"
    __table_args__ = (sa.UniqueConstraint("round_id", "membership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("vote_rounds.id"), index=True)
    membership_id: Mapped[int] = mapped_column(sa.ForeignKey("memberships.id"))
    seat: Mapped[Seat] = mapped_column(enum_column(Seat))
    choice: Mapped[Choice] = mapped_column(enum_column(Choice))
    cast_at: Mapped[datetime] = mapped_column(default=utcnow)

    round: Mapped[VoteRound] = relationship(back_populates="votes")


class Decision(TimestampMixin, Base):
    """What the council decided on a motion, with a stable public identifier (OPW-2026-014)."""

    __tablename__ = "decisions"
    # The archive lists a council's decisions newest first, and by year.
    __table_args__ = (
        sa.Index("ix_decisions_council_decided", "council_id", "decided_on"),
        sa.Index("ix_decisions_council_year", "council_id", "year", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(sa.ForeignKey("councils.id"), index=True)
    motion_id: Mapped[int] = mapped_column(sa.ForeignKey("motions.id"), unique=True)
    round_id: Mapped[int | None] = mapped_column(sa.ForeignKey("vote_rounds.id"))
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"), index=True)
    identifier: Mapped[str] = mapped_column(sa.String(30), unique=True)
    year: Mapped[int]
    number: Mapped[int]
    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome))
    text: Mapped[str] = mapped_column(sa.String(200))
    # Why, in a few paragraphs, and what was promised in the meeting (toezeggingen).
    explanation: Mapped[str] = mapped_column(sa.Text, default="")
    commitments: Mapped[str] = mapped_column(sa.Text, default="")
    decided_on: Mapped[date]

    # Named: a motion may name a decision too (the one it tops up).
    motion: Mapped[Motion] = relationship(foreign_keys=[motion_id])


class DecisionCounter(Base):
    """The last decision number per council and year: decisions closed at the same moment
    take their numbers from this row one after the other, never both "max + 1"."""

    __tablename__ = "decision_counters"

    council_id: Mapped[int] = mapped_column(sa.ForeignKey("councils.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)
