"""SQLite's WAL checkpoints, off the request threads.

By default SQLite checkpoints inside the commit that takes the write-ahead log past 1,000 pages
(`wal_autocheckpoint`): that commit copies the log into the database file and waits for its
fsync. About one `/kudos` in 80 paid for that, 15-20 ms on top of its 4 (the p99 of a single
client was 22 ms against a p50 of 4), and every other request thread of its worker waited
behind it for the process's writer lock. A web worker's engine therefore checkpoints only past
`BACKSTOP_PAGES`, a bound that holds if this thread ever stalls, and the `Checkpointer` thread
runs a PASSIVE checkpoint every `EVERY` seconds: it never waits for readers or writers, and
what it cannot copy now it copies next time.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)

# The web engine's own checkpoint threshold (pages of the log; SQLite's default is 1,000).
BACKSTOP_PAGES = 10_000
# How often the checkpointer copies the log (seconds).
EVERY = 0.5


class Checkpointer:
    """A daemon thread that checkpoints the engine's SQLite database every `every` seconds."""

    def __init__(self, engine: Engine, *, every: float = EVERY) -> None:
        self.engine = engine
        self.every = every
        self.last: tuple[int, int, int] | None = None  # what the latest checkpoint reported
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._failing = False

    def start(self) -> Checkpointer:
        self._thread = threading.Thread(target=self._loop, name="bravo-checkpointer", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run_once(self) -> tuple[int, int, int]:
        """One PASSIVE checkpoint: (busy, pages in the log, pages copied), as SQLite reports."""
        with self.engine.connect() as connection:
            busy, pages, copied = connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").one()
        self.last = (busy, pages, copied)
        return self.last

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.run_once()
            except Exception as error:  # noqa: BLE001 - said once, then again when it recovers
                if not self._failing:
                    log.warning(
                        "WAL checkpoint failed (SQLite checkpoints itself past "
                        "%d pages meanwhile): %s",
                        BACKSTOP_PAGES,
                        error,
                        exc_info=not isinstance(error, SQLAlchemyError),
                    )
                self._failing = True
                continue
            if self._failing:
                log.warning("WAL checkpoints run again")
                self._failing = False
