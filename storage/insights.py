"""What the scheduled posts show: a period's numbers, and recent recognitions of a principle."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import distinct, exists, func, select
from sqlalchemy.orm import Session, aliased

from bot.domain.model import PeriodStats, TaggedRecognition
from storage.models import RecognitionPrincipleRow, RecognitionRow, ShoutoutRow


class InsightsRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def period_stats(self, workspace_id: int, start: datetime, end: datetime) -> PeriodStats:
        """Counts for [start, end): one grouped query per figure, never one per person."""
        in_period = (
            RecognitionRow.workspace_id == workspace_id,
            RecognitionRow.created_at >= start,
            RecognitionRow.created_at < end,
        )
        kinds = dict(
            self.session.execute(
                select(RecognitionRow.kind, func.count())
                .where(*in_period)
                .group_by(RecognitionRow.kind)
            ).all()
        )
        by_recipient = self.session.execute(
            select(RecognitionRow.recipient_id, func.count().label("n"))
            .where(*in_period)
            .group_by(RecognitionRow.recipient_id)
            .order_by(func.count().desc(), RecognitionRow.recipient_id)
        ).all()
        shoutouts = self.session.scalar(
            select(func.count(distinct(RecognitionRow.shoutout_id))).where(
                *in_period, RecognitionRow.shoutout_id.is_not(None)
            )
        )
        # First-timers: recognised in the period and never before it. One index probe per
        # person (workspace, recipient, created_at), not a scan of the workspace's whole history
        # (which took 300 ms of a digest on 1,000,000 recognitions).
        earlier = aliased(RecognitionRow)
        people = select(RecognitionRow.recipient_id).where(*in_period).distinct().subquery()
        first_seen = (
            select(people.c.recipient_id)
            .where(
                ~exists().where(
                    earlier.workspace_id == workspace_id,
                    earlier.recipient_id == people.c.recipient_id,
                    earlier.created_at < start,
                )
            )
            .order_by(people.c.recipient_id)
        )
        first_timers = tuple(self.session.scalars(first_seen))
        success, recovery = kinds.get("success", 0), kinds.get("recovery", 0)
        return PeriodStats(
            shoutouts=shoutouts or 0,
            recognitions=success + recovery,
            success=success,
            recovery=recovery,
            people=len(by_recipient),
            first_timers=first_timers,
            by_recipient=tuple((r, n) for r, n in by_recipient),
        )

    def tagged_recently(
        self, workspace_id: int, principle: str, since: datetime, limit: int = 20
    ) -> list[TaggedRecognition]:
        """Recognitions tagged with `principle` since `since`, newest first."""
        rows = self.session.execute(
            select(
                RecognitionRow.recipient_id,
                RecognitionRow.giver_id,
                ShoutoutRow.reason,
                RecognitionRow.created_at,
            )
            .join(
                RecognitionPrincipleRow, RecognitionPrincipleRow.recognition_id == RecognitionRow.id
            )
            .join(ShoutoutRow, ShoutoutRow.id == RecognitionRow.shoutout_id)
            .where(
                RecognitionPrincipleRow.workspace_id == workspace_id,
                RecognitionPrincipleRow.principle == principle,
                RecognitionRow.created_at >= since,
            )
            .order_by(RecognitionRow.created_at.desc(), RecognitionRow.id.desc())
            .limit(limit)
        )
        return [TaggedRecognition(*row) for row in rows]
