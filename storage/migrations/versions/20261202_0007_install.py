"""install: installations and OAuth state (issue: install in any workspace)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 17:00:00
"""

from alembic import op
import sqlalchemy as sa

import storage.types


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "installations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("install_key", sa.String(80), nullable=False),
        sa.Column("team_id", sa.String(32), nullable=True),
        sa.Column("team_name", sa.String(255), nullable=True),
        sa.Column("enterprise_id", sa.String(32), nullable=True),
        sa.Column("enterprise_name", sa.String(255), nullable=True),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("app_id", sa.String(32), nullable=True),
        sa.Column("bot_id", sa.String(32), nullable=True),
        sa.Column("bot_user_id", sa.String(32), nullable=True),
        sa.Column("bot_scopes", sa.Text(), nullable=False),
        sa.Column("bot_token", sa.Text(), nullable=False),
        sa.Column("bot_refresh_token", sa.Text(), nullable=True),
        sa.Column("bot_token_expires_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("installer_user_id", sa.String(32), nullable=True),
        sa.Column("installed_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_installations")),
        sa.UniqueConstraint("install_key", name=op.f("uq_installations_install_key")),
    )
    op.create_index("ix_installations_enterprise_id", "installations", ["enterprise_id"])
    op.create_table(
        "oauth_states",
        sa.Column("state", sa.String(128), nullable=False),
        sa.Column("expires_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("state", name=op.f("pk_oauth_states")),
    )
    op.create_index("ix_oauth_states_expires_at", "oauth_states", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_oauth_states_expires_at", table_name="oauth_states")
    op.drop_table("oauth_states")
    op.drop_index("ix_installations_enterprise_id", table_name="installations")
    op.drop_table("installations")
