"""The unit of work: one transaction, the repositories that share it, and an explicit commit.

Implements `bot.domain.ports.UnitOfWork` (and its factory) for SQLAlchemy.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.errors import Busy, Unstorable
from bot.domain.health import short_reason
from storage.conversation import ConversationRepository
from storage.group_commit import run_grouped
from storage.health import HealthRepository
from storage.home import HomeRepository
from storage.insights import InsightsRepository
from storage.installs import InstallationRepository, OAuthStateRepository
from storage.leaderboard import LeaderboardRepository
from storage.outbox import OutboxRepository
from storage.principles import PrincipleRepository
from storage.privacy import PrivacyRepository
from storage.recognitions import EventRepository, RecognitionRepository
from storage.retention import RetentionRepository
from storage.scheduling import PostRepository, TargetRepository
from storage.stories import ApplauseRepository, StoryRepository
from storage.workspaces import MemberRepository, WorkspaceRepository

T = TypeVar("T")


class UnitOfWork:
    """Use as `with uow_factory() as uow: ...; uow.commit()`; leaving without commit rolls back."""

    workspaces: WorkspaceRepository
    members: MemberRepository
    recognitions: RecognitionRepository
    events: EventRepository
    outbox: OutboxRepository
    targets: TargetRepository
    posts: PostRepository
    principles: PrincipleRepository
    insights: InsightsRepository
    leaderboard: LeaderboardRepository
    stories: StoryRepository
    applause: ApplauseRepository
    home: HomeRepository
    health: HealthRepository
    privacy: PrivacyRepository
    retention: RetentionRepository
    conversation: ConversationRepository
    installations: InstallationRepository
    oauth_states: OAuthStateRepository

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory
        self._serialized = False

    def serialized(self) -> UnitOfWork:
        """The next transaction takes the write lock when it begins (`with uow.serialized():`).

        For check-then-write rules (the daily allowance): on SQLite `BEGIN IMMEDIATE`, so that
        what is counted cannot change before the write; on PostgreSQL a plain transaction, the
        service taking row locks. Reads stay lock-free: only services that ask pay for it.
        """
        self._serialized = True
        return self

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        serialized, self._serialized = self._serialized, False
        self._writer: threading.RLock | None = None
        if serialized and self.session.get_bind().dialect.name == "sqlite":
            try:
                # pysqlite begins transactions itself, lazily before the first write; an explicit
                # BEGIN takes over, and the driver's commit and rollback end it.
                self._writer = _begin_immediate(self.session.connection())
            except OperationalError as error:
                self.session.close()
                if busy := _busy(error):
                    raise busy from error
                raise
        self.workspaces = WorkspaceRepository(self.session)
        self.members = MemberRepository(self.session)
        self.recognitions = RecognitionRepository(self.session)
        self.events = EventRepository(self.session)
        self.outbox = OutboxRepository(self.session)
        self.targets = TargetRepository(self.session)
        self.posts = PostRepository(self.session)
        self.principles = PrincipleRepository(self.session)
        self.insights = InsightsRepository(self.session)
        self.leaderboard = LeaderboardRepository(self.session)
        self.stories = StoryRepository(self.session)
        self.applause = ApplauseRepository(self.session)
        self.home = HomeRepository(self.session)
        self.privacy = PrivacyRepository(self.session)
        self.retention = RetentionRepository(self.session)
        self.health = HealthRepository(self.session)
        self.conversation = ConversationRepository(self.session)
        self.installations = InstallationRepository(self.session)
        self.oauth_states = OAuthStateRepository(self.session)
        return self

    def __exit__(self, _type: object, error: object, _tb: object) -> None:
        try:
            self.session.rollback()
            self.session.close()
        finally:
            if self._writer is not None:
                self._writer.release()
                self._writer = None
        if (instead := converted(error)) is not None:
            raise instead from error

    def commit(self) -> None:
        self.session.commit()

    def run_serialized(self, fn: Callable[[UnitOfWork], T]) -> T:
        """`fn(uow)` in a serialised transaction, then committed; on SQLite in one shared with
        the other threads of this process asking at the same moment, each in a savepoint
        (`storage.group_commit`). Raises what `fn` raised, as leaving the unit of work would."""
        if self._session_factory.kw["bind"].dialect.name == "sqlite":
            return run_grouped(
                self._session_factory, fn, lambda: UnitOfWork(self._session_factory), converted
            )
        with self.serialized():
            result = fn(self)
            self.commit()
        return result


def converted(error: object) -> BaseException | None:
    """What leaving a unit of work raises instead of `error`, if anything: `Busy` for a lock
    or statement timeout, `Unstorable` for what the database refused."""
    if isinstance(error, OperationalError) and (busy := _busy(error)):
        return busy
    if isinstance(error, DataError | IntegrityError):
        return Unstorable(short_reason(error))
    return None


# How often a writer waiting for SQLite's write lock tries again (seconds, with jitter).
RETRY_BEGIN = 0.0005


# One writer lock per SQLite engine, for the threads of this process (see `_begin_immediate`).
_WRITERS: weakref.WeakKeyDictionary[Engine, threading.RLock] = weakref.WeakKeyDictionary()
_WRITERS_GUARD = threading.Lock()


def _writer_of(engine: Engine) -> threading.RLock:
    with _WRITERS_GUARD:
        return _WRITERS.setdefault(engine, threading.RLock())


def _begin_immediate(connection: Connection) -> threading.RLock:
    """`BEGIN IMMEDIATE`, waiting for the write lock at most the connection's busy timeout;
    returns this process's writer lock for the engine, held until the transaction ends.

    The threads of one process queue on that lock, so only one of them at a time polls SQLite
    for the write lock (the others sleep, using no CPU, instead of each polling, which took the
    GIL from the thread holding the write lock and made every write transaction longer). Other
    processes are waited for by polling: SQLite's own busy handler sleeps 1, 2, 5, 10 ... up to
    100 ms between tries, so under a burst of short write transactions (simultaneous `/kudos`
    in several workers) an unlucky request sleeps far longer than the lock was held. Here the
    wait is a sub-millisecond poll. Both waits share one deadline; the timeout is restored for
    the statements that follow.
    """
    raw = connection.connection.dbapi_connection
    busy_ms = raw.execute("PRAGMA busy_timeout").fetchone()[0]
    deadline = time.monotonic() + busy_ms / 1000
    writer = _writer_of(connection.engine)
    if not writer.acquire(timeout=busy_ms / 1000):
        raise OperationalError("BEGIN IMMEDIATE", None, _WriterBusy())
    try:  # every way out but the transaction begun lets the next thread in
        raw.execute("PRAGMA busy_timeout=0")
        try:
            while True:
                try:  # on the driver's connection: SQLAlchemy's handling of each refusal
                    raw.execute("BEGIN IMMEDIATE")  # cost more CPU than the poll itself
                    return writer
                except sqlite3.OperationalError as refused:
                    error = OperationalError("BEGIN IMMEDIATE", None, refused)
                    if _busy(error) is None or time.monotonic() >= deadline:
                        raise error from refused
                time.sleep(RETRY_BEGIN * (0.5 + random.random()))
        finally:
            raw.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
    except BaseException:
        writer.release()
        raise


class _WriterBusy(Exception):
    """Another thread of this process held the write transaction past the busy timeout."""

    sqlite_errorcode = 5  # SQLITE_BUSY, as the driver reports it


# PostgreSQL: lock_not_available (lock_timeout), query_canceled (statement_timeout).
_PG_BUSY = frozenset({"55P03", "57014"})
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6


def _busy(error: OperationalError) -> Busy | None:
    """The database did not answer within the deadline: the caller's transaction rolled back."""
    orig = error.orig
    if getattr(orig, "sqlstate", None) in _PG_BUSY:
        return Busy()
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return Busy()
    return None


class UnitOfWorkFactory:
    """Makes a fresh unit of work per use; services take it as `uow=factory()`."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory)
