"""`bravo serve`: the WSGI app under gunicorn, one Bolt app and engine per worker process,
and beside them the outbox sender, which posts what the workers stored."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading

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
        from bot.entrypoints.runtime import build_app, build_runtime
        from bot.slack.wsgi import build_wsgi

        runtime = build_runtime(self.settings, web=True)
        return build_wsgi(
            build_app(runtime), signing_secret=runtime.signing_secret, healthy=runtime.healthy
        )


class Sender:
    """The outbox sender as a child process of gunicorn's arbiter, at the lowest CPU priority
    (nice 19) so a burst of requests is acked first and announced a moment later. A watchdog
    thread restarts it if it dies (killed, out of memory): nothing would be announced
    otherwise, silently."""

    def __init__(self, *, check_every: float = 1.0) -> None:
        self.process: subprocess.Popen | None = None
        self.check_every = check_every
        self.stopping = threading.Event()

    def start(self, _arbiter=None) -> None:
        self._spawn()
        threading.Thread(target=self._watch, name="bravo-sender-watchdog", daemon=True).start()

    def _spawn(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.entrypoints.cli", "sender"], preexec_fn=lambda: os.nice(19)
        )

    def _watch(self) -> None:
        failures = 0
        while not self.stopping.wait(self.check_every):
            code = self.process.poll() if self.process else None
            if code is None:
                failures = 0
                continue
            failures += 1
            wait = min(30.0, 2.0 ** (failures - 1)) - 1  # back off a sender that keeps dying
            log.error("outbox sender exited (code %s); restarting it in %.0f s", code, wait + 1)
            if self.stopping.wait(max(wait, 0)):
                return
            self._spawn()

    def stop(self, _arbiter=None) -> None:
        self.stopping.set()
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def serve(settings: Settings, *, workers: int, threads: int, sender: bool = True) -> None:
    bind = f"0.0.0.0:{settings.port}"
    child = Sender() if sender else None

    def when_ready(arbiter) -> None:
        log.info(
            "HTTP mode: listening on %s (%d workers x %d threads), outbox sender %s",
            bind,
            workers,
            threads,
            "started" if child else "off (run `bravo sender`)",
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
