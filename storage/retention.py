"""Deleting a workspace for good, table by table, and pruning rows that only matter a while.

Implements `bot.domain.ports.RetentionRepository`. The tables come from `Base.metadata`, so a
table added later (with a `workspace_id`, or a `team_id` like the installations) is deleted
with the rest without anyone remembering to list it here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Table, bindparam, func, literal, or_, select
from sqlalchemy.orm import Session

import storage  # noqa: F401 - every table module is imported there, so the metadata is complete
from storage.models import Base, OutboxRow, ProcessedEventRow, WorkspaceRow

FINISHED = ("sent", "dead", "cancelled")
_W = WorkspaceRow.__table__
# Run by the clock every minute: built once. Active workspaces have no deactivated_at, so the
# index on it holds only the few uninstalled ones.
_DORMANT = (
    select(_W.c.id, _W.c.team_id)
    .where(
        _W.c.deactivated_at < bindparam("before", type_=_W.c.deactivated_at.type),
        _W.c.active.is_(False),
    )
    .order_by(_W.c.deactivated_at)
    .limit(bindparam("limit"))
)
_DORMANT_LOCKED = _DORMANT.with_for_update(skip_locked=True)


def owned_tables() -> list[tuple[Table, Column]]:
    """Every table holding a workspace's rows, with its key column, children before parents."""
    owned = []
    for table in reversed(Base.metadata.sorted_tables):
        if table is _W:
            continue
        if "workspace_id" in table.c:
            owned.append((table, table.c.workspace_id))
        elif "team_id" in table.c:
            owned.append((table, table.c.team_id))
    return owned


class RetentionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def _postgres(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

    def state(self, team_id: str, *, lock: bool = False) -> tuple[int, datetime | None] | None:
        """(workspace id, when deactivated: None if active); `lock` holds the row (PostgreSQL;
        SQLite's writer lock is taken by the serialized unit of work)."""
        stmt = select(_W.c.id, _W.c.active, _W.c.deactivated_at).where(_W.c.team_id == team_id)
        if lock and self._postgres:
            stmt = stmt.with_for_update()
        row = self.session.execute(stmt).first()
        if row is None:
            return None
        return row.id, None if row.active else row.deactivated_at

    def dormant_since(self, before: datetime, limit: int) -> list[tuple[int, str]]:
        """(id, team id) of workspaces deactivated before `before`; on PostgreSQL locked for
        this transaction, skipping those another clock holds."""
        stmt = _DORMANT_LOCKED if self._postgres else _DORMANT
        params = {"before": before, "limit": limit}
        return [(row.id, row.team_id) for row in self.session.connection().execute(stmt, params)]

    def _keys(self, workspace_id: int) -> dict[str, object]:
        team_id = self.session.scalar(select(_W.c.team_id).where(_W.c.id == workspace_id))
        return {"workspace_id": workspace_id, "team_id": team_id}

    def footprint(self, workspace_id: int) -> dict[str, int]:
        """Rows per table that belong to the workspace (the workspace row included)."""
        keys = self._keys(workspace_id)
        rows = {
            table.name: self.session.scalar(
                select(func.count()).select_from(table).where(column == keys[column.name])
            )
            or 0
            for table, column in owned_tables()
        }
        return rows | {_W.name: 1}

    def delete_workspace(self, workspace_id: int, team_id: str) -> dict[str, int]:
        """Delete every row of the workspace, children before parents; rows per table.

        Deleting recognitions runs the count triggers (migration 0005), which lower that
        workspace's counts; the count tables are then deleted like any other.
        """
        keys = {"workspace_id": workspace_id, "team_id": team_id}
        deleted = {}
        for table, column in owned_tables():
            result = self.session.execute(table.delete().where(column == keys[column.name]))
            deleted[table.name] = result.rowcount
        result = self.session.execute(_W.delete().where(_W.c.id == workspace_id))
        deleted[_W.name] = result.rowcount
        return deleted

    def prune_events(self, before: datetime, limit: int) -> int:
        """Forget event ids handled before `before` (at most about `limit` of them)."""
        return _EVENTS.run(self.session, before, limit)

    def prune_outbox(self, before: datetime, limit: int) -> int:
        """Delete finished messages (sent, dead, cancelled) last attempted before `before`."""
        return _OUTBOX.run(self.session, before, limit)


class _Pruning:
    """Delete the oldest rows with `column` before a time, about `limit` at a time. Built once
    (the clock runs it every minute); an idle run only reads, taking no write lock."""

    def __init__(self, table: Table, column: Column, *where) -> None:
        before = bindparam("before", type_=column.type)
        self.due = select(literal(1)).select_from(table).where(column < before, *where).limit(1)
        self.edge = (
            select(column)
            .where(column < before, *where)
            .order_by(column)
            .offset(bindparam("skip"))
            .limit(1)
        )
        self.delete = table.delete().where(column < bindparam("upto", type_=column.type), *where)

    def run(self, session: Session, before: datetime, limit: int) -> int:
        connection = session.connection()
        if connection.execute(self.due, {"before": before}).first() is None:
            return 0
        edge = connection.execute(self.edge, {"before": before, "skip": limit}).scalar()
        upto = before if edge is None else edge
        return connection.execute(self.delete, {"before": before, "upto": upto}).rowcount


_EVENTS = _Pruning(ProcessedEventRow.__table__, ProcessedEventRow.__table__.c.received_at)
_O = OutboxRow.__table__
_OUTBOX = _Pruning(
    _O,
    _O.c.next_attempt_at,  # read through the (status, next_attempt_at) index
    _O.c.status.in_(FINISHED),
    or_(_O.c.sent_at.is_(None), _O.c.sent_at < bindparam("before", type_=_O.c.sent_at.type)),
)
