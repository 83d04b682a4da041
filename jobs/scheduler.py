"""The clock process: APScheduler runs one job, the tick, at the top of every minute.

No per-workspace jobs and no shared job store: what is due is found by query and claimed in the
ledger, so any number of clock processes may run side by side.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from apscheduler.events import EVENT_SCHEDULER_STARTED
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
