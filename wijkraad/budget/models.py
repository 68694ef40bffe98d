"""The neighbourhood budget: a council's budget per year, its lines, and the execution of each
decision with money (what it committed, what was spent, dated progress notes).

Amounts are integer cents in 64-bit columns; the database refuses negative ones, and spending
beyond the commitment, whatever the code above it does.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkraad.budget.rules import ExecutionStatus
from wijkraad.councils.models import Council
from wijkraad.db import Base, TimestampMixin, enum_column, utcnow


class Budget(TimestampMixin, Base):
    """A council's money for one year."""

    __tablename__ = "budgets"
    __table_args__ = (
        sa.UniqueConstraint("council_id", "year"),
        sa.CheckConstraint("total_cents >= 0", name="total_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(sa.ForeignKey("councils.id"))
    year: Mapped[int]
    total_cents: Mapped[int] = mapped_column(sa.BigInteger)

    council: Mapped[Council] = relationship()
    lines: Mapped[list[BudgetLine]] = relationship(
        back_populates="budget", order_by="BudgetLine.code"
    )


class BudgetLine(TimestampMixin, Base):
    """A theme of a year's budget (begrotingspost) with the money allocated to it."""

    __tablename__ = "budget_lines"
    __table_args__ = (
        sa.UniqueConstraint("budget_id", "code"),
        sa.CheckConstraint("allocated_cents >= 0", name="allocated_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(sa.ForeignKey("budgets.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(20))
    name: Mapped[str] = mapped_column(sa.String(200))
    allocated_cents: Mapped[int] = mapped_column(sa.BigInteger)

    budget: Mapped[Budget] = relationship(back_populates="lines")


class Execution(Base):
    """An adopted decision's money on its line: committed when it was adopted, spent as its
    progress notes say, followed from planned to done (or cancelled, which releases what was
    not spent)."""

    __tablename__ = "executions"
    __table_args__ = (
        sa.CheckConstraint("committed_cents >= 0", name="committed_not_negative"),
        sa.CheckConstraint(
            "spent_cents >= 0 AND spent_cents <= committed_cents", name="spent_within_committed"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The decision (``voting``, which commits through this package, names the table).
    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("decisions.id"), unique=True)
    line_id: Mapped[int] = mapped_column(sa.ForeignKey("budget_lines.id"), index=True)
    committed_cents: Mapped[int] = mapped_column(sa.BigInteger)
    spent_cents: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    status: Mapped[ExecutionStatus] = mapped_column(
        enum_column(ExecutionStatus), default=ExecutionStatus.PLANNED
    )
    # Copied from the decision's agenda item and round when it was taken, as rounds copy it:
    # the public budget shows the money of a confidential decision, not what it was about.
    is_confidential: Mapped[bool] = mapped_column(default=False)
    committed_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    line: Mapped[BudgetLine] = relationship()
    # Named by string: the decision's model lives in a package above this one.
    decision: Mapped[Any] = relationship("Decision", viewonly=True)
    notes: Mapped[list[ProgressNote]] = relationship(
        back_populates="execution", order_by="ProgressNote.id"
    )


class ProgressNote(TimestampMixin, Base):
    """A dated update on a decision's execution: what happened, what was spent, the status
    it left."""

    __tablename__ = "progress_notes"
    __table_args__ = (sa.CheckConstraint("spent_cents >= 0", name="spent_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    execution_id: Mapped[int] = mapped_column(sa.ForeignKey("executions.id"), index=True)
    noted_on: Mapped[date]
    note: Mapped[str] = mapped_column(sa.Text)
    spent_cents: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    status: Mapped[ExecutionStatus] = mapped_column(enum_column(ExecutionStatus))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    execution: Mapped[Execution] = relationship(back_populates="notes")


class Transfer(Base):
    """Money moved between two lines of a year's budget by a decision of the council: the
    allocation of ``from_line`` went down and that of ``to_line`` up by ``amount_cents``."""

    __tablename__ = "budget_transfers"
    __table_args__ = (
        sa.CheckConstraint("amount_cents > 0", name="amount_positive"),
        sa.CheckConstraint("from_line_id <> to_line_id", name="two_lines"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("decisions.id"), unique=True)
    from_line_id: Mapped[int] = mapped_column(sa.ForeignKey("budget_lines.id"), index=True)
    to_line_id: Mapped[int] = mapped_column(sa.ForeignKey("budget_lines.id"), index=True)
    amount_cents: Mapped[int] = mapped_column(sa.BigInteger)
    # As an execution's: the public budget shows the move, not what the decision was about.
    is_confidential: Mapped[bool] = mapped_column(default=False)
    moved_at: Mapped[datetime] = mapped_column(default=utcnow)

    from_line: Mapped[BudgetLine] = relationship(foreign_keys=[from_line_id])
    to_line: Mapped[BudgetLine] = relationship(foreign_keys=[to_line_id])
    decision: Mapped[Any] = relationship("Decision", viewonly=True)


class TopUp(Base):
    """Money a further decision added to an earlier decision's execution (committed on the
    same line): what may be spent on it grew by ``amount_cents``."""

    __tablename__ = "execution_top_ups"
    __table_args__ = (sa.CheckConstraint("amount_cents > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    execution_id: Mapped[int] = mapped_column(sa.ForeignKey("executions.id"), index=True)
    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("decisions.id"), unique=True)
    amount_cents: Mapped[int] = mapped_column(sa.BigInteger)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    execution: Mapped[Execution] = relationship()
    decision: Mapped[Any] = relationship("Decision", viewonly=True)
