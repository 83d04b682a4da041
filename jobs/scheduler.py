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

    The signal only asks for a stop, which another thread carries out. Left to Python's default,
    Ctrl-C raised KeyboardInterrupt wherever the main thread was, and inside an APScheduler
    listener (the "clock started" line being written) APScheduler caught it as a listener's
    error and ran on. A tick that is running finishes first."""
    interrupted = threading.Event()

    def stop() -> None:  # the scheduler may not be running yet: the signal came early
        deadline = time.monotonic() + wait_start
        while True:
            try:
                scheduler.shutdown()
                return
            except SchedulerNotRunningError:
                if time.monotonic() > deadline:
                    return
                time.sleep(0.05)

    def asked(signum: int, _frame: object) -> None:
        if signum == signal.SIGINT:
            interrupted.set()
        threading.Thread(target=stop, name="bravo-clock-stop", daemon=True).start()

    before = {s: signal.signal(s, asked) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        scheduler.start()
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)
    return interrupted.is_set()
