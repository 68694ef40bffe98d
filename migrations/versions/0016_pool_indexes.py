"""pool entries: drop the indexes on the response code's hash and on the file's line

A pool of 100,000 residents is written in one go; each index on ``pool_entries`` is paid for
on every row. Nothing reads a pool by line, and a code typed by a resident is looked up
through the open invitations (a few hundred rows), which lead to their pool row by its key;
what remains is the unique (draw_id, position), which also serves every read of a draw's pool.

Revision ID: 0016_pool_indexes
Revises: 0015_draws
Create Date: 2026-12-02 14:30:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0016_pool_indexes"
down_revision = "0015_draws"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_pool_entries_draw_id_line", table_name="pool_entries")
    op.drop_index(op.f("ix_pool_entries_code_sha256"), table_name="pool_entries")


def downgrade():
    op.create_index(
        op.f("ix_pool_entries_code_sha256"), "pool_entries", ["code_sha256"], unique=False
    )
    op.create_index(
        "ix_pool_entries_draw_id_line", "pool_entries", ["draw_id", "line"], unique=False
    )
