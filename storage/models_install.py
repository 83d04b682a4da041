"""Installations (one per workspace, or per enterprise for an org-wide install) and OAuth state.

Tokens are stored only as ciphertext (`bot.domain.installs` encrypts them before they get here).
An org-wide install has no workspace of its own: it is keyed by its enterprise, and each of the
organisation's workspaces keeps its own rows in the other tables.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, SlackId
from storage.types import UTCDateTime


class InstallationRow(Base):
    __tablename__ = "installations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The team id, or `enterprise:E…` for an org-wide install: what a lookup finds it by.
    install_key: Mapped[str] = mapped_column(String(80), unique=True)
    team_id: Mapped[str | None] = mapped_column(SlackId)
    team_name: Mapped[str | None] = mapped_column(String(255))
    enterprise_id: Mapped[str | None] = mapped_column(SlackId, index=True)
    enterprise_name: Mapped[str | None] = mapped_column(String(255))
    is_enterprise_install: Mapped[bool] = mapped_column(Boolean, default=False)
    app_id: Mapped[str | None] = mapped_column(SlackId)
    bot_id: Mapped[str | None] = mapped_column(SlackId)
    bot_user_id: Mapped[str | None] = mapped_column(SlackId)
    bot_scopes: Mapped[str] = mapped_column(Text, default="")
    bot_token: Mapped[str] = mapped_column(Text)  # ciphertext
    bot_refresh_token: Mapped[str | None] = mapped_column(Text)  # ciphertext
    bot_token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    installer_user_id: Mapped[str | None] = mapped_column(SlackId)
    installed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OAuthStateRow(Base):
    """A state Bravo issued for one install attempt; consumed (deleted) by its one callback."""

    __tablename__ = "oauth_states"

    state: Mapped[str] = mapped_column(String(128), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
