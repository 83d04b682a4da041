"""SQL pieces shared by the leaderboard queries: which recognitions and stories a slice keeps,
and each recognition as a signed row for its recipient and one for its giver."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, case, exists, false, func, literal_column, select

from bot.domain.model import Source
from bot.domain.rankings import Slice
from storage.models import (
    RecognitionMonthRow,
    RecognitionPrincipleRow,
    RecognitionRow,
    RecognitionTotalRow,
    StoryPrincipleRow,
    StoryRow,
)

R = RecognitionRow
T = RecognitionTotalRow
M = RecognitionMonthRow


def success_sum(column: ColumnElement, value: ColumnElement | int = 1) -> ColumnElement:
    return func.sum(case((column == "success", value), else_=0))


def recognition_filters(workspace_id: int, where: Slice, who) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [R.workspace_id == workspace_id]
    if where.start is not None:
        conditions.append(R.created_at >= where.start)
    if where.end is not None:
        conditions.append(R.created_at < where.end)
    if where.channel is not None:
        conditions.append(R.channel_id == where.channel)
    if where.kind is not None:
        conditions.append(R.kind == where.kind.value)
    if where.source is not None:
        conditions.append(R.source == where.source.value)
    if where.principle is not None:
        conditions.append(R.id.in_(tagged(workspace_id, where)))
    if where.members is not None:
        conditions.append(who.in_(where.members))
    return conditions


def tagged(workspace_id: int, where: Slice) -> Select:
    """The recognitions tagged with the slice's principle in its period: one range of the
    `(workspace, principle, created_at)` index, each joined to its recognition by id."""
    P = RecognitionPrincipleRow
    conditions = [P.workspace_id == workspace_id, P.principle == where.principle]
    if where.start is not None:
        conditions.append(P.created_at >= where.start)
    if where.end is not None:
        conditions.append(P.created_at < where.end)
    return select(P.recognition_id).where(*conditions)


def story_filters(workspace_id: int, where: Slice) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [StoryRow.workspace_id == workspace_id]
    if where.start is not None:
        conditions.append(StoryRow.created_at >= where.start)
    if where.end is not None:
        conditions.append(StoryRow.created_at < where.end)
    if where.channel is not None:
        conditions.append(StoryRow.channel_id == where.channel)
    if where.kind is not None:
        conditions.append(StoryRow.kind == where.kind.value)
    if where.source not in (None, Source.STORY):  # stories have one source: `story`
        conditions.append(false())
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


def counted(workspace_id: int, where: Slice, sign: int) -> list[Select]:
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
        ).where(*recognition_filters(workspace_id, where, R.recipient_id)),
        select(R.giver_id, zero, zero, one, success).where(
            *recognition_filters(workspace_id, where, R.giver_id)
        ),
    ]
