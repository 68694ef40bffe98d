"""meetings: the agenda as last mailed to the members

Revision ID: 0017_agenda_sent
Revises: 0016_pool_indexes
Create Date: 2026-12-02 15:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0017_agenda_sent"
down_revision = "0016_pool_indexes"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("meetings", sa.Column("agenda_sent", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("agenda_sent")
