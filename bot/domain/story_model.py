"""Domain types for stories, applause and the App Home: what storage returns and views show.

Kept apart from the services so that storage can import them without importing the services
(which import the unit of work, which imports storage).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.model import Kind, KindDecision, TeamRef


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
    received: int = 0
    received_success: int = 0
    received_recovery: int = 0
    given: int = 0
    stories: int = 0


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
