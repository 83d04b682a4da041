"""principle dates: each recognition's principle tag carries the recognition's time

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 19:30:00
"""

from alembic import op
import sqlalchemy as sa

import storage.types


revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The `#principle` leaderboard filter for a month joined every recognition of the month
    # (31,000 of 1,000,000) with one principle's tags: 67 ms p95 on PostgreSQL. With the time
    # on the tag, one index range holds exactly that principle's tags in that period, and each
    # is joined to its recognition by primary key.
    with op.batch_alter_table("recognition_principles") as batch_op:
        batch_op.add_column(
            sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
    op.execute(
        "UPDATE recognition_principles SET created_at = (SELECT r.created_at FROM recognitions r"
        " WHERE r.id = recognition_principles.recognition_id)"
    )
    with op.batch_alter_table("recognition_principles") as batch_op:
        batch_op.alter_column(
            "created_at", existing_type=storage.types.UTCDateTime(timezone=True), nullable=False
        )
        # Its prefix (workspace, principle) is the index the new one replaces.
        batch_op.drop_index("ix_recognition_principles_workspace_id_principle")
        batch_op.create_index(
            "ix_recognition_principles_by_date",
            ["workspace_id", "principle", "created_at", "recognition_id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("recognition_principles") as batch_op:
        batch_op.drop_index("ix_recognition_principles_by_date")
        batch_op.create_index(
            "ix_recognition_principles_workspace_id_principle", ["workspace_id", "principle"]
        )
        batch_op.drop_column("created_at")
