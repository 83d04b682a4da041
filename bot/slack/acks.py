"""An ack that stays given, and is answered the moment it is given.

Kept: when a listener raises after `ack()`, Bolt 1.30's thread runner sets `ack.response` back
to None (`listener_runner`: "already acknowledged" -> None); if the request thread had not yet
seen the ack, it waits out the 3 s and answers Slack 404, and the user sees "this app did not
respond". Slack has had its answer the moment `ack()` ran, so once given, the ack is kept: the
error handler tells the user what went wrong instead.

Prompt: the request thread polls `ack.response` every 10 ms while the listener runs in Bolt's
executor (`ThreadListenerRunner`), so every answer waited for the next poll: 10 ms for a
listener that took 1 ms. Here the request thread's read waits on an event that `ack()` sets,
so Slack gets its answer as soon as it exists; the runner's own deadline is unchanged.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from slack_bolt import Ack, BoltContext, BoltResponse

# How long one read by the request thread waits for the ack: Bolt's own poll interval, so the
# runner's loop (and its 3 s deadline check) runs at least as often as before.
ACK_WAIT = 0.01


class SettledAck(Ack):
    def __init__(self) -> None:
        self._response: BoltResponse | None = None
        self._given = threading.Event()
        self._request_thread = threading.get_ident()  # made by a middleware, on that thread
        super().__init__()

    @property  # type: ignore[override]
    def response(self) -> BoltResponse | None:
        if self._response is None and threading.get_ident() == self._request_thread:
            self._given.wait(ACK_WAIT)
        return self._response

    @response.setter
    def response(self, value: BoltResponse | None) -> None:
        if value is not None or self._response is None:
            self._response = value
        if value is not None:
            self._given.set()


def settle_acks(context: BoltContext, next_: Callable[[], None]) -> None:
    """A global middleware: the request's ack becomes a `SettledAck` before any listener runs."""
    ack = context.get("ack")
    if ack is None or ack.response is None:
        context["ack"] = SettledAck()
    next_()


def acknowledged(context: BoltContext) -> bool:
    """Whether Slack already has its answer (Bolt sends what `ack()` set, nothing later)."""
    ack = context.get("ack")
    return ack is not None and ack.response is not None
