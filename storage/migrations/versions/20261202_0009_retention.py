"""retention: find uninstalled workspaces past their retention by an index

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 17:00:00

The clock looks every minute for workspaces deactivated before the retention cutoff; the index
keeps that a range scan of the few deactivated ones (active workspaces have no deactivated_at).
"""

from alembic import op


revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_workspaces_deactivated_at", "workspaces", ["deactivated_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_workspaces_deactivated_at", table_name="workspaces")
