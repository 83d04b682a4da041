"""The posting pool (`jobs.fanout.Fanout`) once closed: no worker starts after `close()` took
its list of workers to stop (a delayed job handed back by the timer, a job submitted late), so
`close()` never waits for a worker that was not told to stop, and no thread is left behind."""

from __future__ import annotations

import threading

from jobs.fanout import Fanout


def test_a_closed_pool_starts_no_worker():
    pool = Fanout(4)
    ran = threading.Event()
    pool.submit(None, ran.set)
    assert pool.join() == [None] and ran.is_set()  # a positive marker: the pool worked
    pool.close()
    [worker] = pool._workers
    assert not worker.is_alive()  # its one worker stopped
    late = threading.Event()
    pool.submit(None, late.set)  # after close: nothing runs it, and no thread starts for it
    assert pool._workers == [worker]
    assert not late.wait(0.1)
