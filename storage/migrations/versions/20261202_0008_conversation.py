"""conversation: thanking in the conversation (mentions, the kudos emoji, joining in)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 17:00:00

Columns are added with plain ALTER TABLE (no batch rebuild), so SQLite keeps the triggers of
0005 on `recognitions` and the tables they count.
"""

from alembic import op
import sqlalchemy as sa

import storage.types


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "workspaces",
        sa.Column("kudos_emoji", sa.String(64), server_default="raised_hands", nullable=True),
    )
    op.add_column("outbox", sa.Column("thread_ts", sa.String(32), nullable=True))
    op.create_table(
        "conversation_thanks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("message_ts", sa.String(32), nullable=False),
        sa.Column("giver_id", sa.String(32), nullable=False),
        sa.Column("shoutout_id", sa.Integer(), nullable=False),
        sa.Column("joined_shoutout_id", sa.Integer(), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_conversation_thanks_workspace_id_workspaces"),
        ),
        sa.ForeignKeyConstraint(
            ["shoutout_id"],
            ["shoutouts.id"],
            name=op.f("fk_conversation_thanks_shoutout_id_shoutouts"),
        ),
        sa.ForeignKeyConstraint(
            ["joined_shoutout_id"],
            ["shoutouts.id"],
            name=op.f("fk_conversation_thanks_joined_shoutout_id_shoutouts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_thanks")),
        sa.UniqueConstraint("shoutout_id", name=op.f("uq_conversation_thanks_shoutout_id")),
        sa.UniqueConstraint(
            "workspace_id",
            "channel_id",
            "message_ts",
            "giver_id",
            name=op.f("uq_conversation_thanks_workspace_id_channel_id_message_ts_giver_id"),
        ),
    )
    op.create_index(
        "ix_conversation_thanks_joined_shoutout_id", "conversation_thanks", ["joined_shoutout_id"]
    )
    op.create_table(
        "thanks_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("message_ts", sa.String(32), nullable=False),
        sa.Column("author_id", sa.String(32), nullable=False),
        sa.Column("reply_ts", sa.String(32), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_thanks_replies_workspace_id_workspaces"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_thanks_replies")),
        sa.UniqueConstraint(
            "workspace_id",
            "channel_id",
            "message_ts",
            name=op.f("uq_thanks_replies_workspace_id_channel_id_message_ts"),
        ),
    )


def downgrade() -> None:
    op.drop_table("thanks_replies")
    op.drop_index("ix_conversation_thanks_joined_shoutout_id", table_name="conversation_thanks")
    op.drop_table("conversation_thanks")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("thread_ts")
    with op.batch_alter_table("workspaces") as batch:
        batch.drop_column("kudos_emoji")
