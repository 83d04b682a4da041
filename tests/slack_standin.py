"""The Web API stand-in the tests drive Bravo against, plus helpers to sign requests like Slack.

The stand-in itself lives in `bot/standin.py` because `bravo demo` runs against it too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from bot.standin import BOT_USER, Call, SlackStandIn, blocks_text

__all__ = ["BOT_USER", "Call", "SlackStandIn", "blocks_text", "SignedClient", "Reply", "sign"]


def sign(secret: str, timestamp: str, body: bytes) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class Reply:
    status: int
    body: bytes
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    @property
    def text(self) -> str:
        """What the user reads in the ack: text and blocks as plain text."""
        data = self.json() or {}
        return "\n".join(filter(None, [data.get("text", ""), blocks_text(data.get("blocks"))]))


class SignedClient:
    """Sends requests to Bravo the way Slack does: form or JSON bodies, signed with the secret."""

    def __init__(self, base_url: str, secret: str, standin: SlackStandIn) -> None:
        self.base_url = base_url.rstrip("/")
        self.secret = secret
        self.standin = standin

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        path: str = "/slack/events",
        headers: dict[str, str] | None = None,
    ) -> Reply:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        request = urllib.request.Request(
            self.base_url + path,
            data=body,
            method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": signature or sign(self.secret, ts, body),
            }
            | (headers or {}),
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return Reply(response.status, response.read(), time.perf_counter() - started)
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read(), time.perf_counter() - started)

    def command(
        self,
        command: str,
        text: str,
        *,
        user: str = "U0GIVER",
        channel: str = "C0SUPPORT",
        team: str = "T0001",
        **kwargs: Any,
    ) -> Reply:
        form = {
            "team_id": team,
            "team_domain": "acme",
            "channel_id": channel,
            "channel_name": "support",
            "user_id": user,
            "command": command,
            "text": text,
            "api_app_id": "A0BRAVO",
            "is_enterprise_install": "false",
            "response_url": self.standin.response_url("cmd"),
            "trigger_id": "1337.42.abcdef",
        }
        body = urllib.parse.urlencode(form).encode()
        return self.post(body, "application/x-www-form-urlencoded", **kwargs)

    def kudos(self, text: str, **kwargs: Any) -> Reply:
        return self.command("/kudos", text, **kwargs)

    def interaction(self, payload: dict[str, Any], **kwargs: Any) -> Reply:
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded", **kwargs)

    def event(self, envelope: dict[str, Any], **kwargs: Any) -> Reply:
        return self.post(json.dumps(envelope).encode(), "application/json", **kwargs)
