"""Leaderboard upkeep and export: streaming every recognition of a slice, recounting the
trigger-kept counts, and checking them against a recount."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import and_, delete, func, literal_column, select, union_all
from sqlalchemy.orm import Session, aliased

from bot.domain.model import ExportRow
from bot.domain.rankings import Slice
from storage.leaderboard_sql import M, R, T, counted, recognition_filters
from storage.models import MemberRow, RecognitionPrincipleRow, ShoutoutRow, StoryRow

EXPORT_BATCH = 1000


class LeaderboardUpkeep:
    session: Session

    def first_recognition(self, workspace_id: int) -> datetime | None:
        return self.session.scalar(
            select(func.min(R.created_at)).where(R.workspace_id == workspace_id)
        )

    # -- export --------------------------------------------------------------------------------
    def export_rows(self, workspace_id: int, where: Slice) -> Iterator[ExportRow]:
        """Every recognition in the slice, oldest first, streamed in batches."""
        giver, recipient = aliased(MemberRow), aliased(MemberRow)
        statement = (
            select(
                R.id,
                R.created_at,
                R.giver_id,
                giver.name.label("giver_name"),
                R.recipient_id,
                recipient.name.label("recipient_name"),
                R.kind,
                StoryRow.title.label("story"),
                R.channel_id,
                func.coalesce(ShoutoutRow.reason, StoryRow.title).label("reason"),
                R.source,
            )
            .outerjoin(ShoutoutRow, ShoutoutRow.id == R.shoutout_id)
            .outerjoin(StoryRow, StoryRow.id == R.story_id)
            .outerjoin(
                giver, and_(giver.workspace_id == R.workspace_id, giver.user_id == R.giver_id)
            )
            .outerjoin(
                recipient,
                and_(recipient.workspace_id == R.workspace_id, recipient.user_id == R.recipient_id),
            )
            .where(*recognition_filters(workspace_id, where, R.recipient_id))
            .order_by(R.created_at, R.id)
            .execution_options(yield_per=EXPORT_BATCH)
        )
        for batch in self.session.execute(statement).partitions():
            tags = self._tags([row.id for row in batch])
            for row in batch:
                yield ExportRow(
                    at=row.created_at,
                    giver_id=row.giver_id,
                    giver=row.giver_name or "",
                    recipient_id=row.recipient_id,
                    recipient=row.recipient_name or "",
                    kind=row.kind,
                    principles=tuple(tags.get(row.id, ())),
                    story=row.story or "",
                    channel_id=row.channel_id or "",
                    reason=row.reason or "",
                    source=row.source or "",
                )

    def _tags(self, ids: list[int]) -> dict[int, list[str]]:
        found: dict[int, list[str]] = {}
        rows = self.session.execute(
            select(RecognitionPrincipleRow.recognition_id, RecognitionPrincipleRow.principle)
            .where(RecognitionPrincipleRow.recognition_id.in_(ids))
            .order_by(RecognitionPrincipleRow.recognition_id, RecognitionPrincipleRow.position)
        )
        for recognition_id, principle in rows:
            found.setdefault(recognition_id, []).append(principle)
        return found

    # -- upkeep --------------------------------------------------------------------------------
    def rebuild_totals(self, workspace_id: int) -> None:
        """Recount one workspace's all-time and monthly counts from its recognitions (repair)."""
        if self.session.get_bind().dialect.name == "postgresql":
            month = func.to_char(func.timezone("UTC", R.created_at), "YYYY-MM")
        else:
            month = func.substr(R.created_at, 1, 7)
        everything = Slice()
        deltas = union_all(
            *(
                part.add_columns(month.label("month"))
                for part in counted(workspace_id, everything, 1)
            )
        ).subquery()
        counts = ("received", "received_success", "given", "given_success")
        workspace = literal_column(str(int(workspace_id)))
        for table, keys in ((T, ("user_id",)), (M, ("month", "user_id"))):
            self.session.execute(delete(table).where(table.workspace_id == workspace_id))
            grouped = [deltas.c[k] for k in keys]
            self.session.execute(
                table.__table__.insert().from_select(
                    ["workspace_id", *keys, *counts],
                    select(workspace, *grouped, *(func.sum(deltas.c[c]) for c in counts)).group_by(
                        *grouped
                    ),
                )
            )

    def totals_drift(self, workspace_id: int) -> int:
        """How far the kept counts are from a recount (0 when the triggers did their work)."""
        counted = self.session.scalar(
            select(func.count()).select_from(R).where(R.workspace_id == workspace_id)
        )
        drift = 0
        for table in (T, M):
            kept = self.session.execute(
                select(
                    func.coalesce(func.sum(table.received), 0),
                    func.coalesce(func.sum(table.given), 0),
                ).where(table.workspace_id == workspace_id)
            ).one()
            drift += abs(int(kept[0]) - int(counted or 0)) + abs(int(kept[1]) - int(counted or 0))
        return drift
