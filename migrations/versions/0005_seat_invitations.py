"""seat invitations: an appointment is accepted by the invitee before it seats them

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 09:00:00

Existing memberships were made before invitations existed: they stay seated ("accepted").
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

STATUS = sa.Enum(
    "invited",
    "accepted",
    "declined",
    "withdrawn",
    name="membershipstatus",
    native_enum=False,
    length=20,
)


def upgrade():
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", STATUS, nullable=False, server_default="accepted"))
    # The default only fills the existing rows; new ones always say what they are.
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.alter_column("status", server_default=None)

    op.create_table(
        "seat_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("nonce", sa.String(length=32), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["invited_by_id"],
            ["users.id"],
            name=op.f("fk_seat_invitations_invited_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["memberships.id"],
            name=op.f("fk_seat_invitations_membership_id_memberships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seat_invitations")),
        sa.UniqueConstraint("membership_id", name=op.f("uq_seat_invitations_membership_id")),
    )
    with op.batch_alter_table("seat_invitations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_seat_invitations_email"), ["email"], unique=False)


def downgrade():
    with op.batch_alter_table("seat_invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_seat_invitations_email"))
    op.drop_table("seat_invitations")
    # Invitations that were never accepted did not seat anyone: they go with the table.
    op.execute("DELETE FROM memberships WHERE status <> 'accepted'")
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_column("status")
