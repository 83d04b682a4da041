"""Workspaces: first sight (with default targets), settings changed by admins and managers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.clock import Clock
from bot.domain.errors import BravoError, NotAllowed
from bot.domain.managers import is_manager
from bot.domain.model import Person, TeamRef, Workspace, WorkspaceDefaults
from bot.domain.ports import UnitOfWork
from bot.domain.schedule import (
    DEFAULTS,
    PostKind,
    format_days,
    format_time,
    next_run,
    parse_days,
    parse_time,
    schedule_of,
)

LANGUAGES = ("en", "nl")
ALLOWANCE_RANGE = (1, 50)
_CHANNEL = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$")
_GROUP = re.compile(r"^<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>$")
_EMOJI = re.compile(r"^:?([a-z0-9_+'-]{1,60}):?$")
_DAY = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}


UNINSTALLED = "app_uninstalled"


def deactivate_workspace(team: TeamRef, *, uow: UnitOfWork, clock: Clock) -> bool:
    """Bravo was uninstalled or its bot token revoked: stop posting, keep the data.

    Idempotent: `app_uninstalled` and `tokens_revoked` may both come, in either order.
    """
    with uow:
        workspace = uow.workspaces.by_team(team.team_id)
        if workspace is None or not workspace.active:
            return False
        uow.workspaces.set_active(workspace.id, False, clock.now())
        uow.targets.pause_workspace(workspace.id, UNINSTALLED)
        uow.commit()
    return True


class InvalidSetting(BravoError):
    """`reason` is a catalog key saying what a good value looks like."""

    key = "settings.error.invalid"


class UnknownSetting(BravoError):
    key = "settings.error.unknown"


class NotAManager(NotAllowed):
    key = "settings.error.not_manager"


def ensure_workspace(
    uow: UnitOfWork, team: TeamRef, defaults: WorkspaceDefaults, now: datetime
) -> Workspace:
    """The workspace, created on first sight with the operator's default channels as targets.

    A request from a deactivated workspace means Bravo is installed and trusted again there:
    it is reactivated and the posts paused by the uninstall resume.
    """
    existing = uow.workspaces.by_team(team.team_id)
    if existing and not existing.active:
        uow.workspaces.set_active(existing.id, True, now)
        uow.targets.resume_workspace(existing.id, UNINSTALLED)
        return uow.workspaces.get(existing.id)
    if existing:
        return existing
    workspace = uow.workspaces.ensure(team, defaults, now)
    if defaults.stories_channel:
        uow.workspaces.update(workspace.id, stories_channel=defaults.stories_channel)
    for kind, channel in (
        (PostKind.PRINCIPLE, defaults.principle_channel),
        (PostKind.DIGEST, defaults.digest_channel),
    ):
        if channel and kind not in uow.targets.for_workspace(workspace.id):
            _upsert_target(uow, workspace, kind, now, channel_id=channel)
    return uow.workspaces.get(workspace.id)


def require_manager(
    person: Person | None,
    user_id: str,
    workspace: Workspace,
    *,
    configured: tuple[str, ...],
    group_members: list[str],
) -> None:
    if not is_manager(user_id, person, configured=configured, group_members=group_members):
        raise NotAManager()


@dataclass(frozen=True, slots=True)
class SettingChanged:
    key: str
    value: str  # as shown back to the user


KEYS = (
    "stories-channel",
    "principle-channel",
    "principle-time",
    "principle-days",
    "digest-channel",
    "digest-day",
    "digest-time",
    "leaderboard-channel",
    "timezone",
    "language",
    "allowance",
    "leaderboard",
    "applause-emoji",
    "kudos-emoji",
    "managers",
)


def change_setting(
    uow: UnitOfWork, workspace: Workspace, key: str, value: str, *, by: str, now: datetime
) -> SettingChanged:
    """Apply `/bravo set <key> <value>`; raises InvalidSetting with what a good value is."""
    value = value.strip()
    if key not in KEYS:
        raise UnknownSetting(setting=key, keys=", ".join(KEYS))
    if key.endswith("-channel"):
        changed = _set_channel(uow, workspace, key, value, now)
    elif key in ("principle-time", "digest-time", "principle-days", "digest-day"):
        changed = _set_schedule(uow, workspace, key, value, now)
    elif key in ("applause-emoji", "kudos-emoji"):
        changed = _set_emoji(uow, workspace, key, value)
    else:
        column, stored, shown = _simple(key, value)
        uow.workspaces.update(workspace.id, **{column: stored})
        if key == "timezone":
            _reschedule_all(uow, uow.workspaces.get(workspace.id), now)
        changed = SettingChanged(key, shown)
    uow.workspaces.update(workspace.id, admin_user_id=by)
    return changed


def _simple(key: str, value: str) -> tuple[str, object, str]:
    if key == "timezone":
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidSetting(setting=key, reason="settings.hint.timezone") from None
        return "timezone", value, value
    if key == "language":
        if value.lower() not in LANGUAGES:
            raise InvalidSetting(setting=key, reason="settings.hint.language")
        return "language", value.lower(), value.lower()
    if key == "allowance":
        low, high = ALLOWANCE_RANGE
        if not value.isdigit() or not low <= int(value) <= high:
            raise InvalidSetting(setting=key, reason="settings.hint.allowance")
        return "allowance", int(value), value
    if key == "leaderboard":
        if value.lower() not in ("everyone", "managers"):
            raise InvalidSetting(setting=key, reason="settings.hint.leaderboard")
        return "leaderboard_visibility", value.lower(), value.lower()
    match = _GROUP.match(value)  # managers
    if not match:
        raise InvalidSetting(setting=key, reason="settings.hint.group")
    return "manager_group", match.group(1), f"<!subteam^{match.group(1)}>"


def _set_emoji(uow: UnitOfWork, workspace: Workspace, key: str, value: str) -> SettingChanged:
    """The applause or kudos emoji (`off` stops thanking by reaction). They must differ: one
    reaction cannot both applaud a Bravo post and join in on it."""
    kudos = key == "kudos-emoji"
    if kudos and value.lower() in ("off", "none", "uit"):
        uow.workspaces.update(workspace.id, kudos_emoji=None)
        return SettingChanged(key, "off")
    match = _EMOJI.match(value.lower())
    if not match:
        hint = "settings.hint.kudos_emoji" if kudos else "settings.hint.emoji"
        raise InvalidSetting(setting=key, reason=hint)
    name = match.group(1)
    if name == (workspace.applause_emoji if kudos else workspace.kudos_emoji):
        raise InvalidSetting(setting=key, reason="settings.hint.emoji_clash")
    uow.workspaces.update(workspace.id, **{"kudos_emoji" if kudos else "applause_emoji": name})
    return SettingChanged(key, f":{name}:")


def _set_channel(
    uow: UnitOfWork, workspace: Workspace, key: str, value: str, now: datetime
) -> SettingChanged:
    off = value.lower() in ("off", "none", "uit")
    match = _CHANNEL.match(value)
    if not (match or off):
        raise InvalidSetting(setting=key, reason="settings.hint.channel")
    channel = match.group(1) if match else None
    if key == "stories-channel":
        uow.workspaces.update(workspace.id, stories_channel=channel)
    else:
        kind = PostKind(key.removesuffix("-channel"))
        _upsert_target(uow, workspace, kind, now, channel_id=channel)
    return SettingChanged(key, f"<#{channel}>" if channel else "off")


def _set_schedule(
    uow: UnitOfWork, workspace: Workspace, key: str, value: str, now: datetime
) -> SettingChanged:
    kind = PostKind.PRINCIPLE if key.startswith("principle") else PostKind.DIGEST
    if key.endswith("-time"):
        parsed = parse_time(value)
        if parsed is None:
            raise InvalidSetting(setting=key, reason="settings.hint.time")
        _upsert_target(uow, workspace, kind, now, local_time=format_time(parsed))
        return SettingChanged(key, format_time(parsed))
    days = parse_days(value)
    if days is None or (key == "digest-day" and (len(days) != 1 or value.lower()[:3] not in _DAY)):
        raise InvalidSetting(
            setting=key,
            reason="settings.hint.days" if key.endswith("days") else "settings.hint.day",
        )
    _upsert_target(uow, workspace, kind, now, days=format_days(days))
    return SettingChanged(key, format_days(days))


def _upsert_target(
    uow: UnitOfWork, workspace: Workspace, kind: PostKind, now: datetime, **changes: str | None
) -> None:
    """Create or change a target; a target without a channel is switched off."""
    current = uow.targets.for_workspace(workspace.id).get(kind)
    default_time, default_days = DEFAULTS[kind]
    channel = changes.get("channel_id", current.channel_id if current else None)
    if "channel_id" in changes and changes["channel_id"] is None:
        channel = current.channel_id if current else None
        enabled = False
    else:
        enabled = channel is not None
    local_time = changes.get("local_time") or (current.local_time if current else default_time)
    days = changes.get("days") or (current.days if current else default_days)
    schedule = schedule_of(local_time, days, workspace.timezone)
    uow.targets.upsert(
        workspace.id,
        kind,
        channel_id=channel or "",
        local_time=local_time,
        days=days,
        enabled=enabled,
        next_run_at=next_run(now, schedule, kind=kind) if enabled else None,
    )


def _reschedule_all(uow: UnitOfWork, workspace: Workspace, now: datetime) -> None:
    updates = []
    for kind, target in uow.targets.for_workspace(workspace.id).items():
        if target.enabled:
            schedule = schedule_of(target.local_time, target.days, workspace.timezone)
            updates.append((target.id, next_run(now, schedule, kind=kind)))
    uow.targets.set_next_runs(updates)


def language_of(team_id: str | None, *, uow: UnitOfWork, defaults: WorkspaceDefaults) -> str:
    """The workspace's language, or the default for a workspace Bravo has not seen yet."""
    if team_id:
        with uow as tx:
            workspace = tx.workspaces.by_team(team_id)
        if workspace:
            return workspace.language
    return defaults.language or LANGUAGES[0]


def count_installed(*, uow: UnitOfWork) -> int:
    """How many installations Bravo holds (OAuth mode), as `bravo check` reports it."""
    with uow:
        return uow.installations.count()
