"""apologies: members send their apologies for a meeting in advance, with the time and an
optional reason, on their line of the attendance register

Revision ID: 0013_apologies
Revises: 0012_budget_transfers
Create Date: 2026-12-02 12:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013_apologies"
down_revision = "0012_budget_transfers"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (nullable): no table rebuild on SQLite.
    op.add_column("attendance", sa.Column("apologised_at", sa.DateTime(timezone=True)))
    op.add_column("attendance", sa.Column("apology_reason", sa.String(length=200)))


def downgrade():
    with op.batch_alter_table("attendance") as batch:
        batch.drop_column("apology_reason")
        batch.drop_column("apologised_at")
