"""Leaderboards and profiles (SPEC 2.3): who may see what, and the services that assemble them.

Slack-free. A listener parses `/leaderboard` into a `LeaderboardRequest`; `show_leaderboard`
decides the viewer's audience (manager, member, or own stats only), resolves the period in the
workspace's time zone and reads the rankings through `uow.leaderboard`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.clock import Clock
from bot.domain.errors import BravoError
from bot.domain.managers import is_manager
from bot.domain.model import Kind, Source, TeamRef, Workspace, WorkspaceDefaults
from bot.domain.people import resolve_people
from bot.domain.periods import Window, resolve, week_starts
from bot.domain.ports import Directory, UnitOfWork
from bot.domain.rankings import Ranking, Slice

MEMBER_TOP = 10  # what everyone sees under the `everyone` visibility
MANAGER_TOP = 100  # what fits a message; the CSV export has everything
AUTHORS_TOP = 5
PROFILE_PRINCIPLES = 5


class UnknownScopeGroup(BravoError):
    key = "board.error.unknown_group"


class ManagersOnly(BravoError):
    key = "board.error.managers_only"


class Audience(StrEnum):
    MANAGER = "manager"  # everything: the full ranking, export and chart
    MEMBER = "member"  # the top 10 and their own rank
    SELF = "self"  # only their own stats (visibility `managers`)


def audience_for(visibility: str, *, manager: bool) -> Audience:
    """SPEC 2.3: managers see everything; others see the top 10, or only their own stats."""
    if manager:
        return Audience.MANAGER
    return Audience.SELF if visibility == "managers" else Audience.MEMBER


@dataclass(frozen=True, slots=True)
class LeaderboardRequest:
    """A parsed `/leaderboard` (or export) request: one scope at most, optional filters."""

    team: TeamRef
    asker: str
    period: str = "month"
    channel: str | None = None
    group: str | None = None
    person: str | None = None
    principle: str | None = None
    kind: Kind | None = None
    source: Source | None = None


@dataclass(frozen=True, slots=True)
class Balance:
    success: int
    recovery: int

    @property
    def total(self) -> int:
        return self.success + self.recovery

    @property
    def success_percent(self) -> int:
        return round(100 * self.success / self.total) if self.total else 0

    @property
    def recovery_heavy(self) -> bool:
        """Most thanks were for fixing problems: the nudge of the seed articles."""
        return self.recovery * 2 > self.total


@dataclass(frozen=True, slots=True)
class Leaderboard:
    language: str
    timezone: str
    window: Window
    request: LeaderboardRequest
    audience: Audience
    recipients: Ranking
    givers: Ranking
    authors: Ranking

    @property
    def balance(self) -> Balance:
        return Balance(self.recipients.success, self.recipients.total - self.recipients.success)


@dataclass(frozen=True, slots=True)
class Week:
    start: date  # the local Monday
    success: int
    recovery: int


@dataclass(frozen=True, slots=True)
class Profile:
    language: str
    window: Window
    user_id: str
    is_self: bool
    received: Balance
    given: int
    stories: int
    principles: tuple[tuple[str, int], ...]
    trend: tuple[Week, ...]
    place: int | None = None  # None when not ranked, or when the viewer may not see rankings
    people: int = 0
    shows_rank: bool = False  # the viewer may see rankings
    only_own: bool = False  # asked for someone else's stats but may see only their own


@dataclass(frozen=True, slots=True)
class Viewer:
    workspace: Workspace
    user_id: str
    audience: Audience

    @property
    def manager(self) -> bool:
        return self.audience is Audience.MANAGER


def identify(
    uow: UnitOfWork,
    team: TeamRef,
    user_id: str,
    *,
    directory: Directory,
    managers: Collection[str],
    defaults: WorkspaceDefaults,
    now: datetime,
) -> Viewer:
    """The workspace and what `user_id` may see in it (inside an open unit of work)."""
    workspace = uow.workspaces.ensure(team, defaults, now)
    person = resolve_people(uow, workspace.id, [user_id], directory=directory, now=now)[user_id]
    manager = is_manager(user_id, person, configured=managers)
    if not manager and workspace.manager_group:
        group = directory.group_members(workspace.manager_group) or ()
        manager = is_manager(user_id, person, configured=managers, group_members=group)
    return Viewer(
        workspace, user_id, audience_for(workspace.leaderboard_visibility, manager=manager)
    )


def slice_for(request: LeaderboardRequest, window: Window, directory: Directory) -> Slice:
    members = None
    if request.group:
        found = directory.group_members(request.group)
        if found is None:
            raise UnknownScopeGroup(group=request.group)
        members = tuple(dict.fromkeys(found))
    return Slice(
        start=window.start,
        end=window.end,
        channel=request.channel,
        members=members,
        principle=request.principle,
        kind=request.kind,
        source=request.source,
    )


def show_leaderboard(
    request: LeaderboardRequest,
    *,
    uow: UnitOfWork,
    clock: Clock,
    directory: Directory,
    managers: Collection[str] = (),
    defaults: WorkspaceDefaults = WorkspaceDefaults(),
) -> Leaderboard | Profile:
    """The leaderboard the asker may see, or a profile (`<@U..>`, or own stats only)."""
    now = clock.now()
    with uow:
        viewer = identify(
            uow, request.team, request.asker, directory=directory, managers=managers,
            defaults=defaults, now=now,
        )  # fmt: skip
        window = resolve(request.period, now=now, tz=viewer.workspace.timezone)
        where = slice_for(request, window, directory)
        if request.person or viewer.audience is Audience.SELF:
            profile = _profile(uow, viewer, request.person or request.asker, window, where, now)
            uow.commit()
            return profile
        top = MANAGER_TOP if viewer.manager else MEMBER_TOP
        workspace_id = viewer.workspace.id
        recipients, givers = uow.leaderboard.board(
            workspace_id, where, limit=top, asker=request.asker
        )
        board = Leaderboard(
            language=viewer.workspace.language,
            timezone=viewer.workspace.timezone,
            window=window,
            request=request,
            audience=viewer.audience,
            recipients=recipients,
            givers=givers,
            authors=uow.leaderboard.authors(
                workspace_id, where, limit=AUTHORS_TOP, asker=request.asker
            ),
        )
        uow.commit()  # the asker's users.info was cached
    return board


def build_profile(
    team: TeamRef,
    asker: str,
    *,
    uow: UnitOfWork,
    clock: Clock,
    directory: Directory,
    managers: Collection[str] = (),
    defaults: WorkspaceDefaults = WorkspaceDefaults(),
    subject: str | None = None,
    period: str = "all",
) -> Profile:
    """A person's stats (`/bravo me`: the asker's own, all time by default)."""
    request = LeaderboardRequest(team=team, asker=asker, period=period, person=subject or asker)
    now = clock.now()
    with uow:
        viewer = identify(
            uow, team, asker, directory=directory, managers=managers, defaults=defaults, now=now
        )
        window = resolve(period, now=now, tz=viewer.workspace.timezone)
        profile = _profile(
            uow, viewer, request.person, window, slice_for(request, window, directory), now
        )
        uow.commit()
    return profile


def _profile(
    uow: UnitOfWork, viewer: Viewer, subject: str, window: Window, where: Slice, now: datetime
) -> Profile:
    only_own = viewer.audience is Audience.SELF and subject != viewer.user_id
    if only_own:
        subject = viewer.user_id
    workspace = viewer.workspace
    # A user-group scope ranks its members; a profile is about one person whatever the group.
    where = replace(where, members=None)
    stats = uow.leaderboard.person(workspace.id, subject, where)
    bounds = week_starts(now=now, tz=workspace.timezone)
    weeks = uow.leaderboard.weekly(
        workspace.id, replace(where, start=None, end=None), bounds, subject
    )
    place, people = None, 0
    if viewer.audience is not Audience.SELF:
        ranking = uow.leaderboard.recipients(workspace.id, where, limit=0, asker=subject)
        place = ranking.mine.place if ranking.mine else None
        people = ranking.people
    local = [b.astimezone(ZoneInfo(workspace.timezone)).date() for b in bounds[:-1]]
    return Profile(
        language=workspace.language,
        window=window,
        user_id=subject,
        is_self=subject == viewer.user_id,
        received=Balance(stats.received_success, stats.received - stats.received_success),
        given=stats.given,
        stories=stats.stories,
        principles=uow.leaderboard.principles(workspace.id, subject, where, PROFILE_PRINCIPLES),
        trend=tuple(Week(d, s, r) for d, (s, r) in zip(local, weeks, strict=True)),
        place=place,
        people=people,
        shows_rank=viewer.audience is not Audience.SELF,
        only_own=only_own,
    )
