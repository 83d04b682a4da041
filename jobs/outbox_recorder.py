"""Writing the sender's outcomes in batches: one transaction for many messages, off the workers.

Workers hand each outcome to a `Recorder` right after its send and go on sending; a thread of
its own writes what waits every `every` seconds (or at once when `most` wait) in one
transaction. A process that dies before its outcomes are written leaves those messages
`sending`: `jobs.recovery` settles them from Slack's history like any other claim a dead sender
left (found: sent; absent: sent once; history unreadable: unknown). A write that fails is
tried again with what came since; `close()` writes the rest before returning.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence

from bot.domain.outbox import Result

log = logging.getLogger(__name__)

# How long an outcome may wait to be written, and how many are written at once at most.
RECORD_EVERY = 0.15
RECORD_MOST = 100
# Tries of the last write on close (a busy database), `RECORD_EVERY` apart.
CLOSE_TRIES = 5


class Recorder:
    """`add(result)` from any thread; `close()` writes what waits and stops the writer thread;
    `abandon()` stops it writing nothing more (the process is dying: recovery settles the rest).
    """

    def __init__(
        self,
        write: Callable[[Sequence[Result]], None],
        *,
        every: float | None = None,
        most: int | None = None,
    ) -> None:
        self._write = write
        self.every = RECORD_EVERY if every is None else every
        self.most = RECORD_MOST if most is None else most
        self._waiting: list[Result] = []
        self._since = 0.0  # when the oldest waiting outcome came
        self._cond = threading.Condition()
        self._closed = False
        self._failures = 0
        self._thread = threading.Thread(target=self._run, name="bravo-outbox-record", daemon=True)
        self._thread.start()

    def add(self, result: Result) -> None:
        with self._cond:
            first = not self._waiting
            if first:
                self._since = time.monotonic()
            self._waiting.append(result)
            if first or len(self._waiting) >= self.most:  # the writer's wait starts, or ends
                self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join()

    def abandon(self) -> None:
        with self._cond:
            self._waiting.clear()
            self._closed = True
            self._cond.notify_all()
        self._thread.join()

    # -- inside --------------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._closed and not self._due():
                    wait = self._since + self._delay() - time.monotonic()
                    self._cond.wait(wait if self._waiting else None)
                batch, self._waiting = self._waiting[: self.most], self._waiting[self.most :]
                if self._waiting:
                    self._since = time.monotonic()
                closed = self._closed
            if not batch:
                if closed:
                    return
            elif not self._flush(batch) and closed:
                if self._failures >= CLOSE_TRIES:
                    self._give_up()
                    return
                time.sleep(self.every)

    def _due(self) -> bool:
        """Whether the waiting outcomes are to be written now."""
        if len(self._waiting) >= self.most and not self._failures:
            return True
        return bool(self._waiting) and time.monotonic() - self._since >= self._delay()

    def _delay(self) -> float:
        """`every`, longer after failed writes (a database that is down is not hammered)."""
        return self.every * min(2**self._failures, 64)

    def _flush(self, batch: list[Result]) -> bool:
        try:
            self._write(batch)
        except Exception:
            self._failures += 1
            log.exception("outbox: recording %d outcomes failed; trying again", len(batch))
            with self._cond:  # back in front, to be written with what came since
                self._waiting[:0] = batch
                self._since = time.monotonic()
            return False
        self._failures = 0
        return True

    def _give_up(self) -> None:
        with self._cond:
            left, self._waiting = self._waiting, []
        log.error(
            "outbox: %d outcomes not recorded (ids %s); left `sending`, reconciled from "
            "Slack's history after a few minutes",
            len(left),
            [r.message.id for r in left],
        )
