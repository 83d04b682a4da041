"""The watchdog of `bravo serve`'s senders backs off a sender that keeps dying soon after it
starts (a bad setting), even when each one lives past a check: it used to count a sender alive
at any check as healthy, and restarted a failing one every couple of seconds forever. A
sender that ran long enough is restarted at once again after its next death."""

from __future__ import annotations

import sys
import time
from itertools import pairwise

from bot.entrypoints.server import Sender


class Dying(Sender):
    """A 'sender' that lives `life` seconds, then exits with an error."""

    def __init__(self, life: float, **kwargs) -> None:
        self.life = life
        self.spawned: list[float] = []
        super().__init__(count=1, **kwargs)

    def command(self) -> list[str]:
        self.spawned.append(time.monotonic())
        return [sys.executable, "-c", f"import time, sys; time.sleep({self.life}); sys.exit(3)"]


def spawns_within(sender: Dying, seconds: float) -> int:
    sender.start()
    time.sleep(seconds)
    sender.stop()
    return len(sender.spawned)


def test_a_sender_that_dies_after_each_start_is_backed_off():
    # Alive at several checks each time, dead 0.15 s after each start. With the back-off the
    # waits are 0.1, 0.2, 0.4, 0.8 s: about 5 starts in 2.5 s; without it about 10.
    sender = Dying(0.15, check_every=0.02, settled_after=5.0, backoff=0.1)
    starts = spawns_within(sender, 2.5)
    assert 3 <= starts <= 6, starts


def test_a_sender_that_ran_long_enough_is_restarted_at_once():
    # Each death after a settled run waits the first back-off only, so the time from one start
    # to the next stays level; backing off would add 0.1, 0.2, 0.4, 0.8 s. (Counting starts in
    # a window depended on how fast a loaded machine starts Python.)
    sender = Dying(0.3, check_every=0.02, settled_after=0.1, backoff=0.1)
    spawns_within(sender, 3.5)
    gaps = [later - earlier for earlier, later in pairwise(sender.spawned)]
    assert len(gaps) >= 4, gaps
    assert max(gaps[:4]) - min(gaps[:4]) < 0.35, gaps
