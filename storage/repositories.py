"""Repositories: typed methods over one session. They never commit; the unit of work does."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

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


def _workspace(row: WorkspaceRow) -> Workspace:
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
        row = self.session.scalar(select(WorkspaceRow).where(WorkspaceRow.team_id == team_id))
        return _workspace(row) if row else None

    def get(self, workspace_id: int) -> Workspace:
        return _workspace(self.session.get_one(WorkspaceRow, workspace_id))

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
        ids = list(set(user_ids))
        rows = self.session.scalars(
            select(MemberRow).where(
                MemberRow.workspace_id == workspace_id, MemberRow.user_id.in_(ids)
            )
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
        """Serialise concurrent writes about one person (row lock on PostgreSQL)."""
        self.session.execute(
            select(MemberRow.user_id)
            .where(MemberRow.workspace_id == workspace_id, MemberRow.user_id == user_id)
            .with_for_update()
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
        """Store one shout-out and a recognition per recipient; returns the shout-out id."""
        shoutout = ShoutoutRow(
            workspace_id=workspace_id,
            giver_id=giver,
            reason=reason,
            kind=kind.kind.value,
            kind_source=kind.source.value,
            kind_keyword=kind.keyword,
            source=source.value,
            channel_id=channel_id,
            created_at=now,
        )
        for recipient in recipients:
            recognition = RecognitionRow(
                workspace_id=workspace_id,
                giver_id=giver,
                recipient_id=recipient,
                kind=kind.kind.value,
                channel_id=channel_id,
                source=source.value,
                created_at=now,
            )
            recognition.principles = [
                RecognitionPrincipleRow(principle=p, workspace_id=workspace_id, position=i)
                for i, p in enumerate(principles)
            ]
            shoutout.recognitions.append(recognition)
        self.session.add(shoutout)
        self.session.flush()
        return shoutout.id

    def count_given_since(self, workspace_id: int, giver: str, since: datetime) -> int:
        """Recipients this giver has recognised by shout-out since `since` (the allowance)."""
        return (
            self.session.scalar(
                select(func.count(RecognitionRow.id)).where(
                    RecognitionRow.workspace_id == workspace_id,
                    RecognitionRow.giver_id == giver,
                    RecognitionRow.created_at >= since,
                    RecognitionRow.source != Source.STORY.value,
                )
            )
            or 0
        )

    def card(self, shoutout_id: int) -> ShoutoutCard:
        row = self.session.scalars(
            select(ShoutoutRow)
            .where(ShoutoutRow.id == shoutout_id)
            .options(selectinload(ShoutoutRow.recognitions).selectinload(RecognitionRow.principles))
        ).one()
        language = self.session.scalar(
            select(WorkspaceRow.language).where(WorkspaceRow.id == row.workspace_id)
        )
        first = row.recognitions[0] if row.recognitions else None
        return ShoutoutCard(
            id=row.id,
            giver=row.giver_id,
            recipients=tuple(r.recipient_id for r in row.recognitions),
            reason=row.reason,
            kind=Kind(row.kind),
            principles=tuple(p.principle for p in first.principles) if first else (),
            created_at=row.created_at,
            language=language or "en",
            channel_id=row.channel_id,
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
        row = OutboxRow(
            workspace_id=workspace_id,
            topic=topic.value,
            channel_id=channel_id,
            shoutout_id=shoutout_id,
            story_id=story_id,
            reply_url=reply_url,
            status=OutboxStatus.PENDING.value,
            attempts=0,
            created_at=now,
            next_attempt_at=now,
        )
        self.session.add(row)
        self.session.flush()
        return row.id

    def claim(self, message_id: int, now: datetime) -> OutboxMessage | None:
        """Take a pending or failed message for sending; None when someone else has it."""
        result = self.session.execute(
            update(OutboxRow)
            .where(
                OutboxRow.id == message_id,
                OutboxRow.status.in_([OutboxStatus.PENDING.value, OutboxStatus.FAILED.value]),
                OutboxRow.next_attempt_at <= now,
            )
            .values(status=OutboxStatus.SENDING.value, attempts=OutboxRow.attempts + 1)
        )
        if result.rowcount != 1:
            return None
        row = self.session.get_one(OutboxRow, message_id)
        self.session.refresh(row)
        return OutboxMessage(
            id=row.id,
            workspace_id=row.workspace_id,
            topic=OutboxTopic(row.topic),
            channel_id=row.channel_id,
            shoutout_id=row.shoutout_id,
            reply_url=row.reply_url,
            attempts=row.attempts,
            story_id=row.story_id,
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
