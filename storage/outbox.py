"""The outbox: messages commands stored, waiting to be sent (and retried) by the sender."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from bot.domain.model import OutboxMessage, OutboxStatus, OutboxTopic
from storage.models import OutboxRow

# Runs for every `/kudos` before its ack: built once (see storage.recognitions).
_O = OutboxRow.__table__
_INSERT_OUTBOX = insert(_O).returning(_O.c.id, sort_by_parameter_order=True)


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
        messages: Sequence[tuple[OutboxTopic, str, int | None, int | None, str | None]],
        workspace_id: int,
        now: datetime,
    ) -> list[int]:
        """Queue `(topic, channel, shoutout id, story id, reply url)` messages in one statement."""
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
            )
            for topic, channel, shoutout_id, story_id, reply_url in messages
        ]
        return list(self.session.connection().execute(_INSERT_OUTBOX, rows).scalars())

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
            .values(status=OutboxStatus.SENDING.value, attempts=OutboxRow.attempts + 1)
            .returning(
                OutboxRow.id,
                OutboxRow.workspace_id,
                OutboxRow.topic,
                OutboxRow.channel_id,
                OutboxRow.shoutout_id,
                OutboxRow.reply_url,
                OutboxRow.attempts,
                OutboxRow.story_id,
            )
        ).all()
        return sorted(
            (
                OutboxMessage(
                    id=r.id,
                    workspace_id=r.workspace_id,
                    topic=OutboxTopic(r.topic),
                    channel_id=r.channel_id,
                    shoutout_id=r.shoutout_id,
                    reply_url=r.reply_url,
                    attempts=r.attempts,
                    story_id=r.story_id,
                )
                for r in rows
            ),
            key=lambda m: m.id,
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
    ) -> None:
        values: dict[str, object] = {"status": status.value, "last_error": error}
        if status is OutboxStatus.SENT:
            values.update(sent_at=now, message_ts=ts)
        if retry_at is not None:
            values["next_attempt_at"] = retry_at
        self.session.execute(update(OutboxRow).where(OutboxRow.id == message_id).values(values))

    def due(self, now: datetime, limit: int = 100) -> list[int]:
        """Ids of messages waiting to be sent or retried, oldest first."""
        return list(
            self.session.scalars(
                select(OutboxRow.id)
                .where(
                    OutboxRow.status.in_([OutboxStatus.PENDING.value, OutboxStatus.FAILED.value]),
                    OutboxRow.next_attempt_at <= now,
                )
                .order_by(OutboxRow.next_attempt_at, OutboxRow.id)
                .limit(limit)
            )
        )
