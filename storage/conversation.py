"""Thanks given in the conversation: who thanked which message or joined which shout-out, the
one threaded reply under a thanked message, and taking a thanks back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.domain.conversation import PENDING
from storage.dialect import dialect_insert
from storage.models import (
    ApplauseRow,
    OutboxRow,
    RecognitionPrincipleRow,
    RecognitionRow,
    ShoutoutRow,
)
from storage.models_conversation import ConversationThanksRow, ThanksReplyRow

_T = ConversationThanksRow


class ConversationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        workspace_id: int,
        *,
        kind: str,
        channel: str,
        ts: str,
        giver: str,
        shoutout_id: int,
        now: datetime,
        joined_shoutout_id: int | None = None,
    ) -> None:
        self.session.execute(
            dialect_insert(self.session, ConversationThanksRow)
            .values(
                workspace_id=workspace_id,
                kind=kind,
                channel_id=channel,
                message_ts=ts,
                giver_id=giver,
                shoutout_id=shoutout_id,
                joined_shoutout_id=joined_shoutout_id,
                created_at=now,
            )
            .on_conflict_do_nothing()
        )

    def find(
        self, workspace_id: int, channel: str, ts: str, giver: str
    ) -> tuple[int, datetime] | None:
        """(shout-out id, when) of the thanks `giver` gave on the message at (channel, ts)."""
        row = self.session.execute(
            select(_T.shoutout_id, _T.created_at).where(
                _T.workspace_id == workspace_id,
                _T.channel_id == channel,
                _T.message_ts == ts,
                _T.giver_id == giver,
            )
        ).first()
        return (row.shoutout_id, row.created_at) if row else None

    def givers(self, workspace_id: int, channel: str, ts: str) -> list[str]:
        """Who thanked the message at (channel, ts), first first."""
        return list(
            self.session.scalars(
                select(_T.giver_id)
                .where(
                    _T.workspace_id == workspace_id, _T.channel_id == channel, _T.message_ts == ts
                )
                .order_by(_T.id)
            )
        )

    def joiners(self, shoutout_id: int) -> list[str]:
        """Who joined in on a shout-out, first first."""
        return list(
            self.session.scalars(
                select(_T.giver_id).where(_T.joined_shoutout_id == shoutout_id).order_by(_T.id)
            )
        )

    def take_back(self, shoutout_id: int) -> None:
        """Delete a shout-out given in the conversation, as if it had never been given: its
        recognitions (the count triggers follow), messages still waiting, its link row."""
        recognitions = select(RecognitionRow.id).where(RecognitionRow.shoutout_id == shoutout_id)
        for statement in (
            delete(_T).where(_T.shoutout_id == shoutout_id),
            delete(OutboxRow).where(OutboxRow.shoutout_id == shoutout_id),
            delete(ApplauseRow).where(ApplauseRow.shoutout_id == shoutout_id),
            delete(RecognitionPrincipleRow).where(
                RecognitionPrincipleRow.recognition_id.in_(recognitions)
            ),
            delete(RecognitionRow).where(RecognitionRow.shoutout_id == shoutout_id),
            delete(ShoutoutRow).where(ShoutoutRow.id == shoutout_id),
        ):
            self.session.execute(statement)

    # -- the one reply under a thanked message ---------------------------------------------------
    def open_reply(
        self, workspace_id: int, channel: str, ts: str, author: str, now: datetime
    ) -> None:
        """Make sure the message has its reply row (no reply posted yet)."""
        self.session.execute(
            dialect_insert(self.session, ThanksReplyRow)
            .values(
                workspace_id=workspace_id,
                channel_id=channel,
                message_ts=ts,
                author_id=author,
                reply_ts=None,
                created_at=now,
            )
            .on_conflict_do_nothing()
        )

    def reply(self, workspace_id: int, channel: str, ts: str) -> tuple[str, str | None] | None:
        """(author, reply ts) of the message's reply row; the ts is None before it is posted."""
        row = self.session.execute(
            select(ThanksReplyRow.author_id, ThanksReplyRow.reply_ts).where(
                *_reply(workspace_id, channel, ts)
            )
        ).first()
        return (row.author_id, row.reply_ts) if row else None

    def claim_reply(self, workspace_id: int, channel: str, ts: str) -> bool:
        """Take the posting of the reply: True for the one caller that found none posted."""
        claimed = self.session.execute(
            update(ThanksReplyRow)
            .where(*_reply(workspace_id, channel, ts), ThanksReplyRow.reply_ts.is_(None))
            .values(reply_ts=PENDING)
            .returning(ThanksReplyRow.id)
        ).first()
        return claimed is not None

    def set_reply(self, workspace_id: int, channel: str, ts: str, reply_ts: str | None) -> None:
        """Where the reply was posted (None: not posted, the next thanks tries again)."""
        self.session.execute(
            update(ThanksReplyRow)
            .where(*_reply(workspace_id, channel, ts))
            .values(reply_ts=reply_ts)
        )


def _reply(workspace_id: int, channel: str, ts: str) -> tuple:
    return (
        ThanksReplyRow.workspace_id == workspace_id,
        ThanksReplyRow.channel_id == channel,
        ThanksReplyRow.message_ts == ts,
    )
