"""documents: PDF and image files attached to agenda items and motions

Revision ID: 0011_documents
Revises: 0010_outbox
Create Date: 2026-12-02 01:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011_documents"
down_revision = "0010_outbox"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("motion_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("filename", sa.String(length=120), nullable=False),
        sa.Column(
            "media_type",
            sa.Enum(
                "application/pdf",
                "image/png",
                "image/jpeg",
                "image/webp",
                name="mediatype",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(agenda_item_id IS NULL) <> (motion_id IS NULL)", name=op.f("ck_documents_one_owner")
        ),
        sa.CheckConstraint("size_bytes > 0", name=op.f("ck_documents_size_positive")),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_items.id"],
            name=op.f("fk_documents_agenda_item_id_agenda_items"),
        ),
        sa.ForeignKeyConstraint(
            ["motion_id"], ["motions.id"], name=op.f("fk_documents_motion_id_motions")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
            name=op.f("fk_documents_uploaded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint(
            "agenda_item_id", "sha256", name=op.f("uq_documents_agenda_item_id_sha256")
        ),
        sa.UniqueConstraint("motion_id", "sha256", name=op.f("uq_documents_motion_id_sha256")),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_documents_agenda_item_id"), ["agenda_item_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_documents_motion_id"), ["motion_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_sha256"), ["sha256"], unique=False)


def downgrade():
    op.drop_table("documents")
