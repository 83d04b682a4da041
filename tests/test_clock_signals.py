"""Stopping the clock (`jobs.scheduler.run_until_stopped`): Ctrl-C or SIGTERM asks for a stop
that another thread carries out, wherever the main thread is. Left to Python's default, a
Ctrl-C that came while APScheduler was telling its listeners the clock had started (the "clock
started" line being written) was caught by APScheduler as a listener's error, and the clock
ran on. A second signal has its usual effect (a second Ctrl-C stops at once)."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
from apscheduler.events import EVENT_SCHEDULER_STARTED

from jobs.scheduler import build_scheduler, run_until_stopped


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_inside_the_started_listener_stops_the_clock(signum):
    scheduler = build_scheduler(lambda: None)
    heard = []

    def interrupt(_event) -> None:
        os.kill(os.getpid(), signum)
        time.sleep(0.2)  # the signal is handled here, inside APScheduler's listener
        heard.append(signal.getsignal(signum))  # a second one would have its usual effect

    scheduler.add_listener(interrupt, EVENT_SCHEDULER_STARTED)
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    watchdog = threading.Timer(10, scheduler.shutdown)  # a clock that ran on fails the test
    watchdog.start()
    started = time.monotonic()
    try:
        ctrl_c = run_until_stopped(scheduler)
    finally:
        watchdog.cancel()
    usual = before[0] if signum == signal.SIGINT else before[1]
    assert heard == [usual]  # a positive marker: the listener ran and saw its signal through
    assert time.monotonic() - started < 5
    assert ctrl_c is (signum == signal.SIGINT)
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before
