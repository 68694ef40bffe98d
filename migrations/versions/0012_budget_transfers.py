"""budget transfers and top-ups: a motion may move money from one budget line to another, or add
money to an earlier decision's execution

Revision ID: 0012_budget_transfers
Revises: 0011_documents
Create Date: 2026-12-02 12:00:00

The two columns of ``motions`` are added with a plain ADD COLUMN (nullable, with its foreign
key): a batch operation on SQLite would copy the table and lose the search triggers of
0009_search. SQLite drops them again with a plain DROP COLUMN too.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012_budget_transfers"
down_revision = "0011_documents"
branch_labels = None
depends_on = None


def upgrade():
    columns = [
        ("source_line_id", "budget_lines", "fk_motions_source_line_id_budget_lines"),
        ("supplements_decision_id", "decisions", "fk_motions_supplements_decision_id_decisions"),
    ]
    for column, table, key in columns:
        if op.get_bind().dialect.name == "sqlite":
            # ADD COLUMN with the key in the column's own REFERENCES clause: no table copy.
            op.execute(
                f"ALTER TABLE motions ADD COLUMN {column} INTEGER "
                f"CONSTRAINT {key} REFERENCES {table} (id)"
            )
        else:
            op.add_column("motions", sa.Column(column, sa.Integer(), nullable=True))
            op.create_foreign_key(op.f(key), "motions", table, [column], ["id"])
    op.create_table(
        "budget_transfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("from_line_id", sa.Integer(), nullable=False),
        sa.Column("to_line_id", sa.Integer(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("is_confidential", sa.Boolean(), nullable=False),
        sa.Column("moved_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_cents > 0", name=op.f("ck_budget_transfers_amount_positive")),
        sa.CheckConstraint(
            "from_line_id <> to_line_id", name=op.f("ck_budget_transfers_two_lines")
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
            name=op.f("fk_budget_transfers_decision_id_decisions"),
        ),
        sa.ForeignKeyConstraint(
            ["from_line_id"],
            ["budget_lines.id"],
            name=op.f("fk_budget_transfers_from_line_id_budget_lines"),
        ),
        sa.ForeignKeyConstraint(
            ["to_line_id"],
            ["budget_lines.id"],
            name=op.f("fk_budget_transfers_to_line_id_budget_lines"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_transfers")),
        sa.UniqueConstraint("decision_id", name=op.f("uq_budget_transfers_decision_id")),
    )
    op.create_index(op.f("ix_budget_transfers_from_line_id"), "budget_transfers", ["from_line_id"])
    op.create_index(op.f("ix_budget_transfers_to_line_id"), "budget_transfers", ["to_line_id"])
    op.create_table(
        "execution_top_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("execution_id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_cents > 0", name=op.f("ck_execution_top_ups_amount_positive")),
        sa.ForeignKeyConstraint(
            ["execution_id"],
            ["executions.id"],
            name=op.f("fk_execution_top_ups_execution_id_executions"),
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
            name=op.f("fk_execution_top_ups_decision_id_decisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_execution_top_ups")),
        sa.UniqueConstraint("decision_id", name=op.f("uq_execution_top_ups_decision_id")),
    )
    op.create_index(
        op.f("ix_execution_top_ups_execution_id"), "execution_top_ups", ["execution_id"]
    )


def downgrade():
    op.drop_index(op.f("ix_execution_top_ups_execution_id"), table_name="execution_top_ups")
    op.drop_table("execution_top_ups")
    op.drop_index(op.f("ix_budget_transfers_to_line_id"), table_name="budget_transfers")
    op.drop_index(op.f("ix_budget_transfers_from_line_id"), table_name="budget_transfers")
    op.drop_table("budget_transfers")
    if op.get_bind().dialect.name == "sqlite":
        # Not a batch operation (which would lose the search triggers): SQLite drops a column
        # with its REFERENCES clause in place.
        op.execute("ALTER TABLE motions DROP COLUMN supplements_decision_id")
        op.execute("ALTER TABLE motions DROP COLUMN source_line_id")
    else:
        op.drop_constraint(
            op.f("fk_motions_supplements_decision_id_decisions"), "motions", type_="foreignkey"
        )
        op.drop_constraint(
            op.f("fk_motions_source_line_id_budget_lines"), "motions", type_="foreignkey"
        )
        op.drop_column("motions", "supplements_decision_id")
        op.drop_column("motions", "source_line_id")
