"""What each scheduled post says: daily principle, weekly digest, monthly leaderboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.domain.model import PeriodStats, TaggedRecognition, TopStory, Workspace
from bot.domain.periods import previous_month, resolve
from bot.domain.ports import UnitOfWork
from bot.domain.principles import Principle, library, next_in_rotation
from bot.domain.schedule import PostKind, local_date

LIVED_WINDOW = timedelta(days=30)
LIVED_ROTATION = 5  # people featured under the last 5 principle posts are picked last
SPOTLIGHT_SIZE = 5
SPOTLIGHT_ROTATION = 4  # people featured in the last 4 digests come last
TOP_STORIES = 3


@dataclass(frozen=True, slots=True)
class PrinciplePost:
    principle: Principle
    lived: TaggedRecognition | None
    language: str

    @property
    def featured(self) -> tuple[str, ...]:
        return (self.lived.recipient,) if self.lived else ()


@dataclass(frozen=True, slots=True)
class DigestPost:
    start: date
    end: date
    stats: PeriodStats
    spotlight: tuple[tuple[str, int], ...]
    language: str
    stories: int = 0
    top_stories: tuple[TopStory, ...] = ()
    applause_emoji: str = "clap"

    @property
    def featured(self) -> tuple[str, ...]:
        return tuple(user for user, _ in self.spotlight)

    @property
    def empty(self) -> bool:
        return self.stats.recognitions == 0 and self.stories == 0

    @property
    def needs_nudge(self) -> bool:
        """Most thanks were for fixing problems: ask who made a customer's day without one."""
        return self.stats.recovery * 2 > self.stats.recognitions


@dataclass(frozen=True, slots=True)
class LeaderboardPost:
    month: date
    stats: PeriodStats
    top: tuple[tuple[str, int], ...]
    language: str

    @property
    def featured(self) -> tuple[str, ...]:
        return ()


Post = PrinciplePost | DigestPost | LeaderboardPost


def prepare(
    uow: UnitOfWork, kind: PostKind, workspace: Workspace, channel_id: str, now: datetime
) -> Post | None:
    """The content of one scheduled post, as of `now`; None when there is nothing to post."""
    if kind is PostKind.PRINCIPLE:
        return prepare_principle(uow, workspace, channel_id, now)
    if kind is PostKind.DIGEST:
        return prepare_digest(uow, workspace, now)
    return prepare_leaderboard(uow, workspace, now)


def prepare_principle(
    uow: UnitOfWork, workspace: Workspace, channel_id: str, now: datetime
) -> PrinciplePost | None:
    principles = library(uow, workspace.id, workspace.language)
    posted = uow.posts.last_posted(workspace.id, channel_id, PostKind.PRINCIPLE)
    principle = next_in_rotation(principles, posted)
    if principle is None:
        return None
    recent = uow.insights.tagged_recently(workspace.id, principle.slug, now - LIVED_WINDOW)
    featured = set().union(
        *uow.posts.recently_featured(workspace.id, PostKind.PRINCIPLE, LIVED_ROTATION)
    )
    fresh = [r for r in recent if r.recipient not in featured]
    lived = (fresh or recent or [None])[0]
    return PrinciplePost(principle, lived, workspace.language)


def prepare_digest(uow: UnitOfWork, workspace: Workspace, now: datetime) -> DigestPost:
    """The ISO week so far (Monday 00:00 local until now)."""
    week = resolve("week", now=now, tz=workspace.timezone)
    start = week.start
    stats = uow.insights.period_stats(workspace.id, start, now)
    recent = uow.posts.recently_featured(workspace.id, PostKind.DIGEST, SPOTLIGHT_ROTATION)
    featured = set().union(*recent) if recent else set()
    ranked = sorted(stats.by_recipient, key=lambda item: (item[0] in featured, -item[1], item[0]))
    return DigestPost(
        week.first_day,
        local_date(now, workspace.timezone),
        stats,
        tuple(ranked[:SPOTLIGHT_SIZE]),
        workspace.language,
        stories=uow.stories.stories_count(workspace.id, start, now),
        top_stories=tuple(uow.stories.top_stories(workspace.id, start, now, TOP_STORIES)),
        applause_emoji=workspace.applause_emoji,
    )


def todays_principle(uow: UnitOfWork, workspace: Workspace, now: datetime) -> Principle | None:
    """The principle posted today in the workspace's principle channel, else the one next in
    its rotation (so App Home and the channel agree)."""
    principles = library(uow, workspace.id, workspace.language)
    today = local_date(now, workspace.timezone).isoformat()
    posted = uow.posts.subject_for(workspace.id, PostKind.PRINCIPLE, today)
    by_slug = {p.slug: p for p in principles}
    if posted in by_slug:
        return by_slug[posted]
    target = uow.targets.for_workspace(workspace.id).get(PostKind.PRINCIPLE)
    history = (
        uow.posts.last_posted(workspace.id, target.channel_id, PostKind.PRINCIPLE)
        if target and target.channel_id
        else {}
    )
    return next_in_rotation(principles, history)


def prepare_leaderboard(uow: UnitOfWork, workspace: Workspace, now: datetime) -> LeaderboardPost:
    """Last calendar month, in the workspace's time zone."""
    month = previous_month(now=now, tz=workspace.timezone)
    stats = uow.insights.period_stats(workspace.id, month.start, month.end)
    return LeaderboardPost(month.first_day, stats, stats.by_recipient[:10], workspace.language)
