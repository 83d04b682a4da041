"""`bravo serve`: the WSGI app under gunicorn, one Bolt app and engine per worker process,
and beside them the outbox sender, which posts what the workers stored."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time

from gunicorn.app.base import BaseApplication

from bot.settings import Settings

log = logging.getLogger(__name__)


class BravoServer(BaseApplication):
    def __init__(self, settings: Settings, options: dict[str, object]) -> None:
        self.settings = settings
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        # Runs in each worker after the fork, so no engine or socket is shared between workers.
        from bot.entrypoints.runtime import build_app, build_runtime, settle, start_checkpointer
        from bot.slack.wsgi import build_wsgi

        runtime = build_runtime(self.settings, web=True)
        application = build_wsgi(
            build_app(runtime), signing_secret=runtime.signing_secret, healthy=runtime.healthy
        )
        settle()
        self.checkpointer = start_checkpointer(runtime)
        return application


# A sender up this long started for real; one that died sooner is backed off further.
SETTLED_AFTER = 30.0
# How long the senders get to finish what they claimed when the server stops (all together).
STOP_WAIT = 10.0


class Sender:
    """The outbox senders as child processes of gunicorn's arbiter, `BRAVO_SENDER_PROCESSES` of
    them (several are safe: each claims what it sends; one is a core at most, and a burst of
    /kudos leaves two messages each), at the lowest CPU priority (nice 19) so a burst of
    requests is acked first and announced a moment later. A watchdog thread restarts any that
    dies (killed, out of memory): nothing would be announced otherwise, silently."""

    def __init__(
        self,
        *,
        count: int,
        check_every: float = 1.0,
        settled_after: float = SETTLED_AFTER,
        backoff: float = 1.0,
    ) -> None:
        self.processes: list[subprocess.Popen | None] = [None] * max(1, count)
        self.started_at = [0.0] * len(self.processes)
        self.check_every = check_every
        self.settled_after = settled_after
        self.backoff = backoff  # the first restart's wait; doubled per failure up to 30 times it
        self.stopping = threading.Event()
        self._lock = threading.Lock()  # a spawn and stop() do not cross

    def start(self, _arbiter=None) -> None:
        for slot in range(len(self.processes)):
            self._spawn(slot)
        threading.Thread(target=self._watch, name="bravo-sender-watchdog", daemon=True).start()

    def _spawn(self, slot: int) -> None:
        with self._lock:
            if self.stopping.is_set():
                return
            self.processes[slot] = subprocess.Popen(self.command(), preexec_fn=lambda: os.nice(19))
            self.started_at[slot] = time.monotonic()

    def command(self) -> list[str]:
        return [sys.executable, "-m", "bot.entrypoints.cli", "sender"]

    def _watch(self) -> None:
        failures = [0] * len(self.processes)
        restart_at: list[float | None] = [None] * len(self.processes)
        while not self.stopping.wait(self.check_every):
            for slot, process in enumerate(self.processes):
                code = process.poll() if process else None
                if code is None:
                    # Up long enough to have started for real: a sender that dies at start-up
                    # (a bad setting) keeps backing off instead.
                    if time.monotonic() - self.started_at[slot] >= self.settled_after:
                        failures[slot] = 0
                    continue
                if restart_at[slot] is None:
                    failures[slot] += 1
                    # back off a sender that keeps dying
                    wait = self.backoff * min(30.0, 2.0 ** (failures[slot] - 1))
                    log.error("outbox sender exited (code %s); restarting it in %.0f s", code, wait)
                    restart_at[slot] = time.monotonic() + wait - self.check_every
                if time.monotonic() >= restart_at[slot]:
                    restart_at[slot] = None
                    self._spawn(slot)

    def stop(self, _arbiter=None) -> None:
        with self._lock:
            self.stopping.set()
            running = [p for p in self.processes if p and p.poll() is None]
        for process in running:
            process.terminate()
        deadline = time.monotonic() + STOP_WAIT
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()


def serve(settings: Settings, *, workers: int, threads: int, sender: bool = True) -> None:
    bind = f"0.0.0.0:{settings.port}"
    child = Sender(count=settings.sender_processes) if sender else None

    def when_ready(arbiter) -> None:
        log.info(
            "HTTP mode: listening on %s (%d workers x %d threads), %s",
            bind,
            workers,
            threads,
            f"outbox senders started: {len(child.processes)}"
            if child
            else "outbox sender off (run `bravo sender`)",
        )
        if child:
            child.start(arbiter)

    hooks: dict[str, object] = {"when_ready": when_ready}
    if child:
        hooks["on_exit"] = child.stop
    BravoServer(
        settings,
        hooks
        | {
            "bind": bind,
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "timeout": 30,
            "graceful_timeout": 10,
            "keepalive": 5,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": settings.log_level.lower(),
        },
    ).run()
