"""What the domain needs from the outside world, as protocols: Slack's directory, and a unit of
work whose repositories speak domain types. `storage` implements the unit of work; the domain
never imports it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Protocol, Self, TypeVar

from bot.domain.model import (
    BravoPost,
    Claim,
    DueTarget,
    ExportRow,
    KindDecision,
    NewStory,
    OutboxMessage,
    OutboxStatus,
    OutboxTopic,
    PeriodStats,
    Person,
    PersonStats,
    Received,
    ShoutoutCard,
    Source,
    StoryCard,
    TaggedRecognition,
    Target,
    TeamRef,
    TeamStats,
    TopStory,
    Workspace,
    WorkspaceDefaults,
    WorkspacePrinciple,
)
from bot.domain.personal import Erasure, Footprint, PersonalRecords
from bot.domain.rankings import Ranking, Slice
from bot.domain.schedule import PostKind
from bot.domain.tokens import Install

# (topic, channel, shout-out id, story id, reply url[, thread ts]): one message to queue.
QueuedMessage = (
    tuple[OutboxTopic, str, int | None, int | None, str | None]
    | tuple[OutboxTopic, str, int | None, int | None, str | None, str | None]
)
# (workspace id, channel, kind, period): one ledger row to claim.
WantedPost = tuple[int, str, PostKind, str]
T = TypeVar("T")  # what a unit of work's `run_serialized` gives back


class Directory(Protocol):
    """Who is who in the workspace (Slack's users.info and usergroups.users.list)."""

    def person(self, user_id: str) -> Person | None:
        """The person, or None when Slack does not know the id."""

    def group_members(self, group_id: str) -> list[str] | None:
        """User ids in a user group, or None when the group does not exist."""

    def everyone(self) -> Iterator[Person]:
        """Every member of the workspace (users.list, page by page)."""


class WorkspaceRepository(Protocol):
    def ensure(self, team: TeamRef, defaults: WorkspaceDefaults, now: datetime) -> Workspace: ...
    def by_team(self, team_id: str) -> Workspace | None: ...
    def get(self, workspace_id: int) -> Workspace: ...
    def active(
        self, team_id: str | None = None, *, unsynced: str | None = None
    ) -> list[Workspace]: ...
    def update(self, workspace_id: int, **values: object) -> None: ...
    def set_active(self, workspace_id: int, active: bool, now: datetime) -> None: ...


class MemberRepository(Protocol):
    def get_many(
        self, workspace_id: int, user_ids: Iterable[str]
    ) -> dict[str, tuple[Person, datetime]]: ...
    def upsert(self, workspace_id: int, people: Sequence[Person], now: datetime) -> None: ...
    def lock(self, workspace_id: int, user_id: str) -> None: ...


class RecognitionRepository(Protocol):
    def add_shoutout(
        self,
        workspace_id: int,
        *,
        giver: str,
        recipients: Sequence[str],
        reason: str,
        kind: KindDecision,
        principles: Sequence[str],
        source: Source,
        channel_id: str | None,
        now: datetime,
        request_key: str | None = None,
    ) -> int | None:
        """The new shout-out's id; None when one with `request_key` is already stored."""

    def shoutout_for_request(self, workspace_id: int, request_key: str) -> int | None: ...
    def count_given_since(self, workspace_id: int, giver: str, since: datetime) -> int: ...
    def card(self, shoutout_id: int) -> ShoutoutCard: ...
    def shoutout_owner(self, workspace_id: int, shoutout_id: int) -> str | None: ...
    def set_kind(self, shoutout_id: int, kind: KindDecision) -> None: ...
    def set_message(self, shoutout_id: int, channel: str, ts: str) -> None: ...


class EventRepository(Protocol):
    def first_delivery(self, workspace_id: int, event_id: str, now: datetime) -> bool: ...
    def first_within(self, workspace_id: int, key: str, at: datetime, window: timedelta) -> bool:
        """Record `key` at `at`; False when it was recorded less than `window` before."""


class OutboxRepository(Protocol):
    def add(
        self,
        workspace_id: int,
        topic: OutboxTopic,
        channel_id: str,
        now: datetime,
        *,
        shoutout_id: int | None = None,
        story_id: int | None = None,
        reply_url: str | None = None,
    ) -> int: ...
    def add_many(
        self, messages: Sequence[QueuedMessage], workspace_id: int, now: datetime
    ) -> list[int]: ...
    def claim(self, message_id: int, now: datetime) -> OutboxMessage | None: ...
    def claim_many(self, message_ids: Sequence[int], now: datetime) -> list[OutboxMessage]: ...
    def claim_due(self, now: datetime, limit: int) -> list[OutboxMessage]: ...
    def stale(self, before: datetime, limit: int = 100) -> list[tuple[int, datetime | None]]: ...
    def reclaim(
        self, message_id: int, seen: datetime | None, now: datetime
    ) -> tuple[OutboxMessage, datetime, str | None] | None: ...
    def note(self, message_id: int, error: str) -> None: ...
    def finish(
        self,
        message_id: int,
        status: OutboxStatus,
        now: datetime,
        *,
        ts: str | None = None,
        error: str | None = None,
        retry_at: datetime | None = None,
        counted: bool = True,
    ) -> None: ...
    def finish_many(self, finished: Sequence[tuple], now: datetime) -> None: ...
    def cards(self, shoutout_ids: Sequence[int]) -> dict[int, ShoutoutCard]: ...
    def announced(self, placed: Sequence[tuple[int, str, str]]) -> None: ...
    def due(self, now: datetime, limit: int = 100) -> list[int]: ...


class TargetRepository(Protocol):
    def for_workspace(self, workspace_id: int) -> dict[PostKind, Target]: ...
    def upsert(
        self,
        workspace_id: int,
        kind: PostKind,
        *,
        channel_id: str,
        local_time: str,
        days: str,
        enabled: bool,
        next_run_at: datetime | None,
    ) -> None: ...
    def set_next_runs(self, next_runs: Sequence[tuple[int, datetime | None]]) -> None: ...
    def pause(self, workspace_id: int, channel_id: str, kind: PostKind, reason: str) -> None: ...
    def due(self, now: datetime, limit: int) -> list[DueTarget]: ...
    def of_kind(self, kind: PostKind, team_id: str | None = None) -> list[tuple[Target, str]]: ...
    def pause_workspace(self, workspace_id: int, reason: str) -> None: ...
    def resume_workspace(self, workspace_id: int, reason: str) -> None: ...


class PostRepository(Protocol):
    """The ledger of scheduled posts: one row per (channel, kind, period)."""

    def claim_many(self, wanted: Sequence[WantedPost], now: datetime) -> list[Claim]: ...
    def reclaim_failed(
        self, since: datetime, before: datetime, limit: int = 100
    ) -> list[Claim]: ...
    def record_skip(
        self, workspace_id: int, channel_id: str, kind: PostKind, period: str, now: datetime
    ) -> None: ...
    def unknown(
        self, before: datetime, since: datetime, limit: int = 100
    ) -> list[tuple[int, datetime | None]]: ...
    def reclaim_unknown(
        self, post_id: int, seen: datetime | None, now: datetime
    ) -> tuple[Claim, datetime] | None: ...
    def settle(
        self,
        post_id: int,
        status: str,
        now: datetime,
        *,
        ts: str | None = None,
        error: str | None = None,
    ) -> None: ...
    def finish(
        self,
        post_id: int,
        status: str,
        now: datetime,
        *,
        ts: str | None = None,
        error: str | None = None,
        subject: str | None = None,
        featured: Sequence[str] = (),
    ) -> None: ...
    def last_posted(
        self, workspace_id: int, channel_id: str, kind: PostKind
    ) -> dict[str, datetime]: ...
    def subject_for(self, workspace_id: int, kind: PostKind, period: str) -> str | None: ...
    def recently_featured(
        self, workspace_id: int, kind: PostKind, posts: int
    ) -> list[set[str]]: ...


class PrincipleRepository(Protocol):
    def switches(self, team_id: str) -> dict[str, bool]: ...
    def for_workspace(self, workspace_id: int) -> dict[str, WorkspacePrinciple]: ...
    def add_custom(
        self, workspace_id: int, slug: str, title: str, explanation: str, *, by: str, now: datetime
    ) -> bool: ...
    def set_enabled(
        self, workspace_id: int, slug: str, enabled: bool, *, by: str, now: datetime
    ) -> None: ...


class InsightsRepository(Protocol):
    def period_stats(self, workspace_id: int, start: datetime, end: datetime) -> PeriodStats: ...
    def tagged_recently(
        self, workspace_id: int, principle: str, since: datetime, limit: int = 20
    ) -> list[TaggedRecognition]: ...


class LeaderboardRepository(Protocol):
    def board(
        self, workspace_id: int, where: Slice, *, limit: int, asker: str | None = None
    ) -> tuple[Ranking, Ranking]: ...
    def recipients(
        self, workspace_id: int, where: Slice, *, limit: int, asker: str | None = None
    ) -> Ranking: ...
    def authors(
        self, workspace_id: int, where: Slice, *, limit: int, asker: str | None = None
    ) -> Ranking: ...
    def person(self, workspace_id: int, user_id: str, where: Slice) -> PersonStats: ...
    def principles(
        self, workspace_id: int, user_id: str, where: Slice, limit: int
    ) -> tuple[tuple[str, int], ...]: ...
    def weekly(
        self,
        workspace_id: int,
        where: Slice,
        bounds: Sequence[datetime],
        user_id: str | None = None,
    ) -> list[tuple[int, int]]: ...
    def first_recognition(self, workspace_id: int) -> datetime | None: ...
    def export_rows(self, workspace_id: int, where: Slice) -> Iterator[ExportRow]: ...


class StoryRepository(Protocol):
    def add(self, workspace_id: int, story: NewStory, now: datetime) -> int | None: ...
    def by_view(self, workspace_id: int, view_id: str) -> int | None: ...
    def card(self, story_id: int) -> StoryCard: ...
    def set_message(self, story_id: int, channel: str, ts: str) -> None: ...
    def set_permalink(self, story_id: int, permalink: str) -> None: ...
    def top_stories(
        self, workspace_id: int, since: datetime, until: datetime, limit: int = 3
    ) -> list[TopStory]: ...
    def stories_count(
        self, workspace_id: int, since: datetime, until: datetime, *, author: str | None = None
    ) -> int: ...


class ApplauseRepository(Protocol):
    def post(self, workspace_id: int, channel: str, ts: str) -> BravoPost | None: ...
    def add(self, workspace_id: int, post: BravoPost, user: str, at: datetime) -> bool: ...
    def remove(self, workspace_id: int, post: BravoPost, user: str) -> bool: ...
    def has(self, workspace_id: int, post: BravoPost, user: str) -> bool: ...
    def count(self, workspace_id: int, channel: str, ts: str) -> int: ...


class HomeRepository(Protocol):
    def person(
        self, workspace_id: int, user_id: str, since: datetime | None, until: datetime
    ) -> PersonStats: ...
    def team(self, workspace_id: int, since: datetime, until: datetime) -> TeamStats: ...
    def received(self, workspace_id: int, user_id: str, limit: int = 5) -> list[Received]: ...


class HealthRepository(Protocol):
    def touch(self, now: datetime) -> datetime | None:
        """Read and write the health row; when it was last written."""


class PrivacyRepository(Protocol):
    """What Bravo holds about one person: counted, erased, listed; and the audit log."""

    def footprint(self, workspace_id: int, user_id: str) -> Footprint: ...
    def in_use(self, workspace_id: int, user_id: str) -> bool: ...
    def lock(self, workspace_id: int) -> None: ...
    def erase(self, workspace_id: int, erasure: Erasure) -> None: ...
    def records(self, workspace_id: int, user_id: str) -> PersonalRecords: ...
    def audit(
        self, workspace_id: int, action: str, actor: str, subject: str, detail: str, now: datetime
    ) -> None: ...
    def audited(self, workspace_id: int, action: str, subject: str) -> str | None:
        """The detail of an earlier audit row for `subject`, or None."""


class InstallationRepository(Protocol):
    """Installations by key (`bot.domain.tokens.install_key`); tokens as ciphertext."""

    def save(self, install: Install) -> None: ...
    def find(self, key: str) -> Install | None: ...
    def delete(self, key: str) -> bool: ...
    def all_keys(self) -> list[str]: ...
    def count(self) -> int: ...


class OAuthStateRepository(Protocol):
    def issue(self, state: str, expires_at: datetime) -> None: ...
    def consume(self, state: str, now: datetime) -> bool:
        """Delete the state; True only for the one caller that found it unexpired."""


class ConversationRepository(Protocol):
    """Thanks given in the conversation (reactions, joining in) and the reply under a message."""

    def add(
        self, workspace_id: int, *, kind: str, channel: str, ts: str, giver: str,
        shoutout_id: int, now: datetime, joined_shoutout_id: int | None = None,
    ) -> None: ...  # fmt: skip
    def find(
        self, workspace_id: int, channel: str, ts: str, giver: str
    ) -> tuple[int, datetime] | None: ...
    def givers(self, workspace_id: int, channel: str, ts: str) -> list[str]: ...
    def joiners(self, shoutout_id: int) -> list[str]: ...
    def take_back(self, shoutout_id: int) -> None: ...
    def open_reply(
        self, workspace_id: int, channel: str, ts: str, author: str, now: datetime
    ) -> None: ...
    def reply(self, workspace_id: int, channel: str, ts: str) -> tuple[str, str | None] | None: ...
    def claim_reply(self, workspace_id: int, channel: str, ts: str) -> bool: ...
    def set_reply(self, workspace_id: int, channel: str, ts: str, reply_ts: str | None) -> None: ...


class RetentionRepository(Protocol):
    """Deleting a workspace's rows in every table, and pruning what only matters for a while."""

    def state(self, team_id: str, *, lock: bool = False) -> tuple[int, datetime | None] | None:
        """(workspace id, when deactivated: None if active); `lock` holds the row."""

    def dormant_since(self, before: datetime, limit: int) -> list[tuple[int, str]]: ...
    def footprint(self, workspace_id: int) -> dict[str, int]: ...
    def delete_workspace(self, workspace_id: int, team_id: str) -> dict[str, int]: ...
    def prune_events(self, before: datetime, limit: int) -> int: ...
    def prune_outbox(self, before: datetime, limit: int) -> int: ...


class UnitOfWork(Protocol):
    """One transaction: `with uow: ...; uow.commit()`; leaving without commit rolls back."""

    workspaces: WorkspaceRepository
    members: MemberRepository
    recognitions: RecognitionRepository
    events: EventRepository
    outbox: OutboxRepository
    targets: TargetRepository
    posts: PostRepository
    principles: PrincipleRepository
    insights: InsightsRepository
    leaderboard: LeaderboardRepository
    stories: StoryRepository
    applause: ApplauseRepository
    home: HomeRepository
    health: HealthRepository
    privacy: PrivacyRepository
    retention: RetentionRepository
    conversation: ConversationRepository
    installations: InstallationRepository
    oauth_states: OAuthStateRepository

    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: object) -> None: ...
    def commit(self) -> None: ...
    def serialized(self) -> Self:
        """The next transaction holds the write lock from its start (check-then-write rules)."""

    def run_serialized(self, fn: Callable[[UnitOfWork], T]) -> T:
        """`fn(uow)` in a serialised transaction (maybe shared, in a savepoint), committed."""


class UnitOfWorkFactory(Protocol):
    """Makes a fresh unit of work per use; services take it as `uow=factory()`."""

    def __call__(self) -> UnitOfWork: ...
