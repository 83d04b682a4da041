"""Group commit (`storage.group_commit`, `UnitOfWork.run_serialized`) on real databases: on
SQLite the serialised transactions that threads ask for at the same moment run in one, each in
a savepoint, and each keeps its own fate; on PostgreSQL each is a transaction of its own. The
daily allowance holds under simultaneous shout-outs from one giver either way."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import text

from bot.domain.errors import AllowanceExhausted, Unstorable
from bot.domain.kudos import give_kudos
from bot.domain.model import GiveKudos, Person, TeamRef, WorkspaceDefaults
from bot.domain.workspaces import ensure_workspace
from storage import group_commit

TEAM = TeamRef("T0GROUP")
DEFAULTS = WorkspaceDefaults(timezone="Europe/Amsterdam")
WAIT = 10.0


@pytest.fixture
def probe(db):
    """A table of labels (unique), and one whose rows need a parent by the commit."""
    with db.engine.begin() as connection:
        connection.execute(text("CREATE TABLE gc_probe (label VARCHAR(20) PRIMARY KEY)"))
        connection.execute(text("CREATE TABLE gc_parent (id INTEGER PRIMARY KEY)"))
        connection.execute(
            text(
                "CREATE TABLE gc_child (parent_id INTEGER REFERENCES gc_parent (id) "
                "DEFERRABLE INITIALLY DEFERRED)"
            )
        )
    return db


def insert(label: str, *, then: Callable[[], object] = lambda: None):
    """A job that stores `label`, then does `then`; it returns where and with what it ran."""

    def job(tx):
        tx.session.execute(text("INSERT INTO gc_probe (label) VALUES (:label)"), {"label": label})
        then()
        return label, threading.get_ident(), id(tx.session)

    return job


def labels(db) -> set[str]:
    return {row[0] for row in db.rows("SELECT label FROM gc_probe")}


class Threads:
    """Jobs run by threads of their own; each thread's result or exception."""

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []
        self.outcomes: dict[str, object] = {}

    def start(self, name: str, call: Callable[[], object]) -> None:
        def run() -> None:
            try:
                self.outcomes[name] = call()
            except BaseException as error:  # noqa: BLE001  # what the caller's thread got
                self.outcomes[name] = error

        thread = threading.Thread(target=run, name=name)
        self.threads.append(thread)
        thread.start()

    def join(self) -> dict[str, object]:
        for thread in self.threads:
            thread.join(WAIT)
        assert not any(t.is_alive() for t in self.threads), "a job was never run"
        return self.outcomes


def waiting(uow, count: int) -> None:
    """Until `count` jobs wait behind the one running (the group the next leader takes)."""
    queue = group_commit._QUEUES[uow.session_factory]
    deadline = time.monotonic() + WAIT
    while len(queue.waiting) < count:
        assert time.monotonic() < deadline, f"{len(queue.waiting)} of {count} jobs queued"
        time.sleep(0.001)


def grouped(uow, jobs: dict[str, Callable]) -> dict[str, object]:
    """Each of `jobs` asked for by a thread of its own while a first job holds the transaction,
    so that they all wait and run as one group; the first job's outcome is under 'first'."""
    release = threading.Event()
    threads = Threads()
    threads.start("first", lambda: uow().run_serialized(insert("first", then=release.wait)))
    waiting(uow, 0)
    time.sleep(0.05)  # the first job runs and holds the lead
    for name, job in jobs.items():
        threads.start(name, lambda job=job: uow().run_serialized(job))
    waiting(uow, len(jobs))
    release.set()
    return threads.join()


@pytest.fixture
def sqlite_only(db):
    if db.backend != "sqlite":
        pytest.skip("group commit is for SQLite's one write lock")


def test_threads_asking_at_once_share_one_transaction(uow, probe, sqlite_only):
    outcomes = grouped(uow, {f"j{n}": insert(f"j{n}") for n in range(4)})
    assert labels(probe) == {"first", "j0", "j1", "j2", "j3"}
    followers = [outcomes[f"j{n}"] for n in range(4)]
    assert [label for label, _, _ in followers] == ["j0", "j1", "j2", "j3"]
    # One thread (one of theirs, which led) ran the four in one session; the first ran alone.
    assert len({(thread, session) for _, thread, session in followers}) == 1
    assert followers[0][1] != outcomes["first"][1]
    # The lead was given back: a later job alone runs at once.
    assert uow().run_serialized(insert("later"))[0] == "later"


def test_a_job_that_raises_is_rolled_back_alone_and_its_thread_gets_the_error(
    uow, probe, sqlite_only
):
    def refuse():
        raise ValueError("over the allowance")

    outcomes = grouped(uow, {"a": insert("a"), "b": insert("b", then=refuse), "c": insert("c")})
    assert isinstance(outcomes["b"], ValueError)
    assert labels(probe) == {"first", "a", "c"}
    assert outcomes["a"][0] == "a" and outcomes["c"][0] == "c"


def test_a_job_the_database_refuses_gets_unstorable_and_the_others_are_stored(
    uow, probe, sqlite_only
):
    outcomes = grouped(uow, {"a": insert("a"), "again": insert("a"), "c": insert("c")})
    assert isinstance(outcomes["again"], Unstorable)
    assert labels(probe) == {"first", "a", "c"}


def test_when_the_commit_fails_every_job_of_the_group_gets_the_failure(uow, probe, sqlite_only):
    def orphan(tx):  # accepted now, refused at the commit (a deferred foreign key)
        tx.session.execute(text("INSERT INTO gc_child (parent_id) VALUES (42)"))
        return "orphan"

    outcomes = grouped(uow, {"a": insert("a"), "orphan": orphan, "c": insert("c")})
    assert all(isinstance(outcomes[name], Unstorable) for name in ("a", "orphan", "c"))
    assert labels(probe) == {"first"}
    assert probe.scalar("SELECT count(*) FROM gc_child") == 0


def test_run_serialized_commits_what_it_returns_and_raises_what_refused(uow, probe):
    assert uow().run_serialized(insert("one"))[0] == "one"
    with pytest.raises(Unstorable):
        uow().run_serialized(insert("one"))
    with pytest.raises(ValueError):
        uow().run_serialized(insert("two", then=lambda: int("x")))
    assert labels(probe) == {"one"}


def test_simultaneous_kudos_from_one_giver_never_overspend_the_allowance(uow, clock, db):
    """Eight shout-outs of one recipient each, from a giver with five a day, at once: five
    are stored and three refused. On SQLite they share a transaction (the first holds it
    until the others wait), so each savepoint must see the ones before it."""
    with uow() as tx:
        workspace = ensure_workspace(tx, TEAM, DEFAULTS, clock.now())
        people = [Person(u, name=u) for u in ("U0GIVER", *(f"U{n}" for n in range(8)))]
        tx.members.upsert(workspace.id, people, clock.now() - timedelta(minutes=1))
        tx.commit()
    others_waiting = threading.Event()

    def hold_first(_tx, _workspace_id, _shoutout_id, _now) -> None:
        if not others_waiting.is_set() and db.backend == "sqlite":
            waiting(uow, 7)
            others_waiting.set()

    def give(n: int):
        cmd = GiveKudos(
            TEAM, "U0GIVER", (f"U{n}",), (), "for the calm call with ACME", request_key=f"t{n}"
        )
        return give_kudos(
            cmd, uow=uow(), clock=clock, directory=None, defaults=DEFAULTS, after=hold_first
        )

    threads = Threads()
    for n in range(8):
        threads.start(f"k{n}", lambda n=n: give(n))
    outcomes = threads.join()
    refused = [o for o in outcomes.values() if isinstance(o, AllowanceExhausted)]
    given = [o for o in outcomes.values() if not isinstance(o, BaseException)]
    assert len(given) == 5 and len(refused) == 3, outcomes
    assert sorted(g.remaining for g in given) == [0, 1, 2, 3, 4]
    assert db.scalar("SELECT count(*) FROM shoutouts") == 5
    assert db.scalar("SELECT count(*) FROM outbox") == 5  # a DM each, no channel
