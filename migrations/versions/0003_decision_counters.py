"""decision numbers from a counter row per council and year

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 08:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "decision_counters",
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["councils.id"],
            name=op.f("fk_decision_counters_council_id_councils"),
        ),
        sa.PrimaryKeyConstraint("council_id", "year", name=op.f("pk_decision_counters")),
    )
    # Continue each council's numbering where its decisions stand today.
    op.execute(
        "INSERT INTO decision_counters (council_id, year, last_number) "
        "SELECT council_id, year, MAX(number) FROM decisions GROUP BY council_id, year"
    )


def downgrade():
    op.drop_table("decision_counters")
