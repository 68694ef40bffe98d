"""public record: decisions' explanation and commitments, minutes with revisions, rendered files

Decisions get an explanation and the commitments made in the meeting (toezeggingen), empty for
the existing ones, and an index for a council's archive by date. Minutes: one per meeting, the
secretary's notes per agenda item, every edit kept as a revision. Rendered files keep a
generated document (a decision list as PDF) with the digest of what it was made from.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "rendered_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=100), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rendered_files")),
        sa.UniqueConstraint("kind", "subject", name=op.f("uq_rendered_files_kind_subject")),
    )
    op.create_table(
        "minutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("draft", "approved", name="minutesstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("remarks", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("approved_at_meeting_id", sa.Integer(), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_at_meeting_id"],
            ["meetings.id"],
            name=op.f("fk_minutes_approved_at_meeting_id_meetings"),
        ),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["users.id"], name=op.f("fk_minutes_approved_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_minutes_meeting_id_meetings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes")),
        sa.UniqueConstraint("meeting_id", name=op.f("uq_minutes_meeting_id")),
    )
    op.create_table(
        "minutes_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_items.id"],
            name=op.f("fk_minutes_notes_agenda_item_id_agenda_items"),
        ),
        sa.ForeignKeyConstraint(
            ["minutes_id"], ["minutes.id"], name=op.f("fk_minutes_notes_minutes_id_minutes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_notes")),
        sa.UniqueConstraint(
            "minutes_id", "agenda_item_id", name=op.f("uq_minutes_notes_minutes_id_agenda_item_id")
        ),
    )
    with op.batch_alter_table("minutes_notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_minutes_notes_minutes_id"), ["minutes_id"], unique=False
        )

    op.create_table(
        "minutes_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_minutes_revisions_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["minutes_id"], ["minutes.id"], name=op.f("fk_minutes_revisions_minutes_id_minutes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_revisions")),
        sa.UniqueConstraint(
            "minutes_id", "number", name=op.f("uq_minutes_revisions_minutes_id_number")
        ),
    )
    with op.batch_alter_table("minutes_revisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_minutes_revisions_minutes_id"), ["minutes_id"], unique=False
        )

    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("explanation", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("commitments", sa.Text(), nullable=False, server_default=""))
        batch_op.create_index(
            "ix_decisions_council_decided", ["council_id", "decided_on"], unique=False
        )
    # The defaults only fill the existing rows; new ones always say what they hold.
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.alter_column("explanation", server_default=None)
        batch_op.alter_column("commitments", server_default=None)


def downgrade():
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_index("ix_decisions_council_decided")
        batch_op.drop_column("commitments")
        batch_op.drop_column("explanation")

    with op.batch_alter_table("minutes_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minutes_revisions_minutes_id"))

    op.drop_table("minutes_revisions")
    with op.batch_alter_table("minutes_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minutes_notes_minutes_id"))

    op.drop_table("minutes_notes")
    op.drop_table("minutes")
    op.drop_table("rendered_files")
