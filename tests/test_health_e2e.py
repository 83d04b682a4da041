"""`/healthz` over real HTTP: 200 when the database takes a write, 503 with a short reason when
it cannot (locked by another connection), and 200 again once it can. Plus the service itself on
both backends."""

from __future__ import annotations

import json
import sqlite3
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from bot.domain.clock import FixedClock
from bot.domain.health import check_health, short_reason


def healthz(bravo) -> tuple[int, dict, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(bravo.url + "/healthz", timeout=10) as response:
            return response.status, json.loads(response.read()), time.perf_counter() - started
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), time.perf_counter() - started


@contextmanager
def database_locked(db):
    """Another connection holds the write lock (SQLite) or the health table (PostgreSQL)."""
    if db.backend == "sqlite":
        path = db.url.removeprefix("sqlite:///")
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
    else:
        with db.engine.connect() as other:
            other.execute(text("LOCK TABLE health IN ACCESS EXCLUSIVE MODE"))
            try:
                yield
            finally:
                other.rollback()


def test_healthz_writes_the_health_row_and_says_ok(bravo):
    status, answer, _ = healthz(bravo)
    assert status == 200 and answer == {"ok": True}
    assert bravo.db.scalar("SELECT count(*) FROM health") == 1


def test_healthz_is_503_with_a_reason_while_the_database_cannot_be_written(bravo):
    with database_locked(bravo.db):
        status, answer, seconds = healthz(bravo)
    assert status == 503, answer
    assert answer["ok"] is False
    reason = answer["reason"]
    assert reason.startswith("database: ") and "\n" not in reason and len(reason) < 140
    assert "lock" in reason.lower()
    assert bravo.db.url.split("@")[-1] not in reason
    assert seconds < 5  # a short lock wait, not the 30 s busy timeout
    log = Path(bravo.log.name).read_bytes()[bravo.log_mark :].decode(errors="replace")
    assert "health check failed: database: " in log and "Traceback" not in log
    status, answer, _ = healthz(bravo)
    assert status == 200 and answer == {"ok": True}


def test_check_health_reads_and_writes_in_one_transaction(db, uow):
    clock = FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    assert check_health(uow=uow(), clock=clock).ok
    clock.advance(minutes=1)
    assert check_health(uow=uow(), clock=clock).ok
    assert db.scalar("SELECT count(*) FROM health") == 1
    with uow() as work:
        assert work.health.touch(clock.now()) == clock.now()


def test_a_locked_database_is_unhealthy_and_the_busy_timeout_comes_back(db, uow):
    clock = FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    with database_locked(db):
        health = check_health(uow=uow(), clock=clock)
    assert not health.ok and health.reason.startswith("database: ")
    if db.backend == "sqlite":  # the pooled connection keeps its usual busy timeout
        with uow() as work:
            assert work.session.scalar(text("PRAGMA busy_timeout")) == 30000
    assert check_health(uow=uow(), clock=clock).ok


def test_the_reason_is_one_short_line_without_urls():
    error = RuntimeError(
        "connection to postgresql://bravo:hunter2@db.internal:5432/bravo failed\nDETAIL: more"
    )
    reason = short_reason(error)
    assert "hunter2" not in reason and "\n" not in reason and len(reason) <= 120
