"""The gate in front of Bolt: what reaches `/slack/events` is small, signed by Slack and shaped
like something Slack sends. Anything else is refused with one log line and no traceback, before
Bolt parses a byte of it (Bolt answers a malformed body with a 500 and a traceback, to anyone)."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import parse_qs

log = logging.getLogger("bravo.guard")

MAX_SKEW = 5 * 60  # seconds between Slack's timestamp and ours, as Slack and Bolt allow
MAX_BODY = 1024 * 1024  # Slack's payloads are a few KB; a modal state is well under this
DRAIN = 4 * MAX_BODY  # an oversized body up to this is read away before the 413
FORM = "application/x-www-form-urlencoded"
JSON_TYPE = "application/json"


@dataclass(frozen=True)
class Refusal:
    status: int
    reason: str


class Malformed(ValueError):
    """The body is not what Slack sends (the message says what is wrong)."""


def check_shape(content_type: str, body: bytes) -> None:
    """Raise `Malformed` unless the body parses as a Slack request of its declared type, with
    the fields Bolt and Bravo read from it typed as Slack sends them."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Malformed("body is not UTF-8") from None
    media = content_type.split(";", 1)[0].strip().lower()
    if media == FORM:
        form = parse_qs(text, keep_blank_values=True)
        if "payload" in form:
            _interaction(_json_object(form["payload"][0], "payload"))
        elif "command" in form:
            missing = [f for f in COMMAND_FIELDS if not (form.get(f) or [""])[0]]
            if missing:
                raise Malformed(f"slash command without {', '.join(missing)}")
        else:
            raise Malformed("form is neither an interaction payload nor a slash command")
    elif media == JSON_TYPE:
        _event(_json_object(text, "body"))
    else:
        raise Malformed(f"unexpected content type {media or 'none'!r}")


COMMAND_FIELDS = ("command", "team_id", "user_id", "trigger_id")


def _json_object(text: str, what: str) -> dict:
    try:
        value = json.loads(text)
    except ValueError:
        raise Malformed(f"{what} is not valid JSON") from None
    if not isinstance(value, dict):
        raise Malformed(f"{what} is JSON {type(value).__name__}, not an object")
    if not isinstance(value.get("type"), str):
        raise Malformed(f"{what} has no type")
    return value


def _object(value: object, what: str) -> dict:
    if not isinstance(value, dict):
        raise Malformed(f"{what} is not an object")
    return value


def _event(body: dict) -> None:
    """An Events API delivery: a URL check, or an envelope around one event object."""
    if body["type"] == "url_verification":
        if not isinstance(body.get("challenge"), str):
            raise Malformed("url_verification without a challenge")
    elif body["type"] == "event_callback":
        event = _object(body.get("event"), "event")
        if not isinstance(event.get("type"), str):
            raise Malformed("event has no type")
        authorizations = body.get("authorizations", [])
        if not isinstance(authorizations, list) or not all(
            isinstance(a, dict) for a in authorizations
        ):
            raise Malformed("authorizations is not a list of objects")


def _interaction(payload: dict) -> None:
    """An interactivity payload: who, and what for its type (actions, a view, a callback)."""
    if not isinstance(_object(payload.get("user"), "user").get("id"), str):
        raise Malformed("user has no id")
    kind = payload["type"]
    if kind == "block_actions":
        actions = payload.get("actions")
        if not isinstance(actions, list) or not actions:
            raise Malformed("block_actions without actions")
        for action in actions:
            if not isinstance(_object(action, "action").get("action_id"), str):
                raise Malformed("action has no action_id")
    elif kind in ("view_submission", "view_closed"):
        view = _object(payload.get("view"), "view")
        if not isinstance(view.get("callback_id", ""), str):
            raise Malformed("view callback_id is not a string")
    elif kind in ("shortcut", "message_action") and not isinstance(payload.get("callback_id"), str):
        raise Malformed(f"{kind} without a callback_id")


class RequestGuard:
    """Checks one POST: size (413), signature and timestamp (401), shape (400)."""

    def __init__(
        self,
        signing_secret: str,
        *,
        max_body: int = MAX_BODY,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not signing_secret.strip():  # there is no unverified HTTP mode
            raise ValueError("a Slack signing secret is required")
        self.secret = signing_secret.encode()
        self.max_body = max_body
        self.clock = clock

    def signed(self, body: bytes, timestamp: str, signature: str) -> bool:
        """Slack's v0 signature over the raw bytes (slack_sdk's SignatureVerifier decodes the
        body as UTF-8 first, and raises on anything else)."""
        if abs(self.clock() - int(timestamp)) > MAX_SKEW:
            return False
        base = b"v0:" + timestamp.encode() + b":" + body
        expected = "v0=" + hmac.new(self.secret, base, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, signature)

    def read(self, environ: dict) -> tuple[bytes | None, Refusal | None]:
        """The raw body, or why the request is refused."""
        try:
            declared = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None, Refusal(400, "bad Content-Length")
        if declared > self.max_body:
            # A body a little too large is read away, so the client hears the 413 instead of a
            # reset; a huge one is answered at once and its connection closed, so declaring
            # 100 MB and sending it slowly cannot hold a worker thread.
            if declared <= DRAIN:
                _drain(environ["wsgi.input"], declared)
            return None, Refusal(413, f"body of {declared} bytes is over {self.max_body}")
        body = environ["wsgi.input"].read(declared) if declared else b""
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        if not (timestamp and signature):
            return None, Refusal(401, "no Slack signature")
        if not (timestamp.isascii() and timestamp.isdigit() and signature.isascii()):
            return None, Refusal(401, "malformed Slack signature headers")
        if not self.signed(body, timestamp, signature):
            return None, Refusal(401, "bad signature or timestamp more than 5 minutes off")
        try:
            check_shape(environ.get("CONTENT_TYPE", ""), body)
        except Malformed as exc:
            return None, Refusal(400, str(exc))
        return body, None

    def wrap(self, inner: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
        """`inner` (Bolt) sees only valid requests, with the body it would have read."""

        def guarded(environ: dict, start_response: Callable) -> Iterable[bytes]:
            body, refusal = self.read(environ)
            if refusal is not None:
                log.warning(
                    "refused %s %s from %s: %d %s",
                    environ.get("REQUEST_METHOD"),
                    environ.get("PATH_INFO"),
                    environ.get("REMOTE_ADDR", "?"),
                    refusal.status,
                    refusal.reason,
                )
                return _answer(start_response, refusal)
            environ["wsgi.input"] = io.BytesIO(body or b"")
            environ["CONTENT_LENGTH"] = str(len(body or b""))
            return inner(environ, start_response)

        return guarded


def _drain(stream, size: int) -> None:
    while size > 0:
        chunk = stream.read(min(size, 65536))
        if not chunk:
            return
        size -= len(chunk)


STATUS_LINES = {400: "400 Bad Request", 401: "401 Unauthorized", 413: "413 Content Too Large"}


def _answer(start_response: Callable, refusal: Refusal) -> list[bytes]:
    body = json.dumps({"ok": False, "error": refusal.reason}).encode()
    start_response(
        STATUS_LINES[refusal.status],
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
            ("Connection", "close"),  # an unread body must not be parsed as the next request
        ],
    )
    return [body]
