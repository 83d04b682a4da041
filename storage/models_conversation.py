"""Tables for thanking in the conversation (SPEC 2.1b): reactions and joining in.

Kept apart from `storage.models` (one Base, one metadata) so that module stays readable.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, SlackId
from storage.types import UTCDateTime


class ConversationThanksRow(Base):
    """A shout-out given in the conversation: the kudos emoji on a teammate's message
    (`kind` reaction: `message_ts` is that message) or joining in on a Bravo announcement
    (`kind` join: `message_ts` is the announcement, `joined_shoutout_id` what it announces).
    One per person per message, so a retried or repeated reaction never thanks twice."""

    __tablename__ = "conversation_thanks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    kind: Mapped[str] = mapped_column(String(16))  # "reaction" or "join"
    channel_id: Mapped[str] = mapped_column(SlackId)
    message_ts: Mapped[str] = mapped_column(String(32))
    giver_id: Mapped[str] = mapped_column(SlackId)
    shoutout_id: Mapped[int] = mapped_column(ForeignKey("shoutouts.id"), unique=True)
    joined_shoutout_id: Mapped[int | None] = mapped_column(ForeignKey("shoutouts.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("workspace_id", "channel_id", "message_ts", "giver_id"),
        Index(None, "joined_shoutout_id"),
    )


class ThanksReplyRow(Base):
    """Bravo's one threaded reply under a message thanked by reaction, updated as people join."""

    __tablename__ = "thanks_replies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    channel_id: Mapped[str] = mapped_column(SlackId)
    message_ts: Mapped[str] = mapped_column(String(32))
    author_id: Mapped[str] = mapped_column(SlackId)
    reply_ts: Mapped[str | None] = mapped_column(String(32))  # "pending" while being posted
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("workspace_id", "channel_id", "message_ts"),)
