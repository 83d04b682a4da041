"""Domain types shared by services, storage and views. Slack-free."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Kind(StrEnum):
    SUCCESS = "success"
    RECOVERY = "recovery"


class KindSource(StrEnum):
    TAG = "tag"  # an explicit #success / #recovery
    CHOICE = "choice"  # picked in a modal or switched with the button
    KEYWORD = "keyword"  # inferred from a word in the reason
    DEFAULT = "default"  # no signal: success


class Source(StrEnum):
    COMMAND = "command"
    MODAL = "modal"
    STORY = "story"


@dataclass(frozen=True, slots=True)
class TeamRef:
    """Which Slack workspace a request belongs to."""

    team_id: str
    enterprise_id: str | None = None


@dataclass(frozen=True, slots=True)
class Workspace:
    id: int
    team_id: str
    enterprise_id: str | None
    timezone: str
    language: str
    allowance: int
    active: bool = True
    stories_channel: str | None = None
    leaderboard_visibility: str = "everyone"  # or "managers"
    applause_emoji: str = "clap"
    manager_group: str | None = None
    admin_user_id: str | None = None


@dataclass(frozen=True, slots=True)
class WorkspaceDefaults:
    """What a workspace starts with when Bravo first sees it (from Settings)."""

    timezone: str = "UTC"
    language: str = "en"
    allowance: int = 5
    stories_channel: str | None = None
    principle_channel: str | None = None
    digest_channel: str | None = None


@dataclass(frozen=True, slots=True)
class Person:
    """A Slack member as Bravo needs to know them (a cache of users.info)."""

    user_id: str
    name: str = ""
    tz: str | None = None
    is_admin: bool = False
    is_owner: bool = False
    is_bot: bool = False
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class KindDecision:
    kind: Kind
    source: KindSource
    keyword: str | None = None


@dataclass(frozen=True, slots=True)
class GiveKudos:
    """A parsed shout-out request, before any rule is applied."""

    team: TeamRef
    giver: str
    user_ids: tuple[str, ...]
    group_ids: tuple[str, ...]
    reason: str
    principles: tuple[str, ...] = ()
    kind: Kind | None = None
    channel_id: str | None = None
    reply_url: str | None = None  # where to announce when the bot cannot post in the channel
    source: Source = Source.COMMAND


@dataclass(frozen=True, slots=True)
class KudosGiven:
    shoutout_id: int
    giver: str
    recipients: tuple[str, ...]
    kind: KindDecision
    principles: tuple[str, ...]
    dropped_self: bool
    allowance: int
    remaining: int
    language: str
    outbox_ids: tuple[int, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class ShoutoutCard:
    """What an announcement or a DM about one shout-out shows."""

    id: int
    giver: str
    recipients: tuple[str, ...]
    reason: str
    kind: Kind
    principles: tuple[str, ...]
    created_at: datetime
    language: str
    channel_id: str | None = None


class OutboxTopic(StrEnum):
    KUDOS_ANNOUNCEMENT = "kudos.announcement"
    KUDOS_DM = "kudos.dm"
    STORY_CARD = "story.card"
    STORY_DM = "story.dm"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # a definite refusal; retried until attempts run out
    UNKNOWN = "unknown"  # the outcome is not known (timeout): never re-sent blindly
    DEAD = "dead"  # gave up


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    id: int
    workspace_id: int
    topic: OutboxTopic
    channel_id: str
    shoutout_id: int | None
    reply_url: str | None
    attempts: int
    story_id: int | None = None
