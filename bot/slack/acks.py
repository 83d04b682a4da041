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

On the request thread: a listener whose `ack()` is the last thing it does (`/kudos` with text)
runs on the request thread itself (`on_the_request_thread`, `ListenerExecutor`) instead of being
handed to Bolt's executor and waited for. The answer is the same and leaves at the same moment;
the hand-over between two threads is saved (3.26 against 3.55 ms of CPU per `/kudos`, measured
in-process; README, "Why the misses"). A listener with work after its ack stays in the
executor, so that work never holds the answer back. The price: such a listener holds its
request thread until it returns, where Bolt would free the thread after 3 s without an ack
(Slack shows the user a timeout either way). So a `/kudos` naming a user group, which asks
Slack for its members first, is not marked; one naming someone missing from the member cache
(which the clock keeps filled) asks Slack for them, within the client's timeout.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

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
        # Only the request thread waits, and only while the listener runs on another thread:
        # a listener on the request thread has given its ack, or never will, when this is read.
        if (
            self._response is None
            and threading.get_ident() == self._request_thread
            and not getattr(_inline, "running", False)
        ):
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
    _inline.next = False  # whatever an earlier request on this thread left
    ack = context.get("ack")
    if ack is None or ack.response is None:
        context["ack"] = SettledAck()
    next_()


def acknowledged(context: BoltContext) -> bool:
    """Whether Slack already has its answer (Bolt sends what `ack()` set, nothing later)."""
    ack = context.get("ack")
    return ack is not None and ack.response is not None


# Set by an `on_the_request_thread` middleware on the request thread; taken by the executor's
# next `submit`, which Bolt's runner calls right after the listener's middleware, on that same
# thread. `settle_acks` clears it first thing in every request.
_inline = threading.local()


def on_the_request_thread(when: Callable[[dict], bool]) -> Callable[..., None]:
    """A listener middleware: where `when(body)`, the listener runs on the request thread (see
    the module's doc). Only for requests whose listener does nothing after its `ack()`."""

    def middleware(body: dict, next_: Callable[[], None]) -> None:
        _inline.next = when(body)
        next_()

    return middleware


class ListenerExecutor(ThreadPoolExecutor):
    """Bolt's listener executor (`App(listener_executor=)`; Bolt's default is a pool of 5):
    runs a listener marked by `on_the_request_thread` at once on the calling thread."""

    def __init__(self) -> None:
        super().__init__(max_workers=5, thread_name_prefix="bravo-listener")

    def submit(self, fn, /, *args, **kwargs) -> Future:  # type: ignore[override]
        if not getattr(_inline, "next", False):
            return super().submit(fn, *args, **kwargs)
        _inline.next = False
        future: Future = Future()
        _inline.running = True
        try:  # Bolt's runner catches what the listener raises: this is for anything else
            future.set_result(fn(*args, **kwargs))
        except Exception as error:
            future.set_exception(error)
        finally:
            _inline.running = False
        return future
