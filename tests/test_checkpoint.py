"""A web worker's SQLite checkpoints run in a thread of their own (`storage.checkpoint`), not in
the commit of the request that takes the write-ahead log past SQLite's 1,000 pages: that request
waited for the copy and its fsync (the p99 of a single client was 22 ms against a p50 of 4)."""

from __future__ import annotations

import gc
import logging
import time

import pytest
from sqlalchemy.exc import OperationalError

from bot.entrypoints.runtime import build_runtime, start_checkpointer
from bot.entrypoints.server import BravoServer
from bot.settings import Settings
from storage.checkpoint import BACKSTOP_PAGES, Checkpointer
from storage.db import make_engine

PAGE = 4096
COMMITS = 1_200  # each writes 3 pages of log: past SQLite's own 1,000, under the backstop


def write_pages(engine, commits: int = COMMITS) -> None:
    """`commits` small commits of a page-sized row each, as many small requests make."""
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE IF NOT EXISTS ballast (x BLOB)")
    for _ in range(commits):
        with engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO ballast VALUES (randomblob(?))", (PAGE,))


def log_pages(url: str) -> int:
    """Pages in the write-ahead log now: SQLite counts them in its answer to a checkpoint."""
    engine = make_engine(url)
    try:
        return Checkpointer(engine).run_once()[1]
    finally:
        engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'bravo.db'}"


@pytest.fixture
def environment(monkeypatch, sqlite_url, standin):
    for name, value in {
        "DATABASE_URL": sqlite_url,
        "SLACK_BOT_TOKEN": "xoxb-checkpoint",
        "SLACK_SIGNING_SECRET": "checkpoint-secret",
        "SLACK_API_URL": standin.api_url,
    }.items():
        monkeypatch.setenv(name, value)


def test_a_web_workers_commits_leave_the_log_to_the_checkpointer(environment, sqlite_url):
    runtime = build_runtime(Settings(), web=True)
    with runtime.engine.connect() as connection:
        threshold = connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
    assert threshold == BACKSTOP_PAGES  # a bound on the log if the thread ever stalls
    write_pages(runtime.engine)  # its connection stays open: the last to close copies the log
    # No commit copied the log (one would have, past 1,000 pages).
    assert COMMITS <= log_pages(sqlite_url) < BACKSTOP_PAGES
    runtime.engine.dispose()


def test_other_processes_keep_sqlites_own_checkpoints(environment, sqlite_url):
    """The clock, the sender and the CLI have no checkpointer: their commits copy the log."""
    runtime = build_runtime(Settings())
    write_pages(runtime.engine)
    assert log_pages(sqlite_url) < 1_100
    runtime.engine.dispose()


def test_the_checkpointer_copies_the_log_while_requests_write(sqlite_url):
    engine = make_engine(sqlite_url, wal_autocheckpoint=BACKSTOP_PAGES)
    checkpointer = Checkpointer(engine, every=0.05).start()
    try:
        write_pages(engine, 500)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            busy, pages, copied = checkpointer.last or (1, 0, 0)
            if not busy and pages >= 1 and copied == pages:  # all of it, by the thread
                break
            time.sleep(0.05)
        else:
            pytest.fail(f"the log was not copied: {checkpointer.last}")
    finally:
        checkpointer.stop()
        engine.dispose()
    assert not checkpointer._thread.is_alive()


def test_a_failing_checkpoint_is_said_once_and_tried_again(sqlite_url, caplog, monkeypatch):
    engine = make_engine(sqlite_url)
    checkpointer = Checkpointer(engine, every=0.02)
    outcomes = iter([OperationalError("PRAGMA", None, Exception("disk I/O error"))] * 3)
    real = checkpointer.run_once

    def run_once():
        failure = next(outcomes, None)
        if failure is not None:
            raise failure
        return real()

    monkeypatch.setattr(checkpointer, "run_once", run_once)
    with caplog.at_level(logging.WARNING, logger="storage.checkpoint"):
        checkpointer.start()
        deadline = time.monotonic() + 10
        while checkpointer.last is None and time.monotonic() < deadline:
            time.sleep(0.02)
        checkpointer.stop()
    engine.dispose()
    said = [r.getMessage() for r in caplog.records]
    assert checkpointer.last is not None  # it kept trying, and got through
    assert len([m for m in said if m.startswith("WAL checkpoint failed")]) == 1
    assert "disk I/O error" in said[0]
    assert said[-1] == "WAL checkpoints run again"


def test_a_web_worker_starts_its_checkpointer_on_sqlite_only(environment, monkeypatch):
    server = BravoServer(Settings(), {})
    try:
        server.load()
        assert server.checkpointer is not None
        assert server.checkpointer._thread.name == "bravo-checkpointer"
        assert server.checkpointer._thread.is_alive()
    finally:
        if getattr(server, "checkpointer", None):
            server.checkpointer.stop()
            server.checkpointer.engine.dispose()
        gc.unfreeze()  # what load() froze (`runtime.settle`)
    for url in ("postgresql://postgres@127.0.0.1:9/none", "sqlite://"):
        monkeypatch.setenv("DATABASE_URL", url)
        # PostgreSQL checkpoints on its own; an in-memory database has no log to copy.
        assert start_checkpointer(build_runtime(Settings(), web=True)) is None
