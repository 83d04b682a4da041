"""Serialised units of work in one process queue for SQLite's write lock on a process-wide lock
(`storage.uow._begin_immediate`): only one thread polls SQLite, the rest sleep; the wait for
either shares the busy timeout, and every way out of the transaction lets the next one in."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import event

import storage.uow
from bot.domain.errors import Busy
from tests.test_trust_storage import add, bounded, hold_lock, workspace_id

THREADS, EACH = 8, 10


def test_threads_of_one_process_take_turns_without_polling(db, uow, monkeypatch):
    """80 shout-outs from 8 threads, each transaction held a moment: all stored, and on SQLite
    no thread ever polled for the write lock (without the process lock they poll hundreds of
    times, each poll taking the GIL from the thread that holds the lock)."""
    ws = workspace_id(uow)
    polls: list[float] = []
    real_sleep = time.sleep

    def nap(seconds: float) -> None:
        polls.append(seconds)
        real_sleep(seconds)

    monkeypatch.setattr(storage.uow.time, "sleep", nap)
    errors: list[BaseException] = []
    pause = threading.Event()  # never set: a wait that does not call time.sleep

    def writer(n: int) -> None:
        try:
            for i in range(EACH):
                with uow().serialized() as tx:
                    add(tx, ws, f"trigger:{n}.{i}")
                    pause.wait(0.002)  # the transaction stays open while others arrive
                    tx.commit()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert db.scalar("SELECT count(*) FROM shoutouts") == THREADS * EACH
    if db.backend == "sqlite":
        assert polls == []


def test_a_thread_waiting_behind_another_gets_busy_at_the_deadline(db):
    if db.backend != "sqlite":
        pytest.skip("PostgreSQL serialises with row locks the service takes")
    short, uow = bounded(db, lock_timeout=0.3)
    ws = workspace_id(uow)
    inside, leave = threading.Event(), threading.Event()

    def holder() -> None:
        with uow().serialized() as tx:
            add(tx, ws, "trigger:holder")
            inside.set()
            leave.wait(5)
            raise RuntimeError("the holder fails: its lock must still be let go")

    failures: list[BaseException] = []

    def run_holder() -> None:
        try:
            holder()
        except RuntimeError as error:
            failures.append(error)

    thread = threading.Thread(target=run_holder)
    thread.start()
    try:
        assert inside.wait(5)
        started = time.monotonic()
        with pytest.raises(Busy), uow().serialized() as tx:
            add(tx, ws, "trigger:waiter")
        waited = time.monotonic() - started
        assert 0.25 <= waited < 1.0
    finally:
        leave.set()
        thread.join(5)
    assert len(failures) == 1
    started = time.monotonic()  # the failed holder let go: the next writer goes straight in
    with uow().serialized() as tx:
        add(tx, ws, "trigger:after")
        tx.commit()
    assert time.monotonic() - started < 0.2
    assert db.scalar("SELECT count(*) FROM shoutouts") == 1
    short.dispose()


def test_busy_from_another_process_lets_the_next_thread_in(db):
    """A thread that gave up on another connection's lock releases the process lock."""
    if db.backend != "sqlite":
        pytest.skip("SQLite's write lock")
    short, uow = bounded(db, lock_timeout=0.2)
    ws = workspace_id(uow)
    with hold_lock(db), pytest.raises(Busy), uow().serialized() as tx:
        add(tx, ws, "trigger:refused")
    done: list[float] = []

    def next_writer() -> None:
        started = time.monotonic()
        with uow().serialized() as tx:
            add(tx, ws, "trigger:next")
            tx.commit()
        done.append(time.monotonic() - started)

    thread = threading.Thread(target=next_writer)
    thread.start()
    thread.join(5)
    assert done and done[0] < 0.15
    assert db.scalar("SELECT count(*) FROM shoutouts") == 1
    short.dispose()


def test_polling_another_connections_lock_is_cheap_and_ends_when_it_is_released(db):
    """While another connection holds the write lock, the waiting thread polls SQLite on the
    driver's connection: no refusal goes through SQLAlchemy's error handling (about 200 µs of
    CPU each under load), and the transaction begins soon after the lock is let go."""
    if db.backend != "sqlite":
        pytest.skip("SQLite's write lock")
    short, uow = bounded(db, lock_timeout=5)
    ws = workspace_id(uow)
    handled: list[object] = []
    event.listen(short, "handle_error", handled.append)
    polls: list[float] = []
    real_sleep = time.sleep

    def nap(seconds: float) -> None:
        polls.append(seconds)
        real_sleep(seconds)

    def writer() -> None:
        with uow().serialized() as tx:
            add(tx, ws, "trigger:after")
            tx.commit()
        done.append(time.monotonic())

    done: list[float] = []
    thread = threading.Thread(target=writer)
    with hold_lock(db):
        storage.uow.time.sleep = nap
        try:
            thread.start()
            real_sleep(0.2)
            assert not done and len(polls) > 20  # waiting, and polling every ~0.5 ms
            released = time.monotonic()
        finally:
            storage.uow.time.sleep = real_sleep
    thread.join(5)
    assert done and done[0] - released < 0.1
    assert handled == []
    assert db.scalar("SELECT count(*) FROM shoutouts") == 1
    short.dispose()
