"""Installations: storing them with sealed tokens, finding a workspace's bot token, OAuth state,
the first moments of a new installation, and re-sealing every token with the current key.

Slack-free: the Slack adapter (`bot.slack.installs`) and the jobs call these with a unit of work
and a `TokenCipher`; tokens are plaintext here and ciphertext in storage.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.model import TeamRef, Workspace, WorkspaceDefaults
from bot.domain.ports import UnitOfWork
from bot.domain.tokens import ORG_PREFIX, Install, TokenCipher, install_key
from bot.domain.workspaces import ensure_workspace


def save_install(install: Install, *, uow: UnitOfWork, cipher: TokenCipher) -> None:
    """Store (or replace) an installation, its tokens sealed."""
    refresh = install.bot_refresh_token
    sealed = replace(
        install,
        bot_token=cipher.encrypt(install.bot_token),
        bot_refresh_token=cipher.encrypt(refresh) if refresh else None,
    )
    with uow:
        uow.installations.save(sealed)
        uow.commit()


def _keys(team_id: str | None, enterprise_id: str | None, org_wide: bool) -> list[str]:
    """Where to look, in order: the workspace's own install, then its organisation's."""
    keys = [] if org_wide or not team_id else [team_id]
    if enterprise_id:
        keys.append(ORG_PREFIX + enterprise_id)
    return keys


def find_install(
    team_id: str | None,
    enterprise_id: str | None,
    *,
    org_wide: bool = False,
    uow: UnitOfWork,
    cipher: TokenCipher,
) -> Install | None:
    """The installation serving this workspace (its own, else its organisation's), opened."""
    with uow:
        for key in _keys(team_id, enterprise_id, org_wide):
            found = uow.installations.find(key)
            if found is not None:
                return _opened(found, cipher)
    return None


def _opened(install: Install, cipher: TokenCipher) -> Install:
    refresh = install.bot_refresh_token
    return replace(
        install,
        bot_token=cipher.decrypt(install.bot_token),
        bot_refresh_token=cipher.decrypt(refresh) if refresh else None,
    )


def is_installed(
    team_id: str | None, enterprise_id: str | None, *, org_wide: bool = False, uow: UnitOfWork
) -> bool:
    """Whether Bravo is installed for this workspace (or its organisation); no token opened."""
    with uow:
        return any(uow.installations.find(k) for k in _keys(team_id, enterprise_id, org_wide))


def delete_install(
    team_id: str | None, enterprise_id: str | None, *, org_wide: bool = False, uow: UnitOfWork
) -> bool:
    """Forget the tokens of an uninstalled (or revoked) workspace or organisation."""
    with uow:
        deleted = uow.installations.delete(install_key(team_id, enterprise_id, org_wide))
        uow.commit()
    return deleted


def bot_token_for(workspace: Workspace, *, uow: UnitOfWork, cipher: TokenCipher) -> str | None:
    """The bot token to act in `workspace` with, or None when Bravo is not installed there."""
    found = find_install(workspace.team_id, workspace.enterprise_id, uow=uow, cipher=cipher)
    return found.bot_token if found else None


def workspace_by_id(workspace_id: int, *, uow: UnitOfWork) -> Workspace:
    with uow:
        return uow.workspaces.get(workspace_id)


def issue_state(state: str, now: datetime, ttl: timedelta, *, uow: UnitOfWork) -> None:
    with uow:
        uow.oauth_states.issue(state, now + ttl)
        uow.commit()


def consume_state(state: str, now: datetime, *, uow: UnitOfWork) -> bool:
    """True once for a state Bravo issued and that has not expired; never again."""
    with uow:
        consumed = uow.oauth_states.consume(state, now)
        uow.commit()
    return consumed


def language_from_locale(locale: str | None, default: str) -> str:
    """Slack's `nl-NL` (any `nl-*`) means Dutch; `en-*` English; anything else the default."""
    prefix = (locale or "").lower().split("-")[0]
    return prefix if prefix in ("nl", "en") else default


def welcome_workspace(
    team: TeamRef,
    *,
    timezone: str | None,
    locale: str | None,
    defaults: WorkspaceDefaults,
    uow: UnitOfWork,
    now: datetime,
) -> Workspace:
    """Create the workspace of a new installation in the installer's time zone and language,
    or reactivate the one an earlier uninstall left (its settings kept)."""
    mine = replace(
        defaults,
        timezone=timezone if _known_zone(timezone) else defaults.timezone,
        language=language_from_locale(locale, defaults.language),
    )
    with uow:
        workspace = ensure_workspace(uow, team, mine, now)
        uow.commit()
    return workspace


def _known_zone(name: str | None) -> bool:
    try:
        return bool(name) and ZoneInfo(name) is not None
    except (ZoneInfoNotFoundError, ValueError):
        return False


def rotate_keys(*, uow: UnitOfWork, cipher: TokenCipher) -> int:
    """Re-seal every stored token with the first key; how many installations were rewritten."""
    with uow:
        keys = uow.installations.all_keys()
    for key in keys:
        with uow:
            install = uow.installations.find(key)
            if install is None:
                continue
            refresh = install.bot_refresh_token
            uow.installations.save(
                replace(
                    install,
                    bot_token=cipher.rotate(install.bot_token),
                    bot_refresh_token=cipher.rotate(refresh) if refresh else None,
                )
            )
            uow.commit()
    return len(keys)
