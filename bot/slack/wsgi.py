"""The WSGI application gunicorn serves: Slack's endpoints through Bolt, plus `/healthz`."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

HEALTH_PATH = "/healthz"


def build_wsgi(app: App, *, healthy: Callable[[], bool]) -> Callable[..., Iterable[bytes]]:
    """Route `/healthz` to a database check and everything else to Bolt (`/slack/events`, OAuth)."""
    slack = SlackRequestHandler(app)

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH:
            ok = healthy()
            body = json.dumps({"ok": ok}).encode()
            start_response(
                "200 OK" if ok else "503 Service Unavailable",
                [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
            )
            return [body]
        return slack(environ, start_response)

    return application
