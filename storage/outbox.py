"""The outbox: messages commands stored, waiting to be sent (and retried) by the sender."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Integer, Row, Select, String, bindparam, exists, func, or_, select, update
from sqlalchemy.orm import Session

from bot.domain.model import OutboxMessage, OutboxStatus, OutboxTopic, ShoutoutCard
from storage.driver import Prepared, insert_rows, numbered
from storage.models import OutboxRow, ShoutoutRow
from storage.outbox_cards import shoutout_cards

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

_WAITING = (OutboxStatus.PENDING.value, OutboxStatus.FAILED.value)
_UNSENT = (OutboxStatus.PENDING.value, OutboxStatus.SENDING.value)
_TIME = _O.c.claimed_at.type
# The sender's statements, built once (one compiled form each, whatever the batch size).
_NOW = bindparam("now", type_=_TIME)


def _one_of(column, values: Sequence[str]):
    """`column IN values` as equalities (a statement on the driver's cursor takes no literal
    IN list; the planners read both the same)."""
    return or_(*(column == value for value in values))


def _claim(which):
    """Take the messages `which` selects that still wait and are due: sending, one attempt
    more, claimed now; returns their `_MESSAGE` columns."""
    return (
        update(_O)
        .where(which, _one_of(_O.c.status, _WAITING), _O.c.next_attempt_at <= _NOW)
        .values(
            status=OutboxStatus.SENDING.value,
            attempts=_O.c.attempts + 1,
            claimed_at=_NOW,
            last_error=None,
        )
        .returning(*(_O.c[column.key] for column in _MESSAGE))
    )


_CLAIM = _claim(_O.c.id.in_(bindparam("ids", expanding=True)))
# One outcome (run once per outcome, many in one transaction): a value left NULL keeps the
# row's own (`sent_at` and `message_ts` only for a sent message, `next_attempt_at` only for a
# retry); `uncounted` 1 gives back the attempt the claim counted.
_FINISH = (
    update(_O)
    .where(_O.c.id == bindparam("m_id"))
    .values(
        status=bindparam("m_status", type_=String),
        last_error=bindparam("m_error", type_=String),
        sent_at=func.coalesce(bindparam("m_sent_at", type_=_TIME), _O.c.sent_at),
        message_ts=func.coalesce(bindparam("m_ts", type_=String), _O.c.message_ts),
        next_attempt_at=func.coalesce(bindparam("m_retry_at", type_=_TIME), _O.c.next_attempt_at),
        attempts=_O.c.attempts - bindparam("m_uncounted", type_=Integer),
    )
)
# The same, only over the sender's own claim: a claim a reconciler took over (the row's claim
# time changed) is not overwritten by an outcome recorded late.
_FINISH_OWN = Prepared(
    _FINISH.where(
        _O.c.status == OutboxStatus.SENDING.value,
        _O.c.claimed_at == bindparam("m_claimed_at", type_=_TIME),
    )
)
_FINISH_ANY = Prepared(_FINISH)
# Where each posted announcement lives (as `RecognitionRepository.set_message`), for many.
_S = ShoutoutRow.__table__
_ANNOUNCED = Prepared(
    update(_S)
    .where(_S.c.id == bindparam("a_id"))
    .values(message_channel=bindparam("a_channel"), message_ts=bindparam("a_ts"))
)


def _due(t) -> Select:
    """Ids of `t`'s messages waiting to be sent or retried, oldest first, at most `limit`.
    A story's DMs wait while its card is pending or being sent."""
    card = _O.alias(f"{t.name}_card")
    return (
        select(t.c.id)
        .where(
            _one_of(t.c.status, _WAITING),
            t.c.next_attempt_at <= _NOW,
            or_(
                t.c.topic != OutboxTopic.STORY_DM.value,
                ~exists().where(
                    card.c.story_id == t.c.story_id,
                    card.c.topic == OutboxTopic.STORY_CARD.value,
                    _one_of(card.c.status, _UNSENT),
                ),
            ),
        )
        .order_by(t.c.next_attempt_at, t.c.id)
        .limit(bindparam("limit", type_=Integer))
    )


_DUE = _due(_O)
# The long-running sender's claim: what is due, taken in one statement (the UPDATE re-checks
# each row, so of two senders racing for one message only one gets it). On PostgreSQL the due
# rows another sender is claiming are skipped, not waited for: the second sender takes the next
# ones at once (it waited for the first to commit, then found its picks gone and took none).
# The pick is a CTE, which PostgreSQL runs once when it locks: as a subquery of the UPDATE it
# was scanned again and took more than `limit`. SQLite has one writer at a time and no row
# locks: no clause there.
_PICK = _due(_O.alias("due")).with_for_update(skip_locked=True).cte("pick")
_CLAIM_DUE = Prepared(_claim(_O.c.id.in_(select(_PICK.c.id))))


def _message(row: Row | tuple) -> OutboxMessage:
    """A message from a row that starts with the `_MESSAGE` columns (a driver's or SQLAlchemy's)."""
    return OutboxMessage(*row[:2], OutboxTopic(row[2]), *row[3 : len(_MESSAGE)])


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
        rows = self.session.execute(_CLAIM, {"ids": list(message_ids), "now": now})
        return sorted((_message(r) for r in rows), key=lambda m: m.id)

    def stale(self, before: datetime, limit: int = 100) -> list[tuple[int, datetime | None]]:
        """(id, claimed_at) of messages left `sending` since before `before` (NULL: claimed
        before claim times were kept), the longest-claimed first: one taken over again and
        again (its outcome cannot be recorded) goes to the back each time, never ahead of a
        message a crash left."""
        rows = self.session.execute(
            select(OutboxRow.id, OutboxRow.claimed_at)
            .where(
                OutboxRow.status == OutboxStatus.SENDING.value,
                or_(OutboxRow.claimed_at < before, OutboxRow.claimed_at.is_(None)),
            )
            .order_by(OutboxRow.claimed_at.asc().nulls_first(), OutboxRow.id)
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
        self.finish_many([(message_id, status, ts, error, retry_at, counted, None)], now)

    def finish_many(self, finished: Sequence[tuple], now: datetime) -> None:
        """Record many (id, status, ts, error, retry at, counted, claimed at) outcomes in one
        transaction (one prebuilt statement, run for each).

        An outcome with a claim time is recorded only while the row is still `sending` under
        that claim; one without (a reconciler's, which took the row over) always is."""
        own, any_claim = [], []
        for message_id, status, ts, error, retry_at, counted, claimed_at in finished:
            params = {
                "m_id": message_id,
                "m_status": status.value,
                "m_error": error[:120] if error else None,
                "m_sent_at": now if status is OutboxStatus.SENT else None,
                "m_ts": ts if status is OutboxStatus.SENT else None,
                "m_retry_at": retry_at,
                "m_uncounted": 0 if counted else 1,
            }
            if claimed_at is None:
                any_claim.append(params)
            else:
                own.append({**params, "m_claimed_at": claimed_at})
        _FINISH_OWN.execute_many(self.session, own)
        _FINISH_ANY.execute_many(self.session, any_claim)

    def cards(self, shoutout_ids: Sequence[int]) -> dict[int, ShoutoutCard]:
        """The cards of many shout-outs, by id, in four statements (see storage.outbox_cards)."""
        return shoutout_cards(self.session, shoutout_ids)

    def announced(self, placed: Sequence[tuple[int, str, str]]) -> None:
        """Where each (shout-out id, channel, ts) announcement was posted, in one statement."""
        rows = [{"a_id": i, "a_channel": c, "a_ts": ts} for i, c, ts in placed]
        _ANNOUNCED.execute_many(self.session, rows)

    def claim_due(self, now: datetime, limit: int) -> list[OutboxMessage]:
        """Take up to `limit` messages that are due (as `due` finds them), in one statement."""
        rows = _CLAIM_DUE.execute(self.session, {"now": now, "limit": limit})
        return sorted((_message(row) for row in rows), key=lambda m: m.id)

    def unsettled(self, now: datetime) -> int:
        """Messages pending, being sent, or failed and due again."""
        waiting = or_(
            _one_of(_O.c.status, _UNSENT),
            (_O.c.status == OutboxStatus.FAILED.value) & (_O.c.next_attempt_at <= _NOW),
        )
        return self.session.scalar(select(func.count()).where(waiting), {"now": now}) or 0

    def due(self, now: datetime, limit: int = 100) -> list[int]:
        """Ids of messages waiting to be sent or retried, oldest first.

        A story's DMs wait while its card is pending or being sent: they link to the card,
        whose permalink is known once it is up (senders post many messages at once)."""
        return list(self.session.scalars(_DUE, {"now": now, "limit": limit}))
