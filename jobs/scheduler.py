"""The clock process: APScheduler runs one job, the tick, at the top of every minute.

No per-workspace jobs and no shared job store: what is due is found by query and claimed in the
ledger, so any number of clock processes may run side by side.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable

from apscheduler.events import EVENT_SCHEDULER_STARTED
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

log = logging.getLogger(__name__)


def build_scheduler(run_tick: Callable[[], object], *, blocking: bool = True) -> BaseScheduler:
    scheduler: BaseScheduler = (BlockingScheduler if blocking else BackgroundScheduler)(
        timezone="UTC"
    )
    scheduler.add_job(
        _safely(run_tick),
        CronTrigger(second=0, timezone="UTC"),
        id="bravo-tick",
        max_instances=1,
        coalesce=True,
        misfire_grace_time=50,
    )
    scheduler.add_listener(
        lambda _event: log.info("clock started: one tick at the top of every minute (UTC)"),
        EVENT_SCHEDULER_STARTED,
    )
    return scheduler


def _safely(run_tick: Callable[[], object]) -> Callable[[], None]:
    def job() -> None:
        try:
            run_tick()  # it logs what it posted
        except Exception:
            # One bad tick must not stop the clock; the next minute tries again.
            log.exception("tick failed")

    return job


def run_until_stopped(scheduler: BaseScheduler, *, wait_start: float = 10.0) -> bool:
    """Run a blocking scheduler until SIGINT or SIGTERM; True when it was SIGINT (Ctrl-C).

    The signal only asks for a stop, which a thread started beforehand carries out (a running
    tick finishes first), and gives the signals back their usual effect, so a second Ctrl-C
    stops at once. Left to Python's default, Ctrl-C raised KeyboardInterrupt wherever the main
    thread was, and inside an APScheduler listener (the "clock started" line being written)
    APScheduler caught it as that listener's error and ran on."""
    asked, done, interrupted = threading.Event(), threading.Event(), threading.Event()
    signals = (signal.SIGINT, signal.SIGTERM)
    before = {signum: signal.getsignal(signum) for signum in signals}

    def restore() -> None:
        for signum, handler in before.items():
            signal.signal(signum, handler)

    def stop() -> None:
        asked.wait()
        deadline = time.monotonic() + wait_start  # a signal may come before the start
        while not done.is_set():
            try:
                scheduler.shutdown()
                return
            except SchedulerNotRunningError:
                if time.monotonic() > deadline:
                    return
                time.sleep(0.05)

    def on_signal(signum: int, _frame: object) -> None:  # only sets events: signal-safe
        if signum == signal.SIGINT:
            interrupted.set()
        restore()
        asked.set()

    threading.Thread(target=stop, name="bravo-clock-stop", daemon=True).start()
    for signum in signals:
        signal.signal(signum, on_signal)
    try:
        scheduler.start()
    finally:
        done.set()
        asked.set()
        restore()
    return interrupted.is_set()
