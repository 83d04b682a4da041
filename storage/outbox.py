"""The outbox: messages commands stored, waiting to be sent (and retried) by the sender."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, exists, or_, select, update
from sqlalchemy.orm import Session, aliased

from bot.domain.model import OutboxMessage, OutboxStatus, OutboxTopic
from storage.driver import insert_rows, numbered
from storage.models import OutboxRow

# Runs for every `/kudos` before its ack: built once (see storage.recognitions).
_O = OutboxRow.__table__
# Every `/kudos` queues its messages in one statement on the driver's cursor (storage.driver).
_OUTBOX_COLUMNS = (
    "workspace_id",
    "topic",
    "channel_id",
    "shoutout_id",
    "story_id",
    "reply_url",
    "status",
    "attempts",
    "last_error",
    "message_ts",
    "created_at",
    "next_attempt_at",
    "sent_at",
    "thread_ts",
)
_INSERT_OUTBOX = insert_rows(_O, _OUTBOX_COLUMNS, returning="id")
_MESSAGE = (
    OutboxRow.id,
    OutboxRow.workspace_id,
    OutboxRow.topic,
    OutboxRow.channel_id,
    OutboxRow.shoutout_id,
    OutboxRow.reply_url,
    OutboxRow.attempts,
    OutboxRow.story_id,
    OutboxRow.thread_ts,
)


def _message(r: Row) -> OutboxMessage:
    return OutboxMessage(
        id=r.id,
        workspace_id=r.workspace_id,
        topic=OutboxTopic(r.topic),
        channel_id=r.channel_id,
        shoutout_id=r.shoutout_id,
        reply_url=r.reply_url,
        attempts=r.attempts,
        story_id=r.story_id,
        thread_ts=r.thread_ts,
    )


class OutboxRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

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
    ) -> int:
        return self.add_many(
            [(topic, channel_id, shoutout_id, story_id, reply_url)], workspace_id, now
        )[0]

    def add_many(
        self,
        messages: Sequence[tuple],
        workspace_id: int,
        now: datetime,
    ) -> list[int]:
        """Queue `(topic, channel, shoutout id, story id, reply url[, thread ts])` messages in
        one statement."""
        rows = [
            dict(
                workspace_id=workspace_id,
                topic=topic.value,
                channel_id=channel,
                shoutout_id=shoutout_id,
                story_id=story_id,
                reply_url=reply_url,
                status=OutboxStatus.PENDING.value,
                attempts=0,
                last_error=None,
                message_ts=None,
                created_at=now,
                next_attempt_at=now,
                sent_at=None,
                thread_ts=thread_ts[0] if thread_ts else None,
            )
            for topic, channel, shoutout_id, story_id, reply_url, *thread_ts in messages
        ]
        if not rows:
            return []
        inserted = _INSERT_OUTBOX(len(rows)).execute(self.session, numbered(_OUTBOX_COLUMNS, rows))
        return [row[0] for row in inserted]

    def claim(self, message_id: int, now: datetime) -> OutboxMessage | None:
        """Take a pending or failed message for sending; None when someone else has it."""
        claimed = self.claim_many([message_id], now)
        return claimed[0] if claimed else None

    def claim_many(self, message_ids: Sequence[int], now: datetime) -> list[OutboxMessage]:
        """Take the messages still pending (or failed and due) for sending, in one statement.

        Whoever's UPDATE flips a row to `sending` owns it: two senders never post one message.
        """
        if not message_ids:
            return []
        rows = self.session.execute(
            update(OutboxRow)
            .where(
                OutboxRow.id.in_(list(message_ids)),
                OutboxRow.status.in_([OutboxStatus.PENDING.value, OutboxStatus.FAILED.value]),
                OutboxRow.next_attempt_at <= now,
            )
            .values(
                status=OutboxStatus.SENDING.value,
                attempts=OutboxRow.attempts + 1,
                claimed_at=now,
                last_error=None,
            )
            .returning(*_MESSAGE)
        ).all()
        return sorted((_message(r) for r in rows), key=lambda m: m.id)

    def stale(self, before: datetime, limit: int = 100) -> list[tuple[int, datetime | None]]:
        """(id, claimed_at) of messages left `sending` since before `before` (NULL: claimed
        before claim times were kept), oldest first."""
        rows = self.session.execute(
            select(OutboxRow.id, OutboxRow.claimed_at)
            .where(
                OutboxRow.status == OutboxStatus.SENDING.value,
                or_(OutboxRow.claimed_at < before, OutboxRow.claimed_at.is_(None)),
            )
            .order_by(OutboxRow.id)
            .limit(limit)
        )
        return [(r.id, r.claimed_at) for r in rows]

    def reclaim(
        self, message_id: int, seen: datetime | None, now: datetime
    ) -> tuple[OutboxMessage, datetime, str | None] | None:
        """Take over a stale `sending` message whose claim time is still `seen`: (message,
        created_at, last_error), or None when another process took it first."""
        same_claim = (
            OutboxRow.claimed_at.is_(None) if seen is None else OutboxRow.claimed_at == seen
        )
        row = self.session.execute(
            update(OutboxRow)
            .where(
                OutboxRow.id == message_id,
                OutboxRow.status == OutboxStatus.SENDING.value,
                same_claim,
            )
            .values(claimed_at=now)
            .returning(*_MESSAGE, OutboxRow.created_at, OutboxRow.last_error)
        ).first()
        return (_message(row), row.created_at, row.last_error) if row else None

    def note(self, message_id: int, error: str) -> None:
        """Remember something about a message being sent (it stays `sending`)."""
        self.session.execute(
            update(OutboxRow).where(OutboxRow.id == message_id).values(last_error=error[:120])
        )

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
    ) -> None:
        """`counted=False`: the claim was no attempt (Slack's rate limit, a held channel)."""
        values: dict[str, object] = {"status": status.value, "last_error": error}
        if status is OutboxStatus.SENT:
            values.update(sent_at=now, message_ts=ts)
        if retry_at is not None:
            values["next_attempt_at"] = retry_at
        if not counted:
            values["attempts"] = OutboxRow.attempts - 1
        self.session.execute(update(OutboxRow).where(OutboxRow.id == message_id).values(values))

    def due(self, now: datetime, limit: int = 100) -> list[int]:
        """Ids of messages waiting to be sent or retried, oldest first.

        A story's DMs wait while its card is pending or being sent: they link to the card,
        whose permalink is known once it is up (senders post many messages at once)."""
        card = aliased(OutboxRow)
        card_on_its_way = exists().where(
            card.story_id == OutboxRow.story_id,
            card.topic == OutboxTopic.STORY_CARD.value,
            card.status.in_([OutboxStatus.PENDING.value, OutboxStatus.SENDING.value]),
        )
        return list(
            self.session.scalars(
                select(OutboxRow.id)
                .where(
                    OutboxRow.status.in_([OutboxStatus.PENDING.value, OutboxStatus.FAILED.value]),
                    OutboxRow.next_attempt_at <= now,
                    or_(OutboxRow.topic != OutboxTopic.STORY_DM.value, ~card_on_its_way),
                )
                .order_by(OutboxRow.next_attempt_at, OutboxRow.id)
                .limit(limit)
            )
        )
