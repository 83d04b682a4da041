"""Engines and sessions for SQLite and PostgreSQL."""

from __future__ import annotations

from functools import partial

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

# How long a statement may wait for another transaction's lock. The clock, the sender and the
# CLI may wait long; a web request must give up in time to answer Slack within its 3 s.
LONG_LOCK_WAIT = 30.0


def make_engine(
    url: str,
    *,
    lock_timeout: float | None = None,
    statement_timeout: float | None = None,
    wal_autocheckpoint: int | None = None,
    **kwargs: object,
) -> Engine:
    """An engine tuned for the backend: WAL and a busy timeout on SQLite, pre-ping on PostgreSQL.

    `lock_timeout` (seconds) bounds lock waits (SQLite's busy timeout, 30 s unless given;
    PostgreSQL's `lock_timeout`, none unless given); `statement_timeout` bounds any PostgreSQL
    statement. Past them the statement fails, which the unit of work reports as `Busy`.
    `wal_autocheckpoint` (pages) moves SQLite's own checkpoint threshold (`storage.checkpoint`).
    """
    if url.startswith("sqlite"):
        if ":memory:" in url or url in ("sqlite://", "sqlite:///"):
            kwargs.setdefault("poolclass", StaticPool)
        wait = LONG_LOCK_WAIT if lock_timeout is None else lock_timeout
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": wait}, **kwargs
        )
        pragmas = partial(
            _sqlite_pragmas, busy_ms=int(wait * 1000), wal_autocheckpoint=wal_autocheckpoint
        )
        event.listen(engine, "connect", pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 5)
    kwargs.setdefault("max_overflow", 10)
    engine = create_engine(url, **kwargs)
    settings = {
        name: int(seconds * 1000)
        for name, seconds in (
            ("lock_timeout", lock_timeout),
            ("statement_timeout", statement_timeout),
        )
        if seconds is not None
    }
    if settings:
        event.listen(engine, "connect", partial(_postgres_settings, settings=settings))
    return engine


def _sqlite_pragmas(
    dbapi_connection, _record, *, busy_ms: int, wal_autocheckpoint: int | None
) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    if wal_autocheckpoint is not None:  # see storage.checkpoint
        cursor.execute(f"PRAGMA wal_autocheckpoint={int(wal_autocheckpoint)}")
    cursor.close()


def _postgres_settings(dbapi_connection, _record, *, settings: dict[str, int]) -> None:
    """Session settings, set outside a transaction so that they outlive the first rollback."""
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    with dbapi_connection.cursor() as cursor:
        for name, milliseconds in settings.items():
            cursor.execute(f"SET {name} = {milliseconds}")
    dbapi_connection.autocommit = autocommit


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
