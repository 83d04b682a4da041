"""Posting many messages at once: a bounded pool of workers that honours Slack's limit per channel.

A scheduled burst or an outbox backlog spends its time waiting on Slack (~100 ms a call), so N
threads post at once. Each item is posted by one worker, which records its own outcome right
after its own send: a crash loses at most the N items in flight, which `jobs.recovery`
reconciles. A 429 holds only its channel: the `Retry-After` is kept per channel in a
`ChannelGate`, and an item waiting for a held channel waits in a heap, not in a worker, so one
limited or slow workspace never holds up the others.
"""

from __future__ import annotations

import heapq
import itertools
import queue
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

Now = Callable[[], float]


class ChannelGate:
    """When each channel may next be posted to, after Slack said 429 there (thread-safe)."""

    def __init__(self, now: Now = time.monotonic) -> None:
        self.now = now
        self._free_at: dict[Hashable, float] = {}
        self._lock = threading.Lock()

    def hold(self, key: Hashable, seconds: float) -> float:
        """Keep `key` closed for `seconds` from now (never shortening a longer hold); the
        instant it opens again."""
        with self._lock:
            free_at = max(self._free_at.get(key, 0.0), self.now() + seconds)
            self._free_at[key] = free_at
            return free_at

    def free_at(self, key: Hashable) -> float:
        with self._lock:
            return self._free_at.get(key, 0.0)

    def wait(self, key: Hashable) -> float:
        """Seconds until `key` may be posted to (0 when it may now)."""
        return max(0.0, self.free_at(key) - self.now())


class Refusals:
    """Which channels of each workspace Slack refused with 429 lately, to tell one channel's
    limit (about a message a second) from the workspace's: refusals in two or more channels of
    a workspace within `window` seconds are the workspace's limit (thread-safe)."""

    KEPT = 4096  # workspaces remembered before the quiet ones are forgotten

    def __init__(self, window: float = 5.0, now: Now = time.monotonic) -> None:
        self.window, self.now = window, now
        self._seen: dict[Hashable, dict[Hashable, float]] = {}
        self._lock = threading.Lock()

    def workspace_limited(self, workspace: Hashable, channel: Hashable) -> bool:
        """Note a 429 in `channel` of `workspace`; whether the workspace's limit was reached."""
        with self._lock:
            now = self.now()
            recent = {
                c: at for c, at in self._seen.get(workspace, {}).items() if now - at <= self.window
            }
            recent[channel] = now
            self._seen[workspace] = recent
            if len(self._seen) > self.KEPT:
                self._seen = {
                    w: seen
                    for w, seen in self._seen.items()
                    if any(now - at <= self.window for at in seen.values())
                }
            return len(recent) >= 2


@dataclass(frozen=True, slots=True)
class Later:
    """A job's answer when Slack refused it with 429: run it again `seconds` from now."""

    seconds: float


Job = Callable[[], Any]


@dataclass(frozen=True, slots=True)
class _Item:
    n: int  # submission order
    key: Hashable | None
    job: Job
    give_up: Job | None


class Fanout:
    """`with Fanout(workers) as pool: pool.submit(key, job, give_up)`, then `pool.join()`.

    `job()` returns its result, or `Later(seconds)`: the key's channel is then held that long
    and the job runs again once it opens, unless that is past `patience` seconds from the
    start, when `give_up()` gives the result instead (the job is left for a later retry).
    `submit` blocks while `workers * backlog` items wait or run, so the caller keeps claiming
    work only as fast as it is posted. `join` waits for every item and returns the results in
    the order the items were submitted. A job that raises stops the pool like a crash stops a
    loop: items not started yet are dropped (an outbox message stays waiting, a ledger row
    claimed, for recovery) and `join` raises the error once the running ones finished.
    """

    def __init__(
        self,
        workers: int,
        *,
        gate: ChannelGate | None = None,
        backlog: int = 8,
        patience: float = 45.0,
        keep: bool = True,
        now: Now = time.monotonic,
    ) -> None:
        """`keep=False`: results are dropped (a long-running sender never joins)."""
        self.gate = gate or ChannelGate(now)
        self.now, self.keep = now, keep
        self._deadline = now() + patience
        # Workers take items from a plain queue: an executor's Future per item (a Condition
        # each) cost a 10,000-post burst about 4% of its CPU.
        self._queue: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        self._workers: list[threading.Thread] = []
        self._size = max(1, workers)
        self._room = threading.Semaphore(max(1, workers) * backlog)
        self._cond = threading.Condition()
        self._delayed: list[tuple[float, int, _Item]] = []
        self._order = itertools.count()
        self._pending = 0
        self._results: dict[int, Any] = {}
        self._errors: list[BaseException] = []
        self._closed = False
        self._timer: threading.Thread | None = None

    def __enter__(self) -> Fanout:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def submit(self, key: Hashable | None, job: Job, give_up: Job | None = None) -> None:
        """Run `job` on a worker once `key`'s channel is open (None: no channel to wait for)."""
        self._room.acquire()
        with self._cond:
            self._pending += 1
            item = _Item(next(self._order), key, job, give_up)
        self._dispatch(item)

    def join(self) -> list[Any]:
        with self._cond:
            while self._pending:
                self._cond.wait()
            results, self._results = self._results, {}
            errors, self._errors = self._errors, []
        if errors:
            raise errors[0]
        return [results[n] for n in sorted(results)]

    @property
    def busy(self) -> int:
        """Items waiting or running."""
        with self._cond:
            return self._pending

    def close(self) -> None:
        with self._cond:  # no worker starts after this (`_start_worker`), so each gets its None
            self._closed = True
            self._cond.notify_all()
            workers = list(self._workers)
        for _ in workers:
            self._queue.put(None)
        for worker in workers:
            worker.join()

    # -- inside --------------------------------------------------------------------------------
    def _dispatch(self, item: _Item) -> None:
        if item.key is not None and self.gate.wait(item.key) > 0:
            self._delay(self.gate.free_at(item.key), item)
        else:
            self._queue.put(item)
            if len(self._workers) < self._size:  # started as the work comes, like an executor's
                self._start_worker()

    def _start_worker(self) -> None:
        with self._cond:
            if self._closed or len(self._workers) >= self._size:
                return
            worker = threading.Thread(
                target=self._work, name=f"bravo-post_{len(self._workers)}", daemon=True
            )
            self._workers.append(worker)
        worker.start()

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            self._run(item)

    def _run(self, item: _Item) -> None:
        if self._errors:  # read without the lock: at worst one more item starts
            self._finish(item, None, None)
            return
        try:
            result = item.job()
            if isinstance(result, Later):
                opens = self.gate.hold(item.key, result.seconds)
                if opens <= self._deadline or item.give_up is None:
                    self._dispatch(item)
                    return
                result = item.give_up()
        except BaseException as error:  # noqa: BLE001 - handed to join(), which raises it
            self._finish(item, None, error)
            return
        self._finish(item, result, None)

    def _finish(self, item: _Item, result: Any, error: BaseException | None) -> None:
        with self._cond:
            if error is None:
                if self.keep and not self._errors:
                    self._results[item.n] = result
            else:
                self._errors.append(error)
            self._pending -= 1
            self._cond.notify_all()
        self._room.release()

    def _delay(self, at: float, item: _Item) -> None:
        with self._cond:
            heapq.heappush(self._delayed, (at, item.n, item))
            if self._timer is None:
                self._timer = threading.Thread(
                    target=self._release_delayed, name="bravo-post-timer", daemon=True
                )
                self._timer.start()
            self._cond.notify_all()

    def _release_delayed(self) -> None:
        """Hand each delayed item to the pool when its channel opens."""
        while True:
            with self._cond:
                while not self._closed:
                    wait = self._delayed[0][0] - self.now() if self._delayed else None
                    if wait is not None and wait <= 0:
                        break
                    self._cond.wait(wait)
                if self._closed:
                    return
                item = heapq.heappop(self._delayed)[2]
            self._dispatch(item)
