"""`/bravo` services: settings and the principle library, for admins and managers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.clock import Clock
from bot.domain.errors import BravoError
from bot.domain.model import Target, TeamRef, Workspace, WorkspaceDefaults
from bot.domain.people import resolve_people
from bot.domain.ports import Directory, UnitOfWork
from bot.domain.principles import Principle, add_principle, library, switch_principle
from bot.domain.schedule import PostKind
from bot.domain.workspaces import SettingChanged, change_setting, ensure_workspace, require_manager


@dataclass(frozen=True)
class Admin:
    """Who is asking, and what the service needs to check they may."""

    team: TeamRef
    user: str
    directory: Directory
    defaults: WorkspaceDefaults
    managers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Snapshot:
    workspace: Workspace
    targets: dict[PostKind, Target]


def _authorised(uow: UnitOfWork, who: Admin, now: datetime) -> Workspace:
    workspace = ensure_workspace(uow, who.team, who.defaults, now)
    person = resolve_people(uow, workspace.id, [who.user], directory=who.directory, now=now)
    group = (
        (who.directory.group_members(workspace.manager_group) or [])
        if workspace.manager_group
        else []
    )
    require_manager(
        person.get(who.user), who.user, workspace, configured=who.managers, group_members=group
    )
    return workspace


def set_setting(
    who: Admin, key: str, value: str, *, uow: UnitOfWork, clock: Clock
) -> tuple[SettingChanged, str]:
    """`/bravo set <key> <value>`; returns what changed and the (possibly new) language."""
    now = clock.now()
    with uow:
        workspace = _authorised(uow, who, now)
        changed = change_setting(uow, workspace, key, value, by=who.user, now=now)
        uow.commit()
        language = uow.workspaces.get(workspace.id).language
    return changed, language


@dataclass(frozen=True, slots=True)
class SettingsApplied:
    changed: tuple[SettingChanged, ...]
    language: str


class SettingsRejected(BravoError):
    """Some fields of the settings modal were wrong: `errors` maps setting key to the error."""

    key = "settings.error.modal"

    def __init__(self, errors: dict[str, BravoError]) -> None:
        super().__init__()
        self.errors = errors


def apply_settings(
    who: Admin, values: dict[str, str], *, uow: UnitOfWork, clock: Clock
) -> SettingsApplied:
    """The settings modal: every changed value applied in one transaction, or none of them."""
    now = clock.now()
    with uow:
        workspace = _authorised(uow, who, now)
        changed, errors = [], {}
        for key, value in values.items():
            try:
                changed.append(change_setting(uow, workspace, key, value, by=who.user, now=now))
            except BravoError as error:
                errors[key] = error
        if errors:
            raise SettingsRejected(errors)
        uow.commit()
        language = uow.workspaces.get(workspace.id).language
    return SettingsApplied(tuple(changed), language)


def snapshot(who: Admin, *, uow: UnitOfWork, clock: Clock) -> Snapshot:
    """Current settings, for the settings modal (managers only)."""
    now = clock.now()
    with uow:
        workspace = _authorised(uow, who, now)
        targets = uow.targets.for_workspace(workspace.id)
        uow.commit()
    return Snapshot(workspace, targets)


def principles(
    team: TeamRef, defaults: WorkspaceDefaults, *, uow: UnitOfWork, clock: Clock
) -> tuple[str, list[Principle]]:
    """The library as this workspace has it (switched-off ones included, marked)."""
    with uow:
        workspace = ensure_workspace(uow, team, defaults, clock.now())
        found = library(uow, workspace.id, workspace.language, include_off=True)
        uow.commit()
    return workspace.language, found


def add_own_principle(
    who: Admin, title: str, explanation: str, *, uow: UnitOfWork, clock: Clock
) -> tuple[str, str]:
    """Returns the new principle's slug and the workspace language."""
    now = clock.now()
    with uow:
        workspace = _authorised(uow, who, now)
        slug = add_principle(uow, workspace.id, title, explanation, by=who.user, now=now)
        uow.commit()
    return slug, workspace.language


def switch_library_principle(
    who: Admin, slug: str, on: bool, *, uow: UnitOfWork, clock: Clock
) -> str:
    now = clock.now()
    with uow:
        workspace = _authorised(uow, who, now)
        switch_principle(uow, workspace.id, slug, on, by=who.user, now=now)
        uow.commit()
    return workspace.language
