"""Leaderboard queries: set-based GROUP BYs, never one query per person.

All time reads `recognition_totals`; a local month, quarter or year reads `recognition_months`
(whole UTC months) plus at most two edges of a few hours from `ix_recognitions_leaderboard`;
days, weeks, channels and principles read that covering index directly. The counts tables are
kept exact by triggers (migration 0005). Recipients and givers are ranked in one round trip of
a few dozen rows, whatever the workspace's size.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Select,
    case,
    func,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from bot.domain.model import Kind, PersonStats
from bot.domain.periods import month_span
from bot.domain.rankings import Ranking, Slice, Standing
from storage.leaderboard_sql import (
    M,
    R,
    T,
    counted,
    recognition_filters,
    story_filters,
    success_sum,
)
from storage.leaderboard_upkeep import LeaderboardUpkeep
from storage.models import RecognitionPrincipleRow, StoryRow


class LeaderboardRepository(LeaderboardUpkeep):
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
                success_sum(StoryRow.kind).label("received_success"),
                zero.label("given"),
                zero.label("given_success"),
            )
            .where(*story_filters(workspace_id, where))
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
                for part in counted(
                    workspace_id, Slice(low, high, members=where.members, kind=where.kind), sign
                )
            ]
            rows = union_all(months, *edges).subquery()
        else:
            rows = union_all(*counted(workspace_id, where, 1)).subquery()
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
        if where.source is not None:  # the monthly counts do not keep the source
            return None
        return month_span(where.start, where.end)

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
                    select(func.count(), success_sum(R.kind)).where(
                        R.recipient_id == user_id,
                        *recognition_filters(workspace_id, where, R.recipient_id),
                    )
                ).one()
            )
            given = self.session.scalar(
                select(func.count()).where(
                    R.giver_id == user_id, *recognition_filters(workspace_id, where, R.giver_id)
                )
            )
        stories = self.session.scalar(
            select(func.count()).where(
                StoryRow.author_id == user_id, *story_filters(workspace_id, where)
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
                *recognition_filters(workspace_id, where, R.recipient_id),
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
        conditions = recognition_filters(workspace_id, where, R.recipient_id)
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
