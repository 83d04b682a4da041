"""Leaderboard queries: set-based GROUP BYs ranked by window functions, no query per person.

A period is an index-only range scan of `ix_recognitions_leaderboard`; the all-time leaderboard
without a channel or principle reads `recognition_totals`, which triggers keep exact (migration
0005). Each ranking comes back as its top rows plus the asker's row, with the totals riding
along as window aggregates, so a leaderboard is three queries whatever the workspace's size.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    delete,
    exists,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased

from bot.domain.export import ExportRow
from bot.domain.leaderboard import PersonStats, Ranking, Slice, Standing
from storage.models import (
    MemberRow,
    RecognitionPrincipleRow,
    RecognitionRow,
    RecognitionTotalRow,
    ShoutoutRow,
    StoryPrincipleRow,
    StoryRow,
)

R = RecognitionRow
T = RecognitionTotalRow
EXPORT_BATCH = 1000


def _success(column: ColumnElement, value: ColumnElement | int = 1) -> ColumnElement:
    return func.sum(case((column == "success", value), else_=0))


class LeaderboardRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- rankings ------------------------------------------------------------------------------
    def recipients(
        self, workspace_id: int, where: Slice, *, limit: int, asker: str | None = None
    ) -> Ranking:
        """People ranked by recognitions received, with the success/recovery split."""
        if where.everything:
            per = self._totals(workspace_id, where, T.received)
        else:
            per = (
                select(
                    R.recipient_id.label("user_id"),
                    func.count().label("total"),
                    _success(R.kind).label("success"),
                )
                .where(*self._filters(workspace_id, where, R.recipient_id))
                .group_by(R.recipient_id)
            )
        return self._rank(per, limit, asker)

    def givers(
        self, workspace_id: int, where: Slice, *, limit: int, asker: str | None = None
    ) -> Ranking:
        """People ranked by recognitions given."""
        if where.everything:
            per = self._totals(workspace_id, where, T.given)
        else:
            per = (
                select(
                    R.giver_id.label("user_id"),
                    func.count().label("total"),
                    _success(R.kind).label("success"),
                )
                .where(*self._filters(workspace_id, where, R.giver_id))
                .group_by(R.giver_id)
            )
        return self._rank(per, limit, asker)

    def authors(
        self, workspace_id: int, where: Slice, *, limit: int, asker: str | None = None
    ) -> Ranking:
        """People ranked by customer stories shared."""
        per = (
            select(
                StoryRow.author_id.label("user_id"),
                func.count().label("total"),
                _success(StoryRow.kind).label("success"),
            )
            .where(*self._story_filters(workspace_id, where))
            .group_by(StoryRow.author_id)
        )
        return self._rank(per, limit, asker)

    def _totals(self, workspace_id: int, where: Slice, counted) -> Select:
        conditions = [T.workspace_id == workspace_id]
        if where.kind is not None:
            conditions.append(T.kind == where.kind.value)
        if where.members is not None:
            conditions.append(T.user_id.in_(where.members))
        return (
            select(
                T.user_id.label("user_id"),
                func.sum(counted).label("total"),
                _success(T.kind, counted).label("success"),
            )
            .where(*conditions)
            .group_by(T.user_id)
            .having(func.sum(counted) > 0)
        )

    def _rank(self, per: Select, limit: int, asker: str | None) -> Ranking:
        """The first `limit` rows and the asker's, with places shared on equal totals."""
        sub = per.subquery()
        ranked = select(
            sub.c.user_id,
            sub.c.total,
            sub.c.success,
            func.rank().over(order_by=sub.c.total.desc()).label("place"),
            func.row_number().over(order_by=(sub.c.total.desc(), sub.c.user_id)).label("n"),
            func.count().over().label("people"),
            func.sum(sub.c.total).over().label("all_total"),
            func.sum(sub.c.success).over().label("all_success"),
        ).subquery()
        wanted = ranked.c.n <= limit
        if asker:
            wanted = or_(wanted, ranked.c.user_id == asker)
        rows = self.session.execute(select(ranked).where(wanted).order_by(ranked.c.n)).all()
        if not rows:
            return Ranking()
        standings = [
            Standing(r.user_id, int(r.place), int(r.total), int(r.success or 0)) for r in rows
        ]
        first = rows[0]
        return Ranking(
            top=tuple(s for s, r in zip(standings, rows, strict=True) if r.n <= limit),
            mine=next((s for s in standings if s.user_id == asker), None),
            people=int(first.people),
            total=int(first.all_total or 0),
            success=int(first.all_success or 0),
        )

    # -- filters -------------------------------------------------------------------------------
    def _filters(self, workspace_id: int, where: Slice, who) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = [R.workspace_id == workspace_id]
        if where.start is not None:
            conditions.append(R.created_at >= where.start)
        if where.end is not None:
            conditions.append(R.created_at < where.end)
        if where.channel is not None:
            conditions.append(R.channel_id == where.channel)
        if where.kind is not None:
            conditions.append(R.kind == where.kind.value)
        if where.principle is not None:
            conditions.append(
                exists().where(
                    RecognitionPrincipleRow.recognition_id == R.id,
                    RecognitionPrincipleRow.principle == where.principle,
                )
            )
        if where.members is not None:
            conditions.append(who.in_(where.members))
        return conditions

    def _story_filters(self, workspace_id: int, where: Slice) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = [StoryRow.workspace_id == workspace_id]
        if where.start is not None:
            conditions.append(StoryRow.created_at >= where.start)
        if where.end is not None:
            conditions.append(StoryRow.created_at < where.end)
        if where.channel is not None:
            conditions.append(StoryRow.channel_id == where.channel)
        if where.kind is not None:
            conditions.append(StoryRow.kind == where.kind.value)
        if where.principle is not None:
            conditions.append(
                exists().where(
                    StoryPrincipleRow.story_id == StoryRow.id,
                    StoryPrincipleRow.principle == where.principle,
                )
            )
        if where.members is not None:
            conditions.append(StoryRow.author_id.in_(where.members))
        return conditions

    # -- one person ----------------------------------------------------------------------------
    def person(self, workspace_id: int, user_id: str, where: Slice) -> PersonStats:
        """What one person received (with the split), gave and shared in the slice."""
        if where.everything:
            conditions = [T.workspace_id == workspace_id, T.user_id == user_id]
            if where.kind is not None:
                conditions.append(T.kind == where.kind.value)
            row = self.session.execute(
                select(func.sum(T.received), _success(T.kind, T.received), func.sum(T.given)).where(
                    *conditions
                )
            ).one()
            received, success, given = (int(v or 0) for v in row)
        else:
            received, success = (
                int(v or 0)
                for v in self.session.execute(
                    select(func.count(), _success(R.kind)).where(
                        R.recipient_id == user_id,
                        *self._filters(workspace_id, where, R.recipient_id),
                    )
                ).one()
            )
            given = self.session.scalar(
                select(func.count()).where(
                    R.giver_id == user_id, *self._filters(workspace_id, where, R.giver_id)
                )
            )
        stories = self.session.scalar(
            select(func.count()).where(
                StoryRow.author_id == user_id, *self._story_filters(workspace_id, where)
            )
        )
        return PersonStats(received, success, int(given or 0), int(stories or 0))

    def principles(
        self, workspace_id: int, user_id: str, where: Slice, limit: int
    ) -> tuple[tuple[str, int], ...]:
        """The principles one person was most recognised for, most often first."""
        count = func.count().label("count")
        rows = self.session.execute(
            select(RecognitionPrincipleRow.principle, count)
            .join(R, R.id == RecognitionPrincipleRow.recognition_id)
            .where(
                RecognitionPrincipleRow.workspace_id == workspace_id,
                R.recipient_id == user_id,
                *self._filters(workspace_id, where, R.recipient_id),
            )
            .group_by(RecognitionPrincipleRow.principle)
            .order_by(count.desc(), RecognitionPrincipleRow.principle)
            .limit(limit)
        ).all()
        return tuple((r.principle, int(r.count)) for r in rows)

    def weekly(
        self,
        workspace_id: int,
        where: Slice,
        bounds: Sequence[datetime],
        user_id: str | None = None,
    ) -> list[tuple[int, int]]:
        """(success, recovery) recognitions received per bucket [bounds[i], bounds[i + 1])."""
        conditions = self._filters(workspace_id, where, R.recipient_id)
        conditions += [R.created_at >= bounds[0], R.created_at < bounds[-1]]
        if user_id is not None:
            conditions.append(R.recipient_id == user_id)
        inner = (
            select(_bucket(R.created_at, bounds, 0, len(bounds) - 1).label("bucket"), R.kind)
            .where(*conditions)
            .subquery()
        )
        series = [[0, 0] for _ in range(len(bounds) - 1)]
        rows = self.session.execute(
            select(inner.c.bucket, inner.c.kind, func.count()).group_by(
                inner.c.bucket, inner.c.kind
            )
        )
        for bucket, kind, count in rows:
            series[int(bucket)][0 if kind == "success" else 1] += int(count)
        return [(s, r) for s, r in series]

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
            .where(*self._filters(workspace_id, where, R.recipient_id))
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
        """Recount one workspace's all-time totals from its recognitions (repair, benchmarks)."""
        self.session.execute(delete(T).where(T.workspace_id == workspace_id))
        deltas = (
            select(
                R.recipient_id.label("user_id"),
                R.kind,
                literal_column("1").label("received"),
                literal_column("0").label("given"),
            )
            .where(R.workspace_id == workspace_id)
            .union_all(
                select(R.giver_id, R.kind, literal_column("0"), literal_column("1")).where(
                    R.workspace_id == workspace_id
                )
            )
            .subquery()
        )
        self.session.execute(
            T.__table__.insert().from_select(
                ["workspace_id", "user_id", "kind", "received", "given"],
                select(
                    literal_column(str(int(workspace_id))),
                    deltas.c.user_id,
                    deltas.c.kind,
                    func.sum(deltas.c.received),
                    func.sum(deltas.c.given),
                ).group_by(deltas.c.user_id, deltas.c.kind),
            )
        )

    def totals_drift(self, workspace_id: int) -> int:
        """How far the kept totals are from a recount (0 when the triggers did their work)."""
        kept = self.session.scalar(
            select(func.coalesce(func.sum(T.received), 0)).where(T.workspace_id == workspace_id)
        )
        counted = self.session.scalar(
            select(func.count()).select_from(R).where(R.workspace_id == workspace_id)
        )
        return int(kept or 0) - int(counted or 0)


def _bucket(column, bounds: Sequence[datetime], low: int, high: int) -> ColumnElement:
    """The index i with bounds[i] <= column < bounds[i + 1], as a balanced CASE tree (log2 n
    comparisons per row, and the same SQL on both databases)."""
    if high - low == 1:
        return literal_column(str(low))
    middle = (low + high) // 2
    return case(
        (column < bounds[middle], _bucket(column, bounds, low, middle)),
        else_=_bucket(column, bounds, middle, high),
    )
