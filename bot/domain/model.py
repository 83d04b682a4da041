"""Domain types shared by services, storage and views. Slack-free."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.domain.schedule import PostKind


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
    MENTION = "mention"  # `@Bravo @ana thanks for ...` in a message
    REACTION = "reaction"  # the kudos emoji on a teammate's message
    JOIN = "join"  # the kudos emoji or "+1 Thanks too" on a Bravo announcement


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
    kudos_emoji: str | None = "raised_hands"  # None: thanking by reaction is off


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
    # What Slack sends again when it redelivers or the user submits twice (`trigger:<id>`,
    # `view:<id>`): one shout-out per key.
    request_key: str | None = None
    thread_ts: str | None = None  # announce as a reply in this thread (a mention's)
    event_id: str | None = None  # the Events API delivery it came from: handled once


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
    replayed: bool = False  # the request was already recorded: nothing new was stored


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
    also: tuple[str, ...] = ()  # people who joined in ("Also thanked by ...")


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
    CANCELLED = "cancelled"  # its recipient was forgotten (`/bravo forget`)


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
    thread_ts: str | None = None  # posted as a reply in this thread


@dataclass(frozen=True, slots=True)
class StoryDraft:
    """A submitted story modal, before any rule is applied."""

    team: TeamRef
    author: str
    view_id: str
    title: str
    body: str
    customer: str = ""
    teammates: tuple[str, ...] = ()
    principles: tuple[str, ...] = ()
    kind: Kind | None = None
    channel_id: str | None = None  # chosen in the modal
    origin_channel: str | None = None  # where /story or the shortcut was used
    source_permalink: str | None = None  # the message it was saved from
    reply_url: str | None = None  # Slack's response_url for the chosen channel


@dataclass(frozen=True, slots=True)
class StoryShared:
    """What became of a submitted story."""

    story_id: int
    author: str
    teammates: tuple[str, ...]
    kind: Kind
    channel_id: str | None
    language: str
    dropped_self: bool = False
    no_stories_channel: bool = False  # shared where the command was used: say so
    duplicate: bool = False  # the same modal was submitted before: nothing new was stored
    outbox_ids: tuple[int, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class StoryCard:
    """What a story card, a teammate's DM and a digest line show about one story."""

    id: int
    author: str
    title: str
    body: str
    kind: Kind
    created_at: datetime
    language: str
    customer: str | None = None
    teammates: tuple[str, ...] = ()
    principles: tuple[str, ...] = ()
    channel_id: str | None = None
    message_channel: str | None = None
    message_ts: str | None = None
    permalink: str | None = None
    source_permalink: str | None = None
    applause: int = 0


@dataclass(frozen=True, slots=True)
class TopStory:
    """A story ranked by applause (for digests): `permalink` is the card's, when known."""

    id: int
    title: str
    author: str
    applause: int
    permalink: str | None
    kind: Kind
    customer: str | None = None


@dataclass(frozen=True, slots=True)
class NewStory:
    """A checked story, ready to store."""

    view_id: str
    author: str
    title: str
    customer: str | None
    body: str
    kind: KindDecision
    principles: tuple[str, ...]
    teammates: tuple[str, ...]
    channel_id: str | None
    source_permalink: str | None


@dataclass(frozen=True, slots=True)
class BravoPost:
    """A message Bravo posted that can be applauded: a story card or a shout-out announcement.

    `owners` are the people it is by or about (author or giver, teammates or recipients): their
    own applause would only promote themselves, so it does not count.
    """

    channel: str
    ts: str
    owners: frozenset[str]
    story_id: int | None = None
    shoutout_id: int | None = None


@dataclass(frozen=True, slots=True)
class PersonStats:
    """What one person received, gave and told, in some period."""

    received: int = 0
    received_success: int = 0
    given: int = 0
    stories: int = 0

    @property
    def received_recovery(self) -> int:
        return self.received - self.received_success


@dataclass(frozen=True, slots=True)
class TeamStats:
    recognitions: int = 0
    success: int = 0
    recovery: int = 0
    shoutouts: int = 0
    stories: int = 0
    people: int = 0  # distinct people recognised
    givers: int = 0  # distinct people who recognised someone


@dataclass(frozen=True, slots=True)
class Received:
    """One recognition someone received, for their App Home."""

    giver: str
    kind: Kind
    text: str  # the shout-out's reason or the story's title
    created_at: datetime
    story: bool = False


# Scheduling: targets and the ledger


@dataclass(frozen=True, slots=True)
class Target:
    id: int
    workspace_id: int
    kind: PostKind
    channel_id: str
    local_time: str
    days: str
    enabled: bool
    paused_reason: str | None
    next_run_at: datetime | None


@dataclass(frozen=True, slots=True)
class DueTarget:
    target: Target
    timezone: str


@dataclass(frozen=True, slots=True)
class Claim:
    """A ledger row this process owns: post it, then record how it went."""

    post_id: int
    workspace_id: int
    channel_id: str
    kind: PostKind
    period: str


# What scheduled posts show


@dataclass(frozen=True, slots=True)
class PeriodStats:
    shoutouts: int
    recognitions: int
    success: int
    recovery: int
    people: int
    first_timers: tuple[str, ...]
    by_recipient: tuple[tuple[str, int], ...]  # most recognised first, then by id


@dataclass(frozen=True, slots=True)
class TaggedRecognition:
    recipient: str
    giver: str
    reason: str
    created_at: datetime


# Principles and exports


@dataclass(frozen=True, slots=True)
class WorkspacePrinciple:
    """A workspace's own principle, or its switch for a built-in one."""

    slug: str
    custom: bool
    enabled: bool
    title: str | None
    explanation: str | None


@dataclass(frozen=True, slots=True)
class ExportRow:
    at: datetime
    giver_id: str
    giver: str
    recipient_id: str
    recipient: str
    kind: str
    principles: tuple[str, ...]
    story: str
    channel_id: str
    reason: str
    source: str = ""  # command, modal, mention, reaction, join or story
