"""trust: one shout-out per request key, outbox claim times, a health row, an audit log

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 16:00:00

Columns are added with plain ALTER TABLE (no batch rebuild), so SQLite keeps the triggers of
0005 on `recognitions` and the tables they count.
"""

from alembic import op
import sqlalchemy as sa

import storage.types


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("shoutouts", sa.Column("request_key", sa.String(80), nullable=True))
    op.create_index(
        "ix_shoutouts_workspace_id_request_key",
        "shoutouts",
        ["workspace_id", "request_key"],
        unique=True,
    )
    op.add_column(
        "outbox", sa.Column("claimed_at", storage.types.UTCDateTime(timezone=True), nullable=True)
    )
    op.create_table(
        "health",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checked_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("actor_id", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_audit_log_workspace_id_workspaces"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_workspace_id", "audit_log", ["workspace_id"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_workspace_id", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_table("health")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("claimed_at")
    op.drop_index("ix_shoutouts_workspace_id_request_key", table_name="shoutouts")
    with op.batch_alter_table("shoutouts") as batch:
        batch.drop_column("request_key")
