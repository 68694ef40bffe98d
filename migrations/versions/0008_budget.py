"""budget: budgets per council and year, their lines, executions of decisions, progress notes

A motion's budget line becomes a foreign key. Amounts are integer cents in 64-bit columns, never
negative, and an execution never spends beyond what it committed.

Revision ID: 0008_budget
Revises: 0007
Create Date: 2026-12-08 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008_budget"
down_revision = "0007"
branch_labels = None
depends_on = None

STATUS = sa.Enum(
    "planned",
    "in_progress",
    "done",
    "cancelled",
    name="executionstatus",
    native_enum=False,
    length=20,
)


def upgrade():
    op.create_table(
        "budgets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("total_cents", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("total_cents >= 0", name=op.f("ck_budgets_total_not_negative")),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_budgets_council_id_councils")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budgets")),
        sa.UniqueConstraint("council_id", "year", name=op.f("uq_budgets_council_id_year")),
    )
    op.create_table(
        "budget_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("budget_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("allocated_cents", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "allocated_cents >= 0", name=op.f("ck_budget_lines_allocated_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["budget_id"], ["budgets.id"], name=op.f("fk_budget_lines_budget_id_budgets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_lines")),
        sa.UniqueConstraint("budget_id", "code", name=op.f("uq_budget_lines_budget_id_code")),
    )
    with op.batch_alter_table("budget_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_budget_lines_budget_id"), ["budget_id"], unique=False)

    op.create_table(
        "executions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("committed_cents", sa.BigInteger(), nullable=False),
        sa.Column("spent_cents", sa.BigInteger(), nullable=False),
        sa.Column("status", STATUS, nullable=False),
        sa.Column("is_confidential", sa.Boolean(), nullable=False),
        sa.Column("committed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "committed_cents >= 0", name=op.f("ck_executions_committed_not_negative")
        ),
        sa.CheckConstraint(
            "spent_cents >= 0 AND spent_cents <= committed_cents",
            name=op.f("ck_executions_spent_within_committed"),
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name=op.f("fk_executions_decision_id_decisions")
        ),
        sa.ForeignKeyConstraint(
            ["line_id"], ["budget_lines.id"], name=op.f("fk_executions_line_id_budget_lines")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_executions")),
        sa.UniqueConstraint("decision_id", name=op.f("uq_executions_decision_id")),
    )
    with op.batch_alter_table("executions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_executions_line_id"), ["line_id"], unique=False)

    op.create_table(
        "progress_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("execution_id", sa.Integer(), nullable=False),
        sa.Column("noted_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("spent_cents", sa.BigInteger(), nullable=False),
        sa.Column("status", STATUS, nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("spent_cents >= 0", name=op.f("ck_progress_notes_spent_not_negative")),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_progress_notes_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["execution_id"],
            ["executions.id"],
            name=op.f("fk_progress_notes_execution_id_executions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_notes")),
    )
    with op.batch_alter_table("progress_notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_progress_notes_execution_id"), ["execution_id"], unique=False
        )

    # No line existed before: an id a motion named until now names nothing.
    op.execute("UPDATE motions SET budget_line_id = NULL WHERE budget_line_id IS NOT NULL")
    with op.batch_alter_table("motions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_motions_budget_line_id"), ["budget_line_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_motions_budget_line_id_budget_lines"),
            "budget_lines",
            ["budget_line_id"],
            ["id"],
        )


def downgrade():
    with op.batch_alter_table("motions", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_motions_budget_line_id_budget_lines"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_motions_budget_line_id"))

    with op.batch_alter_table("progress_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_progress_notes_execution_id"))
    op.drop_table("progress_notes")
    with op.batch_alter_table("executions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_executions_line_id"))
    op.drop_table("executions")
    with op.batch_alter_table("budget_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_lines_budget_id"))
    op.drop_table("budget_lines")
    op.drop_table("budgets")
