"""site look: the municipality's name, logo, colours, contact and statements

Revision ID: 0014_site_look
Revises: 0013_apologies
Create Date: 2026-12-02 12:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014_site_look"
down_revision = "0013_apologies"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "site_look",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("municipality_name", sa.String(length=120), nullable=False),
        sa.Column("logo_sha256", sa.String(length=64), nullable=True),
        sa.Column("logo_media_type", sa.String(length=40), nullable=True),
        sa.Column("primary_color", sa.String(length=7), nullable=True),
        sa.Column("primary_text_color", sa.String(length=7), nullable=True),
        sa.Column("link_color", sa.String(length=7), nullable=True),
        sa.Column("header_background", sa.String(length=7), nullable=True),
        sa.Column("header_text_color", sa.String(length=7), nullable=True),
        sa.Column("contact_address", sa.Text(), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=False),
        sa.Column("contact_phone", sa.String(length=40), nullable=False),
        sa.Column("contact_url", sa.String(length=500), nullable=False),
        sa.Column("privacy_text", sa.Text(), nullable=False),
        sa.Column("privacy_url", sa.String(length=500), nullable=False),
        sa.Column("accessibility_text", sa.Text(), nullable=False),
        sa.Column("accessibility_url", sa.String(length=500), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_site_look_single_row")),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_site_look_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_look")),
    )


def downgrade():
    op.drop_table("site_look")
