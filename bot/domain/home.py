"""The App Home (SPEC 2.5) and Bravo introducing itself in a channel it was added to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.clock import Clock
from bot.domain.managers import is_manager
from bot.domain.model import PersonStats, Received, TeamRef, TeamStats, Workspace, WorkspaceDefaults
from bot.domain.people import resolve_people
from bot.domain.periods import resolve
from bot.domain.ports import Directory, UnitOfWork
from bot.domain.posts import todays_principle
from bot.domain.principles import Principle
from bot.domain.workspaces import ensure_workspace

RECENT = 5


@dataclass(frozen=True, slots=True)
class HomePage:
    user: str
    language: str
    month: PersonStats
    all_time: PersonStats
    recent: tuple[Received, ...]
    principle: Principle | None
    applause_emoji: str
    team: TeamStats | None = None  # only for managers


def local_month_bounds(at: datetime, tz: str) -> tuple[datetime, datetime]:
    """The instants the local calendar month containing `at` starts and ends, in `tz`."""
    window = resolve("month", now=at, tz=tz)
    return window.start, window.end


def home_page(
    team: TeamRef,
    user: str,
    *,
    uow: UnitOfWork,
    clock: Clock,
    directory: Directory,
    defaults: WorkspaceDefaults,
    managers: tuple[str, ...] = (),
) -> HomePage:
    """Everything the App Home shows to `user`; managers also get the team's month."""
    now = clock.now()
    with uow:
        workspace = ensure_workspace(uow, team, defaults, now)
        start, end = local_month_bounds(now, workspace.timezone)
        person = resolve_people(uow, workspace.id, [user], directory=directory, now=now)[user]
        group = directory.group_members(workspace.manager_group) if workspace.manager_group else []
        manager = is_manager(user, person, configured=managers, group_members=group or [])
        page = HomePage(
            user=user,
            language=workspace.language,
            month=uow.home.person(workspace.id, user, start, end),
            all_time=uow.home.person(workspace.id, user, None, end),
            recent=tuple(uow.home.received(workspace.id, user, RECENT)),
            principle=todays_principle(uow, workspace, now),
            applause_emoji=workspace.applause_emoji,
            team=uow.home.team(workspace.id, start, end) if manager else None,
        )
        uow.commit()  # the member cache
    return page


def bot_joined(
    team: TeamRef,
    event_id: str,
    *,
    uow: UnitOfWork,
    clock: Clock,
    defaults: WorkspaceDefaults,
) -> Workspace | None:
    """Bravo was added to a channel: the workspace to introduce it in, or None for a retry."""
    now = clock.now()
    with uow:
        workspace = ensure_workspace(uow, team, defaults, now)
        if not uow.events.first_delivery(workspace.id, event_id, now):
            return None
        uow.commit()
    return workspace
