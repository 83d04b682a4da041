"""A loopback stand-in for Slack's Web API, for the tests and `bravo demo`.

A threaded stdlib HTTP server on 127.0.0.1 that records every call (method, content type,
arguments, Authorization) and answers by method name, like slack.com would. It can refuse calls
with `ok: false`, rate-limit them with 429 and `Retry-After`, answer 5xx or hang, per method or
channel. It also serves `response_url` paths (`/response/<name>`). Nothing here reaches slack.com.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bot.entrypoints.standin_oauth import AUTHORIZE_PATH, OAuthTeams

BOT_USER = "UBRAVO0001"
BOT_ID = "BBRAVO0001"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    content_type: str
    authorization: str | None
    at: float = field(default_factory=time.time)
    response: dict[str, Any] | None = None  # what the stand-in answered

    @property
    def channel(self) -> str | None:
        return self.args.get("channel")


@dataclass
class _Rule:
    method: str
    channel: str | None
    times: int | None
    error: str | None = None
    status: int = 200
    retry_after: int | None = None
    delay: float = 0.0

    def matches(self, method: str, args: dict[str, Any]) -> bool:
        if self.method != method or self.times == 0:
            return False
        return self.channel is None or args.get("channel") == self.channel


def _user(user_id: str, name: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": user_id,
        "team_id": "T0001",
        "name": name.lower().replace(" ", "."),
        "real_name": name,
        "tz": "Europe/Amsterdam",
        "tz_offset": 3600,
        "is_admin": False,
        "is_owner": False,
        "is_bot": False,
        "is_app_user": False,
        "deleted": False,
        "profile": {"real_name": name, "display_name": name.split()[0]},
    } | extra


class SlackStandIn:
    """Start with `with SlackStandIn() as slack:`; point clients at `slack.api_url`."""

    def __init__(self, team_id: str = "T0001", team_name: str = "Acme Support") -> None:
        self.team_id = team_id
        self.team_name = team_name
        self.calls: list[Call] = []
        self.users: dict[str, dict[str, Any]] = {}
        self.groups: dict[str, list[str]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        # What each conversation holds, oldest first: the messages posted to it (DMs under D...).
        self.history: dict[str, list[dict[str, Any]]] = {}
        self._rules: list[_Rule] = []
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self.base_time = 1_790_000_000
        self.oauth = OAuthTeams(self)  # many workspaces, installed through OAuth
        self.add_user(BOT_USER, "Bravo", is_bot=True)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> SlackStandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return self.url + "/api/"

    def response_url(self, name: str = "cmd") -> str:
        return f"{self.url}/response/{name}"

    # -- the directory it answers from -----------------------------------------------------
    def add_user(self, user_id: str, name: str, **extra: Any) -> dict[str, Any]:
        self.users[user_id] = _user(user_id, name, **({"team_id": self.team_id} | extra))
        return self.users[user_id]

    def add_group(self, group_id: str, members: list[str]) -> None:
        self.groups[group_id] = list(members)

    def add_channel(self, channel_id: str, name: str, **extra: Any) -> None:
        self.channels[channel_id] = {"id": channel_id, "name": name, "is_member": True} | extra

    # -- faults ----------------------------------------------------------------------------
    def fail(
        self,
        method: str,
        error: str,
        *,
        channel: str | None = None,
        times: int | None = None,
        status: int = 200,
    ) -> None:
        """Answer `method` with `ok: false, error` (or HTTP `status`), `times` times or always."""
        with self._lock:
            self._rules.append(_Rule(method, channel, times, error=error, status=status))

    def ratelimit(
        self,
        method: str,
        retry_after: int = 1,
        *,
        channel: str | None = None,
        times: int | None = 1,
    ) -> None:
        with self._lock:
            self._rules.append(
                _Rule(
                    method, channel, times, error="ratelimited", status=429, retry_after=retry_after
                )
            )

    def hang(
        self, method: str, seconds: float, *, channel: str | None = None, times: int | None = 1
    ) -> None:
        """Wait `seconds` before answering (past the client's timeout: an unknown outcome)."""
        with self._lock:
            self._rules.append(_Rule(method, channel, times, delay=seconds))

    def clear_faults(self) -> None:
        with self._lock:
            self._rules.clear()

    # -- reading what was sent ---------------------------------------------------------------
    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(
        self, method: str, count: int = 1, timeout: float = 10.0, **match: Any
    ) -> list[Call]:
        """Wait until `count` calls to `method` (whose args include `match`) were recorded."""
        deadline = time.monotonic() + timeout
        while True:
            found = [
                c
                for c in self.calls_to(method)
                if all(c.args.get(k) == v for k, v in match.items())
            ]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.01)

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self._rules.clear()
            self.history.clear()

    # -- answering -------------------------------------------------------------------------
    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://acme.slack.com/",
                "team": self.team_name,
                "user": "bravo",
                "team_id": self.team_id,
                "user_id": BOT_USER,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        if method == "users.info":
            user = self.users.get(args.get("user", ""))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if method == "users.list":
            members = list(self.users.values())
            start = int(args.get("cursor") or 0)
            limit = int(args.get("limit") or 200)
            page = members[start : start + limit]
            more = start + limit < len(members)
            return {
                "ok": True,
                "members": page,
                "response_metadata": {"next_cursor": str(start + limit) if more else ""},
            }
        if method == "usergroups.users.list":
            group = self.groups.get(args.get("usergroup", ""))
            if group is None:
                return {"ok": False, "error": "no_such_subteam"}
            return {"ok": True, "users": group}
        if method in ("chat.postMessage", "chat.update"):
            ts = args.get("ts") or f"{self.base_time + next(self._ts)}.000100"
            channel = args.get("channel", "")
            if channel[:1] in ("U", "W"):
                channel = "D" + channel[1:]
            message = {"type": "message", "text": args.get("text"), "ts": ts, "bot_id": BOT_ID}
            if method == "chat.postMessage":
                self._keep(channel, message, args.get("metadata"))
            return {"ok": True, "channel": channel, "ts": ts, "message": message}
        if method == "conversations.history":
            return self._history(args)
        if method == "conversations.replies":
            return self._replies(args)
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"{self.base_time + next(self._ts)}.000200"}
        if method == "chat.getPermalink":
            return {
                "ok": True,
                "permalink": f"https://acme.slack.com/archives/{args.get('channel')}"
                f"/p{str(args.get('message_ts', '')).replace('.', '')}",
            }
        if method == "conversations.open":
            users = str(args.get("users", ""))
            return {"ok": True, "channel": {"id": "D" + users.split(",")[0][1:]}}
        if method == "conversations.info":
            channel = self.channels.get(args.get("channel", ""))
            return (
                {"ok": True, "channel": channel}
                if channel
                else {"ok": False, "error": "channel_not_found"}
            )
        if method.startswith("views."):
            view = args.get("view") or {}
            if isinstance(view, str):
                view = json.loads(view)
            return {
                "ok": True,
                "view": view | {"id": args.get("view_id") or f"V{next(self._ids):05d}"},
            }
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ids):05d}"
            return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = args.get("files")
            files = json.loads(files) if isinstance(files, str) else files or []
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        return {"ok": True}

    def _keep(self, channel: str, message: dict[str, Any], metadata: Any) -> None:
        """Add a posted message to its conversation's history, with the metadata it carried."""
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        kept = dict(message) | ({"metadata": metadata} if metadata else {})
        with self._lock:
            self.history.setdefault(channel, []).append(kept)

    def _history(self, args: dict[str, Any]) -> dict[str, Any]:
        """conversations.history: newest first, from `oldest`, paged by `limit` and `cursor`;
        metadata only with `include_all_metadata`."""
        oldest = float(args.get("oldest") or 0)
        with_metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        with self._lock:
            kept = list(self.history.get(str(args.get("channel", "")), []))
        messages = [m for m in reversed(kept) if float(m["ts"]) > oldest]
        if args.get("latest"):  # up to `latest`, itself included only with `inclusive`
            latest, inclusive = float(args["latest"]), str(args.get("inclusive")) in ("1", "true")
            messages = [
                m
                for m in messages
                if float(m["ts"]) < latest or (inclusive and m["ts"] == args["latest"])
            ]
        if not with_metadata:
            messages = [{k: v for k, v in m.items() if k != "metadata"} for m in messages]
        start = int(args.get("cursor") or 0)
        limit = int(args.get("limit") or 100)
        more = start + limit < len(messages)
        return {
            "ok": True,
            "messages": messages[start : start + limit],
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _replies(self, args: dict[str, Any]) -> dict[str, Any]:
        """conversations.replies: the thread's parent and its replies, oldest first."""
        ts = str(args.get("ts", ""))
        with self._lock:
            kept = list(self.history.get(str(args.get("channel", "")), []))
        thread = [m for m in kept if ts in (m["ts"], m.get("thread_ts"))]
        if not thread:
            return {"ok": False, "error": "thread_not_found"}
        return {"ok": True, "messages": thread, "has_more": False}

    def say(
        self, user: str, channel: str, text: str, *, thread_ts: str | None = None, **extra: Any
    ) -> str:
        """A person's message in a channel (what a reaction may thank for); returns its ts."""
        ts = f"{self.base_time + next(self._ts)}.000300"
        message = {"type": "message", "user": user, "text": text, "ts": ts} | extra
        if thread_ts:
            message["thread_ts"] = thread_ts
        with self._lock:
            self.history.setdefault(channel, []).append(message)
        return ts

    def _fault(self, method: str, args: dict[str, Any]) -> _Rule | None:
        with self._lock:
            for rule in self._rules:
                if rule.matches(method, args):
                    if rule.times is not None:
                        rule.times -= 1
                    return rule
        return None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Answers go out at once on a kept-alive connection (headers and body are two
            # writes; Nagle would hold the second until the client's delayed ACK, 40 ms).
            disable_nagle_algorithm = True

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def _args(self, raw: bytes) -> tuple[dict[str, Any], str]:
                content_type = self.headers.get("Content-Type", "")
                if "json" in content_type:
                    return (json.loads(raw) if raw else {}), content_type
                query = parse_qs(raw.decode("utf-8"), keep_blank_values=True)
                return {k: v[0] if len(v) == 1 else v for k, v in query.items()}, content_type

            def _send(
                self, status: int, payload: Any, headers: dict[str, str] | None = None
            ) -> None:
                body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                if "Content-Type" not in (headers or {}):
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                split = urlsplit(self.path)
                if split.path != AUTHORIZE_PATH:
                    self._send(404, {"ok": False, "error": "unknown_path"})
                    return
                query = parse_qs(split.query)
                standin._record(
                    Call("oauth.authorize", {k: v[0] for k, v in query.items()}, "", None)
                )
                status, html = standin.oauth.authorize_page(split.query)
                self._send(status, html.encode(), {"Content-Type": "text/html; charset=utf-8"})

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                path = urlsplit(self.path).path
                if path.startswith("/upload/"):
                    standin._record(
                        Call(
                            "file.upload",
                            {"file_id": path.rsplit("/", 1)[1], "bytes": raw},
                            "",
                            None,
                        )
                    )
                    self._send(200, b"OK")
                    return
                args, content_type = self._args(raw)
                if path.startswith("/response/"):
                    method = "response_url"
                    args["response_url_name"] = path.rsplit("/", 1)[1]
                elif path.startswith("/api/"):
                    method = path[len("/api/") :]
                else:
                    self._send(404, {"ok": False, "error": "unknown_path"})
                    return
                call = Call(method, args, content_type, self.headers.get("Authorization"))
                standin._record(call)
                rule = standin._fault(method, args)
                if rule and rule.delay:
                    time.sleep(rule.delay)
                if rule and (rule.error or rule.status != 200):
                    headers = {"Retry-After": str(rule.retry_after)} if rule.retry_after else None
                    self._send(
                        rule.status, {"ok": False, "error": rule.error or "internal_error"}, headers
                    )
                    return
                if method == "response_url":
                    self._send(200, b"ok")
                    return
                call.response = standin.oauth.answer(
                    method, args, call.authorization
                ) or standin._answer(method, args)
                self._send(200, call.response)

        return Handler

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)


def blocks_text(blocks: list[dict[str, Any]] | str | None) -> str:
    """Block Kit as plain readable text (for the demo and for assertions on what people see)."""
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    lines: list[str] = []

    def text_of(obj: Any) -> str:
        return obj.get("text", "") if isinstance(obj, dict) else str(obj or "")

    for block in blocks or []:
        kind = block.get("type")
        if kind in ("section", "header"):
            if block.get("text"):
                lines.append(text_of(block["text"]))
            for f in block.get("fields") or []:
                lines.append(text_of(f))
            accessory = block.get("accessory")
            if accessory and accessory.get("type") == "button":
                lines.append(f"[{text_of(accessory['text'])}]")
        elif kind == "context":
            lines.append("  ".join(text_of(e) for e in block.get("elements", [])))
        elif kind == "actions":
            lines.append(" ".join(f"[{text_of(e.get('text'))}]" for e in block.get("elements", [])))
        elif kind == "divider":
            lines.append("—" * 20)
        elif kind == "image":
            lines.append(f"(image: {block.get('alt_text', '')})")
        elif kind == "input":
            lines.append(f"<{text_of(block.get('label'))}>")
    return "\n".join(lines)


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
        trigger_id: str | None = None,
        **kwargs: Any,
    ) -> Reply:
        """Each invocation has its own trigger id, as in Slack; pass one to replay a command."""
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
            "trigger_id": trigger_id or f"{time.time_ns()}.{next(_payload_ids)}.trigger",
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


# -- what Slack sends for interactions and events (the demo and the tests build these) ---------

TEAM = "T0001"
_payload_ids = itertools.count(1)


def _team() -> dict[str, Any]:
    return {"id": TEAM, "domain": "acme"}


def submission(
    view: dict[str, Any],
    user: str,
    values: dict[str, dict[str, Any]],
    *,
    view_id: str = "V0STORY0001",
    response_urls: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A view_submission of `view` (as Bravo opened it) with `values` by block id."""
    submitted = dict(view)
    submitted.update(
        id=view_id,
        team_id=TEAM,
        hash="1790000000.abcdef",
        state={"values": {block: {"field": value} for block, value in values.items()}},
        root_view_id=view_id,
        app_id="A0BRAVO",
        bot_id="BBRAVO0001",
    )
    return {
        "type": "view_submission",
        "team": _team(),
        "user": {"id": user, "username": user.lower(), "team_id": TEAM},
        "api_app_id": "A0BRAVO",
        "trigger_id": f"{next(_payload_ids)}.42.trigger",
        "view": submitted,
        "response_urls": response_urls or [],
    }


def text_value(value: str | None) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def users_value(users: list[str]) -> dict[str, Any]:
    return {"type": "multi_users_select", "selected_users": users}


def options_value(values: list[str]) -> dict[str, Any]:
    return {
        "type": "multi_static_select",
        "selected_options": [
            {"value": v, "text": {"type": "plain_text", "text": v}} for v in values
        ],
    }


def radio_value(value: str | None) -> dict[str, Any]:
    option = {"value": value, "text": {"type": "plain_text", "text": value}} if value else None
    return {"type": "radio_buttons", "selected_option": option}


def channel_value(channel: str | None) -> dict[str, Any]:
    return {"type": "conversations_select", "selected_conversation": channel}


def story_values(
    *,
    title: str = "Saved the Jansen renewal",
    customer: str = "Jansen BV",
    body: str = "They were about to cancel; Bo and Cy called back within the hour and fixed "
    "the export together, and the customer renewed for two years.",
    teammates: tuple[str, ...] = (),
    principles: tuple[str, ...] = (),
    kind: str | None = None,
    channel: str | None = "C0STORIES",
) -> dict[str, dict[str, Any]]:
    return {
        "story_title": text_value(title),
        "story_customer": text_value(customer or None),
        "story_body": text_value(body),
        "story_teammates": users_value(list(teammates)),
        "story_principles": options_value(list(principles)),
        "story_kind": radio_value(kind),
        "story_channel": channel_value(channel),
    }


def kudos_values(
    *,
    recipients: tuple[str, ...],
    reason: str = "stayed late to walk a new customer through the whole setup",
    principles: tuple[str, ...] = (),
    kind: str | None = None,
    channel: str | None = "C0SUPPORT",
) -> dict[str, dict[str, Any]]:
    return {
        "kudos_recipients": users_value(list(recipients)),
        "kudos_reason": text_value(reason),
        "kudos_principles": options_value(list(principles)),
        "kudos_kind": radio_value(kind),
        "kudos_channel": channel_value(channel),
    }


def envelope(event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    return {
        "token": "ignored",
        "team_id": TEAM,
        "api_app_id": "A0BRAVO",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_payload_ids):08d}",
        "event_time": 1790000100,
        "authorizations": [
            {"team_id": TEAM, "user_id": BOT_USER, "is_bot": True, "is_enterprise_install": False}
        ],
        "is_ext_shared_channel": False,
    }


def reaction(
    user: str, channel: str, ts: str, *, emoji: str = "clap", added: bool = True
) -> dict[str, Any]:
    return {
        "type": "reaction_added" if added else "reaction_removed",
        "user": user,
        "reaction": emoji,
        "item": {"type": "message", "channel": channel, "ts": ts},
        "event_ts": "1790000100.000200",
    }
