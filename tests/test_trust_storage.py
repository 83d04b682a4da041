"""Storage for the trust issue, on SQLite and PostgreSQL: request keys, the press window, the
serialised unit of work, and lock timeouts reported as `Busy` with nothing stored."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from bot.domain.errors import Busy
from bot.domain.model import Kind, KindDecision, KindSource, Source, TeamRef, WorkspaceDefaults
from storage.db import make_engine, make_session_factory
from storage.uow import UnitOfWorkFactory

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def workspace_id(uow) -> int:
    with uow() as tx:
        workspace = tx.workspaces.ensure(TeamRef("T0001"), WorkspaceDefaults(), NOW)
        tx.commit()
    return workspace.id


def bounded(db, **timeouts: float):
    """An engine on `db` whose lock waits are bounded (as the request path's are), and the
    units of work on it."""
    engine = make_engine(db.url, **timeouts)
    return engine, UnitOfWorkFactory(make_session_factory(engine))


def add(tx, ws: int, key: str | None):
    return tx.recognitions.add_shoutout(
        ws,
        giver="U1",
        recipients=("U2",),
        reason="for a great save",
        kind=KindDecision(Kind.SUCCESS, KindSource.DEFAULT),
        principles=(),
        source=Source.COMMAND,
        channel_id="C1",
        now=NOW,
        request_key=key,
    )


def test_a_request_key_stores_one_shout_out(uow, db):
    ws = workspace_id(uow)
    with uow().serialized() as tx:
        first = add(tx, ws, "trigger:1.2.3")
        assert add(tx, ws, "trigger:1.2.3") is None  # the replay inserts nothing
        assert add(tx, ws, None) and add(tx, ws, None)  # no key: no deduplication
        tx.commit()
    with uow() as tx:
        assert tx.recognitions.shoutout_for_request(ws, "trigger:1.2.3") == first
        assert tx.recognitions.shoutout_for_request(ws, "view:V1") is None
    assert db.scalar("SELECT count(*) FROM shoutouts") == 3
    assert db.scalar("SELECT count(*) FROM recognitions") == 3


def test_presses_closer_than_the_window_count_once(uow):
    ws = workspace_id(uow)
    window = timedelta(seconds=1)
    seen = []
    for offset in (0.0, 0.4, 0.9, 1.5, 1.2, 3.0):
        with uow() as tx:
            seen.append(
                tx.events.first_within(ws, "applaud:x", NOW + timedelta(seconds=offset), window)
            )
            tx.commit()
    # 0.4 and 0.9 are within a second of 0.0; 1.5 is not; 1.2 is (before 1.5); 3.0 is not.
    assert seen == [True, False, False, True, False, True]


def test_a_lock_timeout_is_busy_and_rolls_back(db):
    short, uow = bounded(db, lock_timeout=0.3, statement_timeout=2.0)
    ws = workspace_id(uow)
    with hold_lock(db):
        started = time.monotonic()
        with pytest.raises(Busy), uow() as tx:
            add(tx, ws, "trigger:busy")
            tx.commit()
        assert time.monotonic() - started < 1.5
    with uow() as tx:  # the connection is usable again, and nothing was kept
        assert tx.recognitions.shoutout_for_request(ws, "trigger:busy") is None
    assert db.scalar("SELECT count(*) FROM shoutouts") == 0
    short.dispose()


def test_a_serialised_unit_of_work_waits_for_the_write_lock_on_sqlite(db):
    if db.backend != "sqlite":
        pytest.skip("PostgreSQL serialises with row locks the service takes")
    short, uow = bounded(db, lock_timeout=0.3)
    workspace_id(uow)
    # A read-only body still needs the lock; an ordinary read does not wait for it.
    with hold_lock(db), pytest.raises(Busy), uow().serialized() as tx:
        tx.workspaces.by_team("T0001")
    with uow() as tx, hold_lock(db):
        assert tx.workspaces.by_team("T0001") is not None
    short.dispose()


def test_a_waiting_writer_polls_finely_and_keeps_its_busy_timeout_on_sqlite(db, monkeypatch):
    """SQLite's busy handler sleeps up to 100 ms between tries; the serialised unit of work
    polls in sub-millisecond steps instead, until the same deadline, and gives the connection
    its busy timeout back for the statements that follow."""
    if db.backend != "sqlite":
        pytest.skip("PostgreSQL waits for row locks in the server")
    import storage.uow

    short, uow = bounded(db, lock_timeout=0.6)
    ws = workspace_id(uow)
    naps: list[float] = []
    real_sleep = time.sleep
    lock = hold_lock(db).__enter__()

    def nap(seconds: float) -> None:
        naps.append(seconds)
        if len(naps) == 20:  # the other writer commits while this one waits
            lock.__exit__()
        real_sleep(seconds)

    monkeypatch.setattr(storage.uow.time, "sleep", nap)
    try:
        with uow().serialized() as tx:
            add(tx, ws, "trigger:waited")
            tx.commit()
    finally:
        if len(naps) < 20:
            lock.__exit__()
    assert len(naps) >= 20 and max(naps) <= 0.001
    with uow() as tx:
        assert tx.recognitions.shoutout_for_request(ws, "trigger:waited")
        timeout = tx.session.connection().exec_driver_sql("PRAGMA busy_timeout").scalar()
    assert timeout == 600
    short.dispose()


class hold_lock:
    """Another connection's lock on what a shout-out writes."""

    def __init__(self, db) -> None:
        self.db = db

    def __enter__(self):
        if self.db.backend == "sqlite":
            self.connection = sqlite3.connect(
                self.db.url.removeprefix("sqlite:///"), isolation_level=None
            )
            self.connection.execute("BEGIN EXCLUSIVE")
        else:
            self.connection = self.db.engine.connect()
            self.connection.begin()
            self.connection.execute(text("LOCK TABLE shoutouts IN ACCESS EXCLUSIVE MODE"))
        return self

    def __exit__(self, *exc: object) -> None:
        self.connection.rollback()
        self.connection.close()
