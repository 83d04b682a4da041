"""Shout-outs and their recognitions, and the Events API deliveries already handled."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import NoResultFound
from sqlalchemy.orm import Session

from bot.domain.model import KindDecision, ShoutoutCard, Source
from storage.dialect import dialect_insert
from storage.driver import Prepared, insert_rows, numbered
from storage.models import (
    ProcessedEventRow,
    RecognitionPrincipleRow,
    RecognitionRow,
    ShoutoutRow,
)
from storage.outbox_cards import shoutout_cards

# The statements every `/kudos` runs before its ack, compiled once and run on the driver's
# cursor (storage.driver): several times cheaper than through the ORM or even Core results.
_R, _S, _P = RecognitionRow.__table__, ShoutoutRow.__table__, RecognitionPrincipleRow.__table__
_SHOUTOUT_COLUMNS = (
    "workspace_id",
    "giver_id",
    "reason",
    "kind",
    "kind_source",
    "kind_keyword",
    "source",
    "channel_id",
    "message_channel",
    "message_ts",
    "created_at",
    "request_key",
)
_GIVEN_SINCE = Prepared(
    select(func.count(_R.c.id)).where(
        _R.c.workspace_id == bindparam("workspace_id"),
        _R.c.giver_id == bindparam("giver"),
        _R.c.created_at >= bindparam("since", type_=_R.c.created_at.type),
        _R.c.source != Source.STORY.value,
    )
)
# One shout-out per request key (the unique index): a replay inserts nothing and returns no id.
_INSERT_SHOUTOUT = {
    dialect.__name__.rsplit(".", 1)[-1]: Prepared(
        dialect.insert(_S)
        .values({c: bindparam(c, type_=_S.c[c].type) for c in _SHOUTOUT_COLUMNS})
        .on_conflict_do_nothing(index_elements=[_S.c.workspace_id, _S.c.request_key])
        .returning(_S.c.id)
    )
    for dialect in (postgresql, sqlite)
}
_SHOUTOUT_FOR_REQUEST = Prepared(
    select(_S.c.id).where(
        _S.c.workspace_id == bindparam("workspace_id"),
        _S.c.request_key == bindparam("request_key"),
    )
)
_RECOGNITION_COLUMNS = (
    "workspace_id",
    "shoutout_id",
    "giver_id",
    "recipient_id",
    "kind",
    "channel_id",
    "source",
    "created_at",
)
# Ids in no particular order (every recognition gets the same tags): one statement for all.
_INSERT_RECOGNITIONS = insert_rows(_R, _RECOGNITION_COLUMNS, returning="id")
_PRINCIPLE_COLUMNS = ("recognition_id", "principle", "workspace_id", "position", "created_at")
_INSERT_PRINCIPLES = insert_rows(_P, _PRINCIPLE_COLUMNS)


class RecognitionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

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
        """Store one shout-out and a recognition per recipient; returns the shout-out id, or
        None when a shout-out with this `request_key` is already stored (nothing is added).

        Core statements, three round trips whatever the number of recipients: this runs
        before the ack of every `/kudos`.
        """
        dialect = self.session.get_bind().dialect.name
        inserted = _INSERT_SHOUTOUT[dialect].execute(
            self.session,
            dict(
                workspace_id=workspace_id,
                giver_id=giver,
                reason=reason,
                kind=kind.kind.value,
                kind_source=kind.source.value,
                kind_keyword=kind.keyword,
                source=source.value,
                channel_id=channel_id,
                message_channel=None,
                message_ts=None,
                created_at=now,
                request_key=request_key,
            ),
        )
        if not inserted:
            return None
        shoutout_id = inserted[0][0]
        rows = [
            dict(
                workspace_id=workspace_id,
                shoutout_id=shoutout_id,
                giver_id=giver,
                recipient_id=recipient,
                kind=kind.kind.value,
                channel_id=channel_id,
                source=source.value,
                created_at=now,
            )
            for recipient in recipients
        ]
        recognition_ids = [
            row[0]
            for row in _INSERT_RECOGNITIONS(len(rows)).execute(
                self.session, numbered(_RECOGNITION_COLUMNS, rows)
            )
        ]
        if principles:
            tags = [
                dict(
                    recognition_id=r,
                    principle=p,
                    workspace_id=workspace_id,
                    position=i,
                    created_at=now,
                )
                for r in recognition_ids
                for i, p in enumerate(principles)
            ]
            _INSERT_PRINCIPLES(len(tags)).execute(self.session, numbered(_PRINCIPLE_COLUMNS, tags))
        return shoutout_id

    def shoutout_for_request(self, workspace_id: int, request_key: str) -> int | None:
        """The shout-out already stored for this request (a replayed command or submission)."""
        rows = _SHOUTOUT_FOR_REQUEST.execute(
            self.session, {"workspace_id": workspace_id, "request_key": request_key}
        )
        return rows[0][0] if rows else None

    def count_given_since(self, workspace_id: int, giver: str, since: datetime) -> int:
        """Recipients this giver has recognised by shout-out since `since` (the allowance)."""
        rows = _GIVEN_SINCE.execute(
            self.session, {"workspace_id": workspace_id, "giver": giver, "since": since}
        )
        return rows[0][0] or 0

    def card(self, shoutout_id: int) -> ShoutoutCard:
        """One shout-out's card, read as the sender reads a batch of them."""
        cards = shoutout_cards(self.session, [shoutout_id])
        if shoutout_id not in cards:
            raise NoResultFound(f"no shout-out {shoutout_id}")
        return cards[shoutout_id]

    def shoutout_owner(self, workspace_id: int, shoutout_id: int) -> str | None:
        """The giver of a shout-out in this workspace, or None when there is no such shout-out."""
        return self.session.scalar(
            select(ShoutoutRow.giver_id).where(
                ShoutoutRow.id == shoutout_id, ShoutoutRow.workspace_id == workspace_id
            )
        )

    def set_kind(self, shoutout_id: int, kind: KindDecision) -> None:
        self.session.execute(
            update(ShoutoutRow)
            .where(ShoutoutRow.id == shoutout_id)
            .values(kind=kind.kind.value, kind_source=kind.source.value, kind_keyword=kind.keyword)
        )
        self.session.execute(
            update(RecognitionRow)
            .where(RecognitionRow.shoutout_id == shoutout_id)
            .values(kind=kind.kind.value)
        )

    def set_message(self, shoutout_id: int, channel: str, ts: str) -> None:
        self.session.execute(
            update(ShoutoutRow)
            .where(ShoutoutRow.id == shoutout_id)
            .values(message_channel=channel, message_ts=ts)
        )


class EventRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def first_delivery(self, workspace_id: int, event_id: str, now: datetime) -> bool:
        """Record an Events API delivery; False when this event id was already handled."""
        result = self.session.execute(
            dialect_insert(self.session, ProcessedEventRow)
            .values(workspace_id=workspace_id, event_id=event_id, received_at=now)
            .on_conflict_do_nothing()
            .returning(ProcessedEventRow.event_id)
        )
        # rowcount is not reliable for INSERT .. ON CONFLICT on every driver; RETURNING is.
        return result.first() is not None

    def first_within(self, workspace_id: int, key: str, at: datetime, window: timedelta) -> bool:
        """Record `key` as seen at `at`; False when it was seen less than `window` from `at`.

        One row per key, moved forward only past the window: concurrent callers with the same
        key wait for each other's row and exactly one of them gets True.
        """
        table = ProcessedEventRow.__table__
        stmt = dialect_insert(self.session, ProcessedEventRow).values(
            workspace_id=workspace_id, event_id=key, received_at=at
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["workspace_id", "event_id"],
            set_={"received_at": stmt.excluded.received_at},
            where=table.c.received_at <= at - window,
        ).returning(table.c.event_id)
        return self.session.execute(stmt).first() is not None

    def forget_before(self, cutoff: datetime) -> int:
        result = self.session.execute(
            ProcessedEventRow.__table__.delete().where(ProcessedEventRow.received_at < cutoff)
        )
        return result.rowcount
