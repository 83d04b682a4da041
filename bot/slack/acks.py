"""An ack that stays given. When a listener raises after `ack()`, Bolt 1.30's thread runner
sets `ack.response` back to None (`listener_runner`: "already acknowledged" -> None); if the
request thread had not yet seen the ack, it waits out the 3 s and answers Slack 404, and the
user sees "this app did not respond". Slack has had its answer the moment `ack()` ran, so
once given, the ack is kept: the error handler tells the user what went wrong instead."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import Ack, BoltContext, BoltResponse


class SettledAck(Ack):
    def __init__(self) -> None:
        self._response: BoltResponse | None = None
        super().__init__()

    @property  # type: ignore[override]
    def response(self) -> BoltResponse | None:
        return self._response

    @response.setter
    def response(self, value: BoltResponse | None) -> None:
        if value is not None or self._response is None:
            self._response = value


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
