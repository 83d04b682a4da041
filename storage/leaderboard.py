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
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from bot.domain.export import ExportRow
from bot.domain.leaderboard import PersonStats, Ranking, Slice, Standing
from bot.domain.model import Kind
from bot.domain.periods import month_span
from storage.models import (
    MemberRow,
    RecognitionMonthRow,
    RecognitionPrincipleRow,
    RecognitionRow,
    RecognitionTotalRow,
    ShoutoutRow,
    StoryPrincipleRow,
    StoryRow,
)

R = RecognitionRow
T = RecognitionTotalRow
M = RecognitionMonthRow
EXPORT_BATCH = 1000


def _success(column: ColumnElement, value: ColumnElement | int = 1) -> ColumnElement:
    return func.sum(case((column == "success", value), else_=0))


class LeaderboardRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- rankings ------------------------------------------------------------------------------
    def board(
        self, workspace_id: int, where: Slice, *, limit: int, asker: str | None = None
    ) -> tuple[Ranking, Ranking]:
        """Recipients (with the success/recovery split) and givers, ranked in one query."""
        return self._rank(self._per_person(workspace_id, where), limit, asker)

    def recipients(
        self, workspace_id: int, where: Slice, *, limit: int, asker: str | None = None
    ) -> Ranking:
        """People ranked by recognitions received, with the success/recovery split."""
        return self.board(workspace_id, where, limit=limit, asker=asker)[0]

    def givers(
        self, workspace_id: int, where: Slice, *, limit: int, asker: str | None = None
    ) -> Ranking:
        """People ranked by recognitions given."""
        return self.board(workspace_id, where, limit=limit, asker=asker)[1]

    def authors(
        self, workspace_id: int, where: Slice, *, limit: int, asker: str | None = None
    ) -> Ranking:
        """People ranked by customer stories shared."""
        zero = literal_column("0")
        per = (
            select(
                StoryRow.author_id.label("user_id"),
                func.count().label("received"),
                _success(StoryRow.kind).label("received_success"),
                zero.label("given"),
                zero.label("given_success"),
            )
            .where(*self._story_filters(workspace_id, where))
            .group_by(StoryRow.author_id)
        )
        return self._rank(per, limit, asker)[0]

    def _per_person(self, workspace_id: int, where: Slice) -> Select:
        """(user_id, received, received_success, given, given_success) per person: from the
        all-time counts, from the monthly counts plus a few hours of edges, or straight from
        the recognitions (a channel or a principle, days and weeks)."""
        if where.everything:
            rows = self._kept(T, where, [T.workspace_id == workspace_id]).subquery()
        elif span := self._month_span(where):
            months = self._kept(
                M,
                where,
                [M.workspace_id == workspace_id, M.month >= span.first, M.month < span.after],
            )
            edges = [
                part
                for low, high, sign in span.edges
                for part in self._counted(
                    workspace_id, Slice(low, high, members=where.members, kind=where.kind), sign
                )
            ]
            rows = union_all(months, *edges).subquery()
        else:
            rows = union_all(*self._counted(workspace_id, where, 1)).subquery()
        return (
            select(
                rows.c.user_id,
                func.sum(rows.c.received).label("received"),
                func.sum(rows.c.received_success).label("received_success"),
                func.sum(rows.c.given).label("given"),
                func.sum(rows.c.given_success).label("given_success"),
            )
            .group_by(rows.c.user_id)
            .having(or_(func.sum(rows.c.received) > 0, func.sum(rows.c.given) > 0))
        )

    @staticmethod
    def _month_span(where: Slice):
        if where.start is None or where.end is None or where.channel or where.principle:
            return None
        return month_span(where.start, where.end)

    def _counted(self, workspace_id: int, where: Slice, sign: int) -> list[Select]:
        """Each recognition as a row for its recipient and one for its giver, times `sign`."""
        one, zero = literal_column(str(sign)), literal_column("0")
        success = case((R.kind == "success", one), else_=zero)
        return [
            select(
                R.recipient_id.label("user_id"),
                one.label("received"),
                success.label("received_success"),
                zero.label("given"),
                zero.label("given_success"),
            ).where(*self._filters(workspace_id, where, R.recipient_id)),
            select(R.giver_id, zero, zero, one, success).where(
                *self._filters(workspace_id, where, R.giver_id)
            ),
        ]

    def _kept(self, table, where: Slice, conditions: list) -> Select:
        """Rows of a trigger-kept count table, in the shape of `_counted`."""
        if where.members is not None:
            conditions.append(table.user_id.in_(where.members))
        received, given = table.received, table.given
        received_success, given_success = table.received_success, table.given_success
        if where.kind is Kind.SUCCESS:
            received, given = received_success, given_success
        elif where.kind is Kind.RECOVERY:
            received, given = received - received_success, given - given_success
            received_success = given_success = literal_column("0")
        return select(
            table.user_id.label("user_id"),
            received.label("received"),
            received_success.label("received_success"),
            given.label("given"),
            given_success.label("given_success"),
        ).where(*conditions)

    def _rank(self, per: Select, limit: int, asker: str | None) -> tuple[Ranking, Ranking]:
        """The first `limit` people by received and by given, the asker's places, and totals.

        One round trip of a few dozen rows whatever the workspace's size; both databases
        compute `per` once (a common table expression used more than once is materialised).
        Equal totals share a place (1, 1, 3).
        """
        people = per.cte("per")
        ahead = people.alias("ahead")
        parts = []
        for role, (count, success) in enumerate(
            (
                (people.c.received, people.c.received_success),
                (people.c.given, people.c.given_success),
            )
        ):
            first = (
                select(people.c.user_id, count.label("total"), success.label("success"))
                .where(count > 0)
                .order_by(count.desc(), people.c.user_id)
                .limit(limit)
                .subquery()
            )
            parts.append(
                select(
                    literal_column(str(role)).label("role"),
                    literal_column("0").label("part"),
                    first.c.user_id,
                    first.c.total,
                    first.c.success,
                    null().label("extra"),
                )
            )
            parts.append(
                select(
                    literal_column(str(role)),
                    literal_column("2"),
                    null(),
                    func.sum(count),
                    func.sum(success),
                    func.sum(case((count > 0, 1), else_=0)),
                )
            )
            if asker:
                parts.append(
                    select(
                        literal_column(str(role)),
                        literal_column("1"),
                        people.c.user_id,
                        count,
                        success,
                        select(func.count()).where(ahead.c[count.key] > count).scalar_subquery(),
                    ).where(people.c.user_id == asker, count > 0)
                )
        rows = self.session.execute(union_all(*parts)).all()
        return _ranking([r for r in rows if r.role == 0]), _ranking(
            [r for r in rows if r.role == 1]
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
            kept = self._kept(
                T, where, [T.workspace_id == workspace_id, T.user_id == user_id]
            ).subquery()
            row = self.session.execute(
                select(
                    func.sum(kept.c.received),
                    func.sum(kept.c.received_success),
                    func.sum(kept.c.given),
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
        """Recount one workspace's all-time and monthly counts from its recognitions (repair)."""
        if self.session.get_bind().dialect.name == "postgresql":
            month = func.to_char(func.timezone("UTC", R.created_at), "YYYY-MM")
        else:
            month = func.substr(R.created_at, 1, 7)
        everything = Slice()
        deltas = union_all(
            *(
                part.add_columns(month.label("month"))
                for part in self._counted(workspace_id, everything, 1)
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


def _ranking(rows: list) -> Ranking:
    """One role's rows from `_rank`: top people in order, the asker's standing, the totals."""
    ordered = sorted(
        ((int(r.total), r.user_id, int(r.success or 0)) for r in rows if r.part == 0),
        key=lambda row: (-row[0], row[1]),
    )
    top: list[Standing] = []
    for index, (total, user_id, success) in enumerate(ordered):
        tied = top and top[-1].total == total
        top.append(Standing(user_id, top[-1].place if tied else index + 1, total, success))
    summary = next(r for r in rows if r.part == 2)
    mine = next(
        (
            Standing(r.user_id, int(r.extra) + 1, int(r.total), int(r.success or 0))
            for r in rows
            if r.part == 1
        ),
        None,
    )
    return Ranking(
        top=tuple(top),
        mine=mine,
        people=int(summary.extra or 0),
        total=int(summary.total or 0),
        success=int(summary.success or 0),
    )
