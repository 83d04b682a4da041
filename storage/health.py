"""The health row: `/healthz` reads it and writes it, proving the database takes writes.

The write waits for locks only briefly, so a locked database makes the check fail in about
a second instead of hanging a worker thread (and the load balancer's probe) for the usual
busy timeout."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from storage.dialect import dialect_insert
from storage.models_ops import HealthRow

LOCK_WAIT_MS = 1000
ROW_ID = 1


class HealthRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def touch(self, now: datetime) -> datetime | None:
        """Write `now` into the health row; returns when it was last written."""
        with self._short_lock_wait():
            previous = self.session.scalar(
                select(HealthRow.checked_at).where(HealthRow.id == ROW_ID)
            )
            insert = dialect_insert(self.session, HealthRow).values(id=ROW_ID, checked_at=now)
            self.session.execute(
                insert.on_conflict_do_update(
                    index_elements=[HealthRow.id], set_={"checked_at": now}
                )
            )
        return previous

    def _short_lock_wait(self) -> AbstractContextManager[None]:
        if self.session.get_bind().dialect.name == "postgresql":
            # Scoped to this transaction: nothing leaks into the pooled connection.
            self.session.execute(text(f"SET LOCAL lock_timeout = {LOCK_WAIT_MS}"))
            self.session.execute(text(f"SET LOCAL statement_timeout = {3 * LOCK_WAIT_MS}"))
            return nullcontext()
        return _SqliteBusyTimeout(self.session, LOCK_WAIT_MS)


class _SqliteBusyTimeout:
    """SQLite's busy timeout is per connection: shorten it for the check, then put it back."""

    def __init__(self, session: Session, milliseconds: int) -> None:
        self.session, self.milliseconds = session, milliseconds
        self.before: int | None = None

    def __enter__(self) -> None:
        self.before = self.session.scalar(text("PRAGMA busy_timeout"))
        self.session.execute(text(f"PRAGMA busy_timeout = {self.milliseconds}"))

    def __exit__(self, *exc: object) -> None:
        if self.before is not None:
            self.session.execute(text(f"PRAGMA busy_timeout = {int(self.before)}"))
