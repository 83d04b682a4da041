"""Group commit for SQLite: the serialised transactions that threads of one process ask for at
the same moment run together, in one transaction, each in a savepoint of its own.

SQLite has one write lock. Under a burst of `/kudos` the threads of a web worker queued for it,
and each handed it on to the next only once that thread had the GIL again: a `/kudos` of
2.6 ms of CPU waited 7.5 ms for the lock at the median and 57 ms at the 99th percentile
(measured under `python -m bench ack`). Here the thread at the front of the queue (the leader)
takes every job waiting at that moment, runs each in a savepoint of one `BEGIN IMMEDIATE`
transaction, commits once, and wakes the others with their outcomes; the first thread still
waiting leads the next group. A job alone runs as before, without a savepoint. The rows a
group adds share their tables' and indexes' last pages, so one commit writes about what one
shout-out's did: with 8 threads calling the web path at once, 1.41 against 1.71 ms of CPU a
`/kudos` (`python -m bench kudos-cpu --threads 8`, medians of 15 interleaved runs each), the
same alone.

Each job keeps its own fate: one that raises is rolled back to its savepoint and its
exception reaches its own thread; the others commit. When the commit itself fails, every job
that had succeeded gets that failure, as it would have in a transaction of its own.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from bot.domain.ports import UnitOfWork

# `make_uow` gives a `storage.uow.UnitOfWork` (its session is used for the savepoints); typed
# loosely here because that module imports this one.
MakeUnitOfWork = Callable[[], Any]

# At most this many jobs share one transaction (a web worker has 8 request threads).
MOST = 32


@dataclass(eq=False)
class _Job:
    fn: Callable[[UnitOfWork], Any]
    done: threading.Event = field(default_factory=threading.Event)
    lead: bool = False  # woken to lead the next group, not with an outcome
    result: Any = None
    error: BaseException | None = None


class _Queue:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.waiting: list[_Job] = []
        self.leading = False


_QUEUES: weakref.WeakKeyDictionary[sessionmaker[Session], _Queue] = weakref.WeakKeyDictionary()
_QUEUES_GUARD = threading.Lock()


def run_grouped(
    session_factory: sessionmaker[Session],
    fn: Callable[[UnitOfWork], Any],
    make_uow: MakeUnitOfWork,
    converted: Callable[[BaseException], BaseException | None],
) -> Any:
    """`fn(uow)` in a serialised transaction shared with the other threads asking at once;
    returns what it returned or raises what it raised, as leaving a unit of work of its own
    would have (`converted`; see the module)."""
    with _QUEUES_GUARD:
        queue = _QUEUES.setdefault(session_factory, _Queue())
    job = _Job(fn)
    with queue.lock:
        queue.waiting.append(job)
        lead = not queue.leading
        queue.leading = True
    if not lead:
        job.done.wait()
    if job.lead or lead:
        _lead(queue, make_uow, converted)
    if job.error is not None:
        raise job.error
    return job.result


def _lead(
    queue: _Queue,
    make_uow: MakeUnitOfWork,
    converted: Callable[[BaseException], BaseException | None],
) -> None:
    """Run one group (this thread's job is in it), then hand the lead to the first job still
    waiting, if any."""
    with queue.lock:
        group, queue.waiting = queue.waiting[:MOST], queue.waiting[MOST:]
    try:
        _run(group, make_uow, converted)
    finally:
        with queue.lock:
            if queue.waiting:
                successor = queue.waiting[0]
                successor.lead = True
                successor.done.set()
            else:
                queue.leading = False
        for job in group:
            job.done.set()


def _run(
    group: list[_Job],
    make_uow: MakeUnitOfWork,
    converted: Callable[[BaseException], BaseException | None],
) -> None:
    """Each job in a savepoint of one serialised transaction, committed once."""
    ok: list[_Job] = []
    try:
        with make_uow().serialized() as uow:
            if len(group) == 1:
                group[0].result = group[0].fn(uow)
                ok.append(group[0])
            else:
                for job in group:
                    savepoint = uow.session.begin_nested()
                    try:
                        job.result = job.fn(uow)
                    except Exception as error:  # its own: roll back to before it
                        savepoint.rollback()
                        job.error = converted(error) or error
                        if job.error is not error:
                            job.error.__cause__ = error
                    else:
                        savepoint.commit()
                        ok.append(job)
            uow.commit()
    except BaseException as error:  # the transaction failed: nothing of it is stored
        for job in ok:
            job.result, job.error = None, error
        for job in group:
            if job.error is None and job not in ok:
                job.error = error
        if not isinstance(error, Exception):
            raise
