"""An installation of Bravo and what seals its tokens: value types and the cipher port.

Slack-free. `bot.slack.installs` turns Slack's installation objects into these; the services in
`bot.domain.installs` seal the tokens with a `TokenCipher` before storage ever sees them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

ORG_PREFIX = "enterprise:"


class TokenCipher(Protocol):
    """Encrypts tokens at rest (implemented with MultiFernet outside the domain)."""

    def encrypt(self, plaintext: str) -> str: ...
    def decrypt(self, ciphertext: str) -> str:
        """Raises `UnreadableToken` when no key opens it."""

    def rotate(self, ciphertext: str) -> str:
        """The same token sealed with the first (current) key."""


class UnreadableToken(Exception):
    """A stored token none of the configured keys can open."""


@dataclass(frozen=True, slots=True)
class Install:
    """One installation: a workspace's, or an organisation's (org-wide, `team_id` None).

    Token fields hold plaintext in services and ciphertext in storage.
    """

    team_id: str | None
    enterprise_id: str | None
    bot_token: str
    installed_at: datetime
    is_enterprise_install: bool = False
    team_name: str | None = None
    enterprise_name: str | None = None
    app_id: str | None = None
    bot_id: str | None = None
    bot_user_id: str | None = None
    bot_scopes: str = ""
    bot_refresh_token: str | None = None
    bot_token_expires_at: datetime | None = None
    installer_user_id: str | None = None

    @property
    def key(self) -> str:
        return install_key(self.team_id, self.enterprise_id, self.is_enterprise_install)


def install_key(team_id: str | None, enterprise_id: str | None, org_wide: bool) -> str:
    """What an installation is found by: the team, or the enterprise for an org-wide install."""
    if org_wide or not team_id:
        return ORG_PREFIX + (enterprise_id or "")
    return team_id
