"""What the App Home shows: a person's numbers, the last thanks they got, the team's month."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session

from bot.domain.model import Kind, PersonStats, Received, TeamStats
from storage.models import RecognitionRow, ShoutoutRow, StoryRow

_SUCCESS = case((RecognitionRow.kind == Kind.SUCCESS.value, 1), else_=0)
_RECOVERY = case((RecognitionRow.kind == Kind.RECOVERY.value, 1), else_=0)


class HomeRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def person(
        self, workspace_id: int, user_id: str, since: datetime | None, until: datetime
    ) -> PersonStats:
        """One person's numbers in [since, until); all time up to `until` when since is None."""

        def window(column):
            return (column < until) if since is None else (column >= since) & (column < until)

        received = self.session.execute(
            select(func.count(RecognitionRow.id), func.sum(_SUCCESS), func.sum(_RECOVERY)).where(
                RecognitionRow.workspace_id == workspace_id,
                RecognitionRow.recipient_id == user_id,
                window(RecognitionRow.created_at),
            )
        ).one()
        given = self.session.scalar(
            select(func.count(RecognitionRow.id)).where(
                RecognitionRow.workspace_id == workspace_id,
                RecognitionRow.giver_id == user_id,
                RecognitionRow.shoutout_id.is_not(None),
                window(RecognitionRow.created_at),
            )
        )
        stories = self.session.scalar(
            select(func.count(StoryRow.id)).where(
                StoryRow.workspace_id == workspace_id,
                StoryRow.author_id == user_id,
                window(StoryRow.created_at),
            )
        )
        return PersonStats(
            received=received[0] or 0,
            received_success=received[1] or 0,
            given=given or 0,
            stories=stories or 0,
        )

    def team(self, workspace_id: int, since: datetime, until: datetime) -> TeamStats:
        """The workspace's numbers in [since, until)."""
        totals = self.session.execute(
            select(
                func.count(RecognitionRow.id),
                func.sum(_SUCCESS),
                func.sum(_RECOVERY),
                func.count(distinct(RecognitionRow.recipient_id)),
                func.count(distinct(RecognitionRow.giver_id)),
            ).where(
                RecognitionRow.workspace_id == workspace_id,
                RecognitionRow.created_at >= since,
                RecognitionRow.created_at < until,
            )
        ).one()
        shoutouts = self.session.scalar(
            select(func.count(ShoutoutRow.id)).where(
                ShoutoutRow.workspace_id == workspace_id,
                ShoutoutRow.created_at >= since,
                ShoutoutRow.created_at < until,
            )
        )
        stories = self.session.scalar(
            select(func.count(StoryRow.id)).where(
                StoryRow.workspace_id == workspace_id,
                StoryRow.created_at >= since,
                StoryRow.created_at < until,
            )
        )
        return TeamStats(
            recognitions=totals[0] or 0,
            success=totals[1] or 0,
            recovery=totals[2] or 0,
            shoutouts=shoutouts or 0,
            stories=stories or 0,
            people=totals[3] or 0,
            givers=totals[4] or 0,
        )

    def received(self, workspace_id: int, user_id: str, limit: int = 5) -> list[Received]:
        """The last recognitions `user_id` received, newest first, with their reason or story."""
        rows = self.session.execute(
            select(
                RecognitionRow.giver_id,
                RecognitionRow.kind,
                RecognitionRow.created_at,
                ShoutoutRow.reason,
                StoryRow.title,
            )
            .outerjoin(ShoutoutRow, ShoutoutRow.id == RecognitionRow.shoutout_id)
            .outerjoin(StoryRow, StoryRow.id == RecognitionRow.story_id)
            .where(
                RecognitionRow.workspace_id == workspace_id,
                RecognitionRow.recipient_id == user_id,
            )
            .order_by(RecognitionRow.created_at.desc(), RecognitionRow.id.desc())
            .limit(limit)
        )
        return [
            Received(
                giver=r.giver_id,
                kind=Kind(r.kind),
                text=r.title if r.title is not None else (r.reason or ""),
                created_at=r.created_at,
                story=r.title is not None,
            )
            for r in rows
        ]
