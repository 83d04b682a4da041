"""The WSGI application gunicorn serves: Slack's endpoints through Bolt behind the request
guard, plus `/healthz`."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.domain.health import Health
from bot.slack.guard import RequestGuard

HEALTH_PATH = "/healthz"
EVENTS_PATH = "/slack/events"


def build_wsgi(
    app: App, *, signing_secret: str, healthy: Callable[[], Health]
) -> Callable[..., Iterable[bytes]]:
    """Route `/healthz` to the database check, signed POSTs to `/slack/events` to Bolt, and the
    rest (OAuth pages) to Bolt as they are. There is no unverified mode: an empty
    `signing_secret` is refused here."""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)
    guarded = RequestGuard(signing_secret).wrap(slack)

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO")
        if path == HEALTH_PATH:
            return health_answer(healthy(), start_response)
        if path == EVENTS_PATH and environ.get("REQUEST_METHOD") == "POST":
            return guarded(environ, start_response)
        return slack(environ, start_response)

    return application


def health_answer(health: Health, start_response: Callable) -> list[bytes]:
    answer: dict[str, object] = {"ok": health.ok}
    if not health.ok:
        answer["reason"] = health.reason
    body = json.dumps(answer).encode()
    start_response(
        "200 OK" if health.ok else "503 Service Unavailable",
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
        ],
    )
    return [body]
