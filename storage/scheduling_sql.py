"""How the tick claims a burst: a batch of targets read as plain rows, and a batch of ledger
claims or of next runs written in one statement, the batch bound as one JSON array of rows
(`json_array_elements` on PostgreSQL, `json_each` on SQLite).

One statement per batch, compiled once and cached, rather than a statement per row
(executemany) or a statement of literal rows compiled anew each time; and one parameter, so
that no batch meets a backend's limit on bound parameters.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import (
    JSON,
    Connection,
    DateTime,
    Dialect,
    Integer,
    Row,
    String,
    bindparam,
    cast,
    func,
    literal,
    literal_column,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.types import TypeEngine

from bot.domain.schedule import PostKind
from storage.models import PostRow, TargetRow
from storage.types import UTCDateTime

targets, posts = TargetRow.__table__, PostRow.__table__

# A target as `bot.domain.model.Target` takes it, read as a plain row rather than an ORM object.
TARGET_COLUMNS = tuple(
    targets.c[name]
    for name in (
        "id",
        "workspace_id",
        "kind",
        "channel_id",
        "local_time",
        "days",
        "enabled",
        "paused_reason",
        "next_run_at",
    )
)
CLAIM_COLUMNS = tuple(posts.c[n] for n in ("id", "workspace_id", "channel_id", "kind", "period"))
LEDGER_KEY = ["workspace_id", "channel_id", "kind", "period"]


def _json_rows(dialect: str, name: str, *types: TypeEngine) -> list:
    """The items of each row of the JSON array of arrays bound as `name`, typed."""
    if dialect == "postgresql":
        rows = func.json_array_elements(cast(bindparam(name, type_=String), JSON))
        value = rows.table_valued("value").alias(name).c.value
        return [cast(value.op("->>")(literal_column(str(i))), t) for i, t in enumerate(types)]
    value = func.json_each(bindparam(name)).table_valued("value").alias(name).c.value
    return [func.json_extract(value, f"$[{i}]", type_=t) for i, t in enumerate(types)]


def _set_next_runs(dialect: str):
    at_type = DateTime(timezone=True) if dialect == "postgresql" else String()
    target_id, at = _json_rows(dialect, "runs", Integer(), at_type)
    return update(targets).where(targets.c.id == target_id).values(next_run_at=at)


def _claim_many(dialect: str):
    rows = _json_rows(dialect, "wanted", Integer(), String(), String(), String())
    return (
        (postgresql if dialect == "postgresql" else sqlite)
        .insert(posts)
        .from_select(
            [*LEDGER_KEY, "status", "claimed_at"],
            # `WHERE true`: SQLite would read `FROM ... ON CONFLICT` as a join's ON.
            select(*rows, literal("claimed"), bindparam("now", type_=UTCDateTime)).where(True),
        )
        .on_conflict_do_nothing(index_elements=LEDGER_KEY)
        .returning(*CLAIM_COLUMNS)
    )


_SET_NEXT_RUNS = {name: _set_next_runs(name) for name in ("postgresql", "sqlite")}
_CLAIM_MANY = {name: _claim_many(name) for name in ("postgresql", "sqlite")}


def _json_time(dialect: Dialect) -> Callable[[datetime | None], str | None]:
    """A time as the JSON carries it: as SQLite stores it, or ISO 8601 with its offset."""
    stored = UTCDateTime().dialect_impl(dialect).bind_processor(dialect)
    if dialect.name == "postgresql":
        return lambda at: None if at is None else stored(at).isoformat()
    return stored


def set_next_runs(connection: Connection, next_runs: Sequence[tuple[int, datetime | None]]):
    """Each target's next run, in one statement."""
    as_json = _json_time(connection.dialect)
    times = {at: as_json(at) for at in {at for _, at in next_runs}}  # a burst has few
    runs = json.dumps([(target_id, times[at]) for target_id, at in next_runs])
    connection.execute(_SET_NEXT_RUNS[connection.dialect.name], {"runs": runs})


def claim_many(
    connection: Connection, wanted: Sequence[tuple[int, str, PostKind, str]], now: datetime
) -> list[Row]:
    """Insert each ledger key not yet claimed, in one statement: CLAIM_COLUMNS of the new rows."""
    rows = json.dumps([(w, c, k.value, p) for w, c, k, p in wanted])
    statement = _CLAIM_MANY[connection.dialect.name]
    return list(connection.execute(statement, {"wanted": rows, "now": now}))
