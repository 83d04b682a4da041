"""Repositories: typed methods over one session. They never commit; the unit of work does."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.domain.model import (
    Kind,
    KindDecision,
    OutboxMessage,
    OutboxStatus,
    OutboxTopic,
    Person,
    ShoutoutCard,
    Source,
    TeamRef,
    Workspace,
    WorkspaceDefaults,
)
from storage.models import (
    MemberRow,
    OutboxRow,
    ProcessedEventRow,
    RecognitionPrincipleRow,
    RecognitionRow,
    ShoutoutRow,
    WorkspaceRow,
)


def _insert(session: Session, model):
    """The dialect's INSERT, which has on_conflict_do_nothing/do_update on both backends."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


# The statements every `/kudos` runs before its ack, built once: a prebuilt Core statement
# with bind parameters executes several times faster than one constructed through the ORM.
_W, _M, _R = WorkspaceRow.__table__, MemberRow.__table__, RecognitionRow.__table__
_S, _P, _O = ShoutoutRow.__table__, RecognitionPrincipleRow.__table__, OutboxRow.__table__
_WORKSPACE_BY_TEAM = select(_W).where(_W.c.team_id == bindparam("team_id"))
_MEMBERS = select(_M).where(
    _M.c.workspace_id == bindparam("workspace_id"),
    _M.c.user_id.in_(bindparam("user_ids", expanding=True)),
)
_LOCK_MEMBER = (
    select(_M.c.user_id)
    .where(_M.c.workspace_id == bindparam("workspace_id"), _M.c.user_id == bindparam("user_id"))
    .with_for_update()
)
_GIVEN_SINCE = select(func.count(_R.c.id)).where(
    _R.c.workspace_id == bindparam("workspace_id"),
    _R.c.giver_id == bindparam("giver"),
    _R.c.created_at >= bindparam("since", type_=_R.c.created_at.type),
    _R.c.source != Source.STORY.value,
)
_INSERT_SHOUTOUT = insert(_S).returning(_S.c.id)
_INSERT_RECOGNITIONS = insert(_R).returning(_R.c.id, sort_by_parameter_order=True)
_INSERT_PRINCIPLES = insert(_P)
_INSERT_OUTBOX = insert(_O).returning(_O.c.id, sort_by_parameter_order=True)


def _workspace(row) -> Workspace:
    return Workspace(
        id=row.id,
        team_id=row.team_id,
        enterprise_id=row.enterprise_id,
        timezone=row.timezone,
        language=row.language,
        allowance=row.allowance,
        active=row.active,
        stories_channel=row.stories_channel,
        leaderboard_visibility=row.leaderboard_visibility,
        applause_emoji=row.applause_emoji,
        manager_group=row.manager_group,
        admin_user_id=row.admin_user_id,
    )


class WorkspaceRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def ensure(self, team: TeamRef, defaults: WorkspaceDefaults, now: datetime) -> Workspace:
        """The workspace for `team`, created with `defaults` the first time it is seen."""
        row = self.session.scalar(select(WorkspaceRow).where(WorkspaceRow.team_id == team.team_id))
        if row is None:
            self.session.execute(
                _insert(self.session, WorkspaceRow)
                .values(
                    team_id=team.team_id,
                    enterprise_id=team.enterprise_id,
                    timezone=defaults.timezone,
                    language=defaults.language,
                    allowance=defaults.allowance,
                    active=True,
                    created_at=now,
                )
                .on_conflict_do_nothing(index_elements=["team_id"])
            )
            row = self.session.scalars(
                select(WorkspaceRow).where(WorkspaceRow.team_id == team.team_id)
            ).one()
        return _workspace(row)

    def by_team(self, team_id: str) -> Workspace | None:
        row = self.session.connection().execute(_WORKSPACE_BY_TEAM, {"team_id": team_id}).first()
        return _workspace(row) if row else None

    def get(self, workspace_id: int) -> Workspace:
        return _workspace(self.session.get_one(WorkspaceRow, workspace_id))

    def active(self, team_id: str | None = None) -> list[Workspace]:
        stmt = select(WorkspaceRow).where(WorkspaceRow.active.is_(True)).order_by(WorkspaceRow.id)
        if team_id:
            stmt = stmt.where(WorkspaceRow.team_id == team_id)
        return [_workspace(row) for row in self.session.scalars(stmt)]

    SETTABLE = frozenset(
        {
            "timezone",
            "language",
            "allowance",
            "stories_channel",
            "leaderboard_visibility",
            "applause_emoji",
            "manager_group",
            "admin_user_id",
        }
    )

    def update(self, workspace_id: int, **values: object) -> None:
        """Change workspace settings (only the columns in SETTABLE)."""
        unknown = set(values) - self.SETTABLE
        if unknown:
            raise ValueError(f"not a workspace setting: {sorted(unknown)}")
        self.session.execute(
            update(WorkspaceRow).where(WorkspaceRow.id == workspace_id).values(**values)
        )

    def set_active(self, workspace_id: int, active: bool, now: datetime) -> None:
        self.session.execute(
            update(WorkspaceRow)
            .where(WorkspaceRow.id == workspace_id)
            .values(active=active, deactivated_at=None if active else now)
        )


class MemberRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get_many(
        self, workspace_id: int, user_ids: Iterable[str]
    ) -> dict[str, tuple[Person, datetime]]:
        """Cached people by id, each with when it was last refreshed from Slack."""
        rows = self.session.connection().execute(
            _MEMBERS, {"workspace_id": workspace_id, "user_ids": list(set(user_ids))}
        )
        return {
            r.user_id: (
                Person(r.user_id, r.name, r.tz, r.is_admin, r.is_owner, r.is_bot, r.deleted),
                r.refreshed_at,
            )
            for r in rows
        }

    def upsert(self, workspace_id: int, people: Sequence[Person], now: datetime) -> None:
        if not people:
            return
        values = [
            dict(
                workspace_id=workspace_id,
                user_id=p.user_id,
                name=p.name,
                tz=p.tz,
                is_admin=p.is_admin,
                is_owner=p.is_owner,
                is_bot=p.is_bot,
                deleted=p.deleted,
                refreshed_at=now,
            )
            for p in people
        ]
        stmt = _insert(self.session, MemberRow).values(values)
        changed = {c: stmt.excluded[c] for c in values[0] if c not in ("workspace_id", "user_id")}
        self.session.execute(
            stmt.on_conflict_do_update(index_elements=["workspace_id", "user_id"], set_=changed)
        )

    def lock(self, workspace_id: int, user_id: str) -> None:
        """Serialise concurrent writes about one person (row lock on PostgreSQL; SQLite
        serialises writers by itself)."""
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.connection().execute(
                _LOCK_MEMBER, {"workspace_id": workspace_id, "user_id": user_id}
            )


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
    ) -> int:
        """Store one shout-out and a recognition per recipient; returns the shout-out id.

        Core statements, three round trips whatever the number of recipients: this runs
        before the ack of every `/kudos`.
        """
        connection = self.session.connection()
        shoutout_id = connection.execute(
            _INSERT_SHOUTOUT,
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
            ),
        ).scalar_one()
        recognition_ids = (
            connection.execute(
                _INSERT_RECOGNITIONS,
                [
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
                ],
            )
            .scalars()
            .all()
        )
        if principles:
            connection.execute(
                _INSERT_PRINCIPLES,
                [
                    dict(recognition_id=r, principle=p, workspace_id=workspace_id, position=i)
                    for r in recognition_ids
                    for i, p in enumerate(principles)
                ],
            )
        return shoutout_id

    def count_given_since(self, workspace_id: int, giver: str, since: datetime) -> int:
        """Recipients this giver has recognised by shout-out since `since` (the allowance)."""
        count = (
            self.session.connection()
            .execute(_GIVEN_SINCE, {"workspace_id": workspace_id, "giver": giver, "since": since})
            .scalar()
        )
        return count or 0

    def card(self, shoutout_id: int) -> ShoutoutCard:
        row = self.session.execute(
            select(ShoutoutRow, WorkspaceRow.language)
            .join(WorkspaceRow, WorkspaceRow.id == ShoutoutRow.workspace_id)
            .where(ShoutoutRow.id == shoutout_id)
        ).one()
        shoutout, language = row
        recognitions = self.session.execute(
            select(RecognitionRow.id, RecognitionRow.recipient_id)
            .where(RecognitionRow.shoutout_id == shoutout_id)
            .order_by(RecognitionRow.id)
        ).all()
        principles = (
            self.session.scalars(
                select(RecognitionPrincipleRow.principle)
                .where(RecognitionPrincipleRow.recognition_id == recognitions[0].id)
                .order_by(RecognitionPrincipleRow.position)
            ).all()
            if recognitions
            else []
        )
        return ShoutoutCard(
            id=shoutout.id,
            giver=shoutout.giver_id,
            recipients=tuple(r.recipient_id for r in recognitions),
            reason=shoutout.reason,
            kind=Kind(shoutout.kind),
            principles=tuple(principles),
            created_at=shoutout.created_at,
            language=language or "en",
            channel_id=shoutout.channel_id,
        )

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
            _insert(self.session, ProcessedEventRow)
            .values(workspace_id=workspace_id, event_id=event_id, received_at=now)
            .on_conflict_do_nothing()
            .returning(ProcessedEventRow.event_id)
        )
        # rowcount is not reliable for INSERT .. ON CONFLICT on every driver; RETURNING is.
        return result.first() is not None

    def forget_before(self, cutoff: datetime) -> int:
        result = self.session.execute(
            ProcessedEventRow.__table__.delete().where(ProcessedEventRow.received_at < cutoff)
        )
        return result.rowcount


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
