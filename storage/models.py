"""SQLAlchemy models. Alembic owns the schema (storage/migrations); every row has a workspace."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import UTCDateTime

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SlackId = String(32)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class WorkspaceRow(Base):
    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(SlackId, unique=True)
    enterprise_id: Mapped[str | None] = mapped_column(SlackId)
    timezone: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    allowance: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    stories_channel: Mapped[str | None] = mapped_column(SlackId)
    leaderboard_visibility: Mapped[str] = mapped_column(String(16), server_default="everyone")
    applause_emoji: Mapped[str] = mapped_column(String(64), server_default="clap")
    manager_group: Mapped[str | None] = mapped_column(SlackId)
    # Who hears about broken targets: the admin who last changed a setting.
    admin_user_id: Mapped[str | None] = mapped_column(SlackId)
    kudos_emoji: Mapped[str | None] = mapped_column(String(64), server_default="raised_hands")


class MemberRow(Base):
    """A cache of users.info, refreshed when older than a few hours."""

    __tablename__ = "members"

    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(SlackId, primary_key=True)
    name: Mapped[str] = mapped_column(String(255), default="")
    tz: Mapped[str | None] = mapped_column(String(64))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_owner: Mapped[bool] = mapped_column(Boolean, default=False)
    is_bot: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ShoutoutRow(Base):
    """One shout-out as given: the reason and how it was announced."""

    __tablename__ = "shoutouts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    giver_id: Mapped[str] = mapped_column(SlackId)
    reason: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    kind_source: Mapped[str] = mapped_column(String(16))
    kind_keyword: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))
    channel_id: Mapped[str | None] = mapped_column(SlackId)
    message_channel: Mapped[str | None] = mapped_column(SlackId)
    message_ts: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # What Slack sent once and may send again (a command's trigger_id, a modal's view id, an
    # event id): one shout-out per key, however often it arrives.
    request_key: Mapped[str | None] = mapped_column(String(80))

    recognitions: Mapped[list[RecognitionRow]] = relationship(
        back_populates="shoutout", order_by="RecognitionRow.id"
    )

    __table_args__ = (
        Index(None, "workspace_id", "message_channel", "message_ts"),
        Index(None, "workspace_id", "request_key", unique=True),
    )


class RecognitionRow(Base):
    """One person recognised: the unit every leaderboard counts."""

    __tablename__ = "recognitions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    shoutout_id: Mapped[int | None] = mapped_column(ForeignKey("shoutouts.id"))
    # A teammate credited by a story (source 'story'); such credits use no daily allowance.
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id"))
    giver_id: Mapped[str] = mapped_column(SlackId)
    recipient_id: Mapped[str] = mapped_column(SlackId)
    kind: Mapped[str] = mapped_column(String(16))
    channel_id: Mapped[str | None] = mapped_column(SlackId)
    source: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    shoutout: Mapped[ShoutoutRow | None] = relationship(back_populates="recognitions")
    principles: Mapped[list[RecognitionPrincipleRow]] = relationship(
        cascade="all, delete-orphan", order_by="RecognitionPrincipleRow.position"
    )

    __table_args__ = (
        Index(None, "workspace_id", "created_at"),
        Index(None, "workspace_id", "giver_id", "created_at"),
        Index(None, "workspace_id", "recipient_id", "created_at"),
        Index(None, "shoutout_id"),
        Index(None, "story_id"),
        # Covers every period leaderboard (migration 0005): a month is an index-only range scan.
        Index(
            "ix_recognitions_leaderboard",
            "workspace_id",
            "created_at",
            "recipient_id",
            "giver_id",
            "kind",
            "channel_id",
        ),
    )


class RecognitionPrincipleRow(Base):
    __tablename__ = "recognition_principles"

    recognition_id: Mapped[int] = mapped_column(
        ForeignKey("recognitions.id", ondelete="CASCADE"), primary_key=True
    )
    principle: Mapped[str] = mapped_column(String(64), primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # The recognition's time, so the `#principle` leaderboard filter reads one index range
    # per principle and period (migration 0011).
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index(
            "ix_recognition_principles_by_date",
            "workspace_id",
            "principle",
            "created_at",
            "recognition_id",
        ),
        # A principle's recognitions whatever their time, index only (migration 0010).
        Index("ix_recognition_principles_by_principle", "principle", "recognition_id"),
    )


class ProcessedEventRow(Base):
    """Events API deliveries already handled, so Slack's retries do not count twice."""

    __tablename__ = "processed_events"

    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class OutboxRow(Base):
    """A Slack message to send, stored in the same transaction as what it announces."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    topic: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(SlackId)
    shoutout_id: Mapped[int | None] = mapped_column(ForeignKey("shoutouts.id"))
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id"))
    reply_url: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(120))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When a sender took it; a `sending` row claimed long ago was left by a dead process.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    thread_ts: Mapped[str | None] = mapped_column(String(32))  # a reply in this thread

    __table_args__ = (
        UniqueConstraint("shoutout_id", "topic", "channel_id"),
        # An index, not a constraint: SQLite adds it without rebuilding the table.
        Index(None, "story_id", "topic", "channel_id", unique=True),
        Index(None, "status", "next_attempt_at"),
    )


class TargetRow(Base):
    """A channel that receives one kind of scheduled post at a local time on chosen days."""

    __tablename__ = "targets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    kind: Mapped[str] = mapped_column(String(16))
    channel_id: Mapped[str] = mapped_column(SlackId)
    local_time: Mapped[str] = mapped_column(String(5))  # "09:00"
    days: Mapped[str] = mapped_column(String(32))  # "mon,tue,wed,thu,fri"
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    paused_reason: Mapped[str | None] = mapped_column(String(64))
    next_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("workspace_id", "kind"),
        Index(None, "next_run_at"),
    )


class PostRow(Base):
    """The ledger of scheduled posts: one row per (workspace, channel, kind, period), claimed
    before posting, so reruns, restarts and a second clock never post twice."""

    __tablename__ = "scheduled_posts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    channel_id: Mapped[str] = mapped_column(SlackId)
    kind: Mapped[str] = mapped_column(String(16))
    period: Mapped[str] = mapped_column(String(16))  # 2026-11-23, 2026-W48, 2026-11
    status: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str | None] = mapped_column(String(64))  # the principle posted
    featured: Mapped[str | None] = mapped_column(Text)  # user ids spotlighted, comma-separated
    message_ts: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(String(120))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("workspace_id", "channel_id", "kind", "period"),
        Index(None, "workspace_id", "kind", "claimed_at"),
    )


class PrincipleRow(Base):
    """A workspace's own principle, or a built-in one switched off (`enabled` false)."""

    __tablename__ = "workspace_principles"

    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    custom: Mapped[bool] = mapped_column(Boolean, default=False)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    title: Mapped[str | None] = mapped_column(String(150))
    explanation: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(SlackId)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class StoryRow(Base):
    """A customer success story. Each teammate it credits has a recognition with its story_id."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    view_id: Mapped[str] = mapped_column(String(64))  # the modal submitted: one story per view
    author_id: Mapped[str] = mapped_column(SlackId)
    title: Mapped[str] = mapped_column(String(150))
    customer: Mapped[str | None] = mapped_column(String(150))
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    kind_source: Mapped[str] = mapped_column(String(16))
    kind_keyword: Mapped[str | None] = mapped_column(String(64))
    channel_id: Mapped[str | None] = mapped_column(SlackId)  # where the card is shared
    message_channel: Mapped[str | None] = mapped_column(SlackId)
    message_ts: Mapped[str | None] = mapped_column(String(32))
    permalink: Mapped[str | None] = mapped_column(Text)  # the card's
    source_permalink: Mapped[str | None] = mapped_column(Text)  # the message it was saved from
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    principles: Mapped[list[StoryPrincipleRow]] = relationship(
        cascade="all, delete-orphan", order_by="StoryPrincipleRow.position"
    )

    __table_args__ = (
        UniqueConstraint("workspace_id", "view_id"),
        Index(None, "workspace_id", "created_at"),
        Index(None, "workspace_id", "author_id", "created_at"),
        Index(None, "workspace_id", "message_channel", "message_ts"),
    )


class StoryPrincipleRow(Base):
    __tablename__ = "story_principles"

    story_id: Mapped[int] = mapped_column(
        ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )
    principle: Mapped[str] = mapped_column(String(64), primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index(None, "workspace_id", "principle"),)


class ApplauseRow(Base):
    """One person's applause on one Bravo post (a story card or a shout-out announcement)."""

    __tablename__ = "applause"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    message_channel: Mapped[str] = mapped_column(SlackId)
    message_ts: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(SlackId)
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id"))
    shoutout_id: Mapped[int | None] = mapped_column(ForeignKey("shoutouts.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("workspace_id", "message_channel", "message_ts", "user_id"),
        Index(None, "story_id"),
        Index(None, "shoutout_id"),
    )


class RecognitionTotalRow(Base):
    """All-time counts per person, kept by database triggers on `recognitions` (migration
    0005), so the all-time leaderboard reads thousands of rows, not millions."""

    __tablename__ = "recognition_totals"
    # Ranges are read in place: clustered by key on SQLite, index-only on PostgreSQL.
    __table_args__ = (
        PrimaryKeyConstraint(
            "workspace_id",
            "user_id",
            postgresql_include=["received", "received_success", "given", "given_success"],
        ),
        {"sqlite_with_rowid": False},
    )

    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(SlackId, primary_key=True)
    received: Mapped[int] = mapped_column(Integer, default=0)
    received_success: Mapped[int] = mapped_column(Integer, default=0)
    given: Mapped[int] = mapped_column(Integer, default=0)
    given_success: Mapped[int] = mapped_column(Integer, default=0)


class RecognitionMonthRow(Base):
    """Counts per UTC month and person, kept by the same triggers: a local month, quarter or
    year is these rows plus at most two edges of a few hours read from `recognitions`."""

    __tablename__ = "recognition_months"
    __table_args__ = (
        PrimaryKeyConstraint(
            "workspace_id",
            "month",
            "user_id",
            postgresql_include=["received", "received_success", "given", "given_success"],
        ),
        {"sqlite_with_rowid": False},
    )

    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # "2026-11", in UTC
    user_id: Mapped[str] = mapped_column(SlackId, primary_key=True)
    received: Mapped[int] = mapped_column(Integer, default=0)
    received_success: Mapped[int] = mapped_column(Integer, default=0)
    given: Mapped[int] = mapped_column(Integer, default=0)
    given_success: Mapped[int] = mapped_column(Integer, default=0)
