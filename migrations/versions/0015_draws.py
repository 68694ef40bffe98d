"""draws by lot: pools, draws, invitations, opt-outs, the resident panel

Revision ID: 0015_draws
Revises: 0014_site_look
Create Date: 2026-12-02 11:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015_draws"
down_revision = "0014_site_look"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "draw_opt_outs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("person_ref", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_draw_opt_outs_council_id_councils")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draw_opt_outs")),
        sa.UniqueConstraint(
            "council_id", "person_ref", name=op.f("uq_draw_opt_outs_council_id_person_ref")
        ),
    )
    op.create_table(
        "draws",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum("council", "panel", name="purpose", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "announced",
                "drawn",
                "closed",
                name="drawstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("invite", sa.Integer(), nullable=False),
        sa.Column("draw_on", sa.Date(), nullable=False),
        sa.Column("quotas", sa.JSON(), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("pool_size", sa.Integer(), nullable=False),
        sa.Column("eligible", sa.Integer(), nullable=False),
        sa.Column("pool_sha256", sa.String(length=64), nullable=True),
        sa.Column("procedure", sa.String(length=40), nullable=True),
        sa.Column("seed_source", sa.String(length=500), nullable=True),
        sa.Column("seed", sa.String(length=500), nullable=True),
        sa.Column("ranking", sa.JSON(), nullable=True),
        sa.Column("announced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("invite >= 1", name=op.f("ck_draws_invite_positive")),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_draws_council_id_councils")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_draws_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draws")),
    )
    op.create_index(op.f("ix_draws_council_id"), "draws", ["council_id"], unique=False)

    op.create_table(
        "panels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("target_size", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_panels_council_id_councils")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_panels")),
        sa.UniqueConstraint("council_id", name=op.f("uq_panels_council_id")),
    )
    op.create_table(
        "panel_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("draw_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_panel_members_council_id_councils")
        ),
        sa.ForeignKeyConstraint(
            ["draw_id"],
            ["draws.id"],
            name=op.f("fk_panel_members_draw_id_draws"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_panel_members")),
        sa.UniqueConstraint("council_id", "email", name=op.f("uq_panel_members_council_id_email")),
    )
    op.create_index(
        op.f("ix_panel_members_council_id"), "panel_members", ["council_id"], unique=False
    )

    op.create_table(
        "pool_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draw_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("ineligible", sa.String(length=20), nullable=True),
        sa.Column("strata", sa.JSON(), nullable=False),
        sa.Column("code_sha256", sa.String(length=64), nullable=True),
        sa.Column("person_ref", sa.String(length=200), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("postcode", sa.String(length=200), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("code", sa.String(length=24), nullable=True),
        sa.ForeignKeyConstraint(
            ["draw_id"],
            ["draws.id"],
            name=op.f("fk_pool_entries_draw_id_draws"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_entries")),
        sa.UniqueConstraint("draw_id", "position", name=op.f("uq_pool_entries_draw_id_position")),
    )
    op.create_index(
        op.f("ix_pool_entries_code_sha256"), "pool_entries", ["code_sha256"], unique=False
    )
    op.create_index(
        "ix_pool_entries_draw_id_line", "pool_entries", ["draw_id", "line"], unique=False
    )

    op.create_table(
        "draw_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draw_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "invited",
                "accepted",
                "declined",
                "no_response",
                "reserve",
                name="invitationstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("replied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("membership_id", sa.Integer(), nullable=True),
        sa.Column("panel_member_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["draw_id"],
            ["draws.id"],
            name=op.f("fk_draw_invitations_draw_id_draws"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["pool_entries.id"],
            name=op.f("fk_draw_invitations_entry_id_pool_entries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["memberships.id"],
            name=op.f("fk_draw_invitations_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["panel_member_id"],
            ["panel_members.id"],
            name=op.f("fk_draw_invitations_panel_member_id_panel_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["replaces_id"],
            ["draw_invitations.id"],
            name=op.f("fk_draw_invitations_replaces_id_draw_invitations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draw_invitations")),
        sa.UniqueConstraint(
            "draw_id", "position", name=op.f("uq_draw_invitations_draw_id_position")
        ),
    )


def downgrade():
    op.drop_table("draw_invitations")
    op.drop_table("pool_entries")
    op.drop_table("panel_members")
    op.drop_table("panels")
    op.drop_table("draws")
    op.drop_table("draw_opt_outs")
