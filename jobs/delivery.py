"""One Web API call and every way it can end: a response, or an Outcome saying what to do next.

A definite refusal (`ok: false`, 429) is FAILED and may be retried; a timeout or a 5xx is UNKNOWN
(the message may exist) and must never be re-sent blindly.
"""

from __future__ import annotations

import urllib.error
from collections.abc import Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.domain.model import OutboxStatus


class Outcome(Exception):
    """How a call ended when it did not succeed: what to do next, and Slack's error name (which
    `bot.domain.ledger` classifies)."""

    def __init__(self, status: OutboxStatus, error: str, retry_after: float | None = None):
        super().__init__(status, error)
        self.status, self.error, self.retry_after = status, error, retry_after


def call_slack(method: Callable[..., SlackResponse], **args: object) -> SlackResponse:
    """Run one Web API call and turn every way it can end into an Outcome or a response."""
    try:
        return method(**args)
    except SlackApiError as exc:
        status_code = exc.response.status_code
        if status_code == 429:
            retry = float(
                exc.response.headers.get("Retry-After", exc.response.headers.get("retry-after", 1))
            )
            raise Outcome(OutboxStatus.FAILED, "ratelimited", retry) from exc
        if status_code >= 500:
            raise Outcome(OutboxStatus.UNKNOWN, f"HTTP {status_code}") from exc
        raise Outcome(OutboxStatus.FAILED, str(exc.response.get("error", "error"))) from exc
    except TimeoutError as exc:
        raise Outcome(OutboxStatus.UNKNOWN, f"timeout: {exc}") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, ConnectionRefusedError):
            raise Outcome(OutboxStatus.FAILED, "connection refused") from exc
        raise Outcome(OutboxStatus.UNKNOWN, f"network: {exc.reason}") from exc
