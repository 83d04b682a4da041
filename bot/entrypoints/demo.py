"""`bravo demo`: the real app, offline, against the built-in Slack stand-in.

A week at a customer-support team is played through Bravo: signed HTTP requests into the real
app (slash commands, the kudos and story modals submitted, a button clicked, applause as
reaction events, App Home opened), the clock's tick at the times it would run (the daily
principle, Friday's digest), and every Slack surface Bravo writes to (channel, DM, ephemeral
reply, modal, App Home, an uploaded file) printed as a panel. No Slack account, no network.
"""

from __future__ import annotations

import json
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.text import Text

from bot.domain.clock import FixedClock
from bot.domain.outbox import unsettled_messages
from bot.entrypoints import demo_render as render
from bot.entrypoints.demo_script import (
    CHANNELS,
    PEOPLE,
    TALLIES,
    Step,
    days_of,
    expected,
    week,
)
from bot.entrypoints.runtime import (
    build_app,
    build_runtime,
    run_tick,
    slack_client,
    start_sender_thread,
)
from bot.entrypoints.standin import (
    Call,
    SignedClient,
    SlackStandIn,
    envelope,
    kudos_values,
    reaction,
    story_values,
    submission,
)
from bot.settings import load_settings
from bot.slack.ids import Action
from bot.slack.wsgi import build_wsgi
from storage.migrate import upgrade

SECRET = "demo-signing-secret"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@dataclass
class _Demo:
    slack: SlackStandIn
    client: SignedClient
    clock: FixedClock
    runtime: Any
    console: Console
    plain: bool
    names: dict[str, str]
    last_card: tuple[str, str] | None = None
    last_reply: dict[str, list[dict]] = field(default_factory=dict)  # user -> blocks they saw


def run_demo(
    *, language: str | None = None, days: int = 5, db: str | None = None, console=None
) -> int:
    """Play the week (its first `days` days); 0 when everything stored and posted adds up."""
    console = console or render.make_console(no_color=bool(load_settings().no_color))
    path = Path(db).resolve() if db else Path(tempfile.mkdtemp(prefix="bravo-demo-")) / "demo.db"
    if path.exists():
        console.print(f"bravo demo: {path} already exists; give --db a new file", style="red")
        return 2
    path.parent.mkdir(parents=True, exist_ok=True)
    with SlackStandIn() as slack:
        for user_id, (name, tz, extra) in PEOPLE.items():
            slack.add_user(user_id, name, tz=tz, **extra)
        slack.add_group("S0SUPPORT", ["U0BO", "U0CY", "U0DEE", "U0EVA"])
        overrides = {"BRAVO_LANGUAGE": language} if language else {}
        settings = load_settings(
            SLACK_BOT_TOKEN="xoxb-demo",
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=slack.api_url,
            DATABASE_URL=f"sqlite:///{path}",
            BRAVO_TIMEZONE="Europe/Amsterdam",
            LOG_LEVEL="WARNING",
            **overrides,
        )
        steps = days_of(week(settings.language), days)
        names = {u: p[0] for u, p in PEOPLE.items()} | CHANNELS.get(
            settings.language, CHANNELS["en"]
        )
        clock = FixedClock(datetime(2026, 11, 22, 17, 0, tzinfo=UTC))
        runtime = build_runtime(settings, clock=clock)
        upgrade(runtime.engine)
        app = build_wsgi(
            build_app(runtime), signing_secret=runtime.signing_secret, healthy=runtime.healthy
        )
        server = make_server("127.0.0.1", 0, app, server_class=_Server, handler_class=_QuietHandler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        client = slack_client(settings)
        stop_sender = start_sender_thread(runtime, client)
        demo = _Demo(
            slack,
            SignedClient(f"http://127.0.0.1:{server.server_port}", SECRET, slack),
            clock,
            runtime,
            console,
            plain=console.no_color,
            names=names,
        )
        console.print(
            Text.assemble(
                ("Bravo demo", "bold"),
                f": a week at Acme Support ({days} day{'s' * (days != 1)}, in "
                f"{'Dutch' if settings.language == 'nl' else 'English'}), played through the "
                "real app against a Slack stand-in. Each box is what someone sees in Slack.\n",
            )
        )
        try:
            _play_days(steps, demo, client, days)
            counts = tallies(demo)
        finally:
            stop_sender.set()
            server.shutdown()
            runtime.engine.dispose()
        messages = len(slack.calls_to("chat.postMessage"))
    want = expected(steps)
    render.ending(console, counts, want, messages, path)
    return 0 if counts == want else 1


def _play_days(steps: tuple[Step, ...], demo: _Demo, client, days: int) -> None:
    day, number = None, -1  # the first day is Sunday's set-up, then day 1 of `days`
    for step in steps:
        if step.day != day:
            if day is not None:
                _progress(demo, day, number, days)
            day, number = step.day, number + 1
            local = date.fromisoformat(day)
            heading = f"{local:%A %d %B}" + (" · set-up" if number == 0 else "")
            demo.console.rule(Text(heading, style="bold"), characters="─")
        _play(step, demo, client)
    if day is not None:
        _progress(demo, day, number, days)


def _progress(demo: _Demo, day: str, number: int, days: int) -> None:
    counts = tallies(demo)
    local = date.fromisoformat(day)
    label = "set-up" if number == 0 else f"day {number} of {days}"
    n = render.plural
    demo.console.print(
        Text.assemble(
            ("✓ ", "green"),
            (f"{local:%a %d %b} done ({label}): ", "bold"),
            f"{n(counts['recognitions'], 'recognition')}, {n(counts['stories'], 'story')}; "
            f"{n(counts['principles'], 'principle')} and {n(counts['digests'], 'digest')} "
            f"posted; {n(len(demo.slack.calls_to('chat.postMessage')), 'Slack message')} so far",
        ),
        "",
    )


def tallies(demo: _Demo) -> dict[str, int]:
    """What the demo stored (the database) and showed (the stand-in's record)."""
    from sqlalchemy import text

    queries = {
        "recognitions": "SELECT count(*) FROM recognitions",
        "switched": "SELECT count(*) FROM shoutouts WHERE kind_source='choice'",
        "stories": "SELECT count(*) FROM stories",
        "applause": "SELECT count(*) FROM applause",
        "principles": "SELECT count(*) FROM scheduled_posts WHERE kind='principle' "
        "AND status='sent'",
        "digests": "SELECT count(*) FROM scheduled_posts WHERE kind='digest' AND status='sent'",
    }
    with demo.runtime.engine.connect() as connection:
        counts = {k: connection.execute(text(q)).scalar() or 0 for k, q in queries.items()}
    uploads = demo.slack.calls_to("files.completeUploadExternal")
    counts["modals"] = len(demo.slack.calls_to("views.open"))
    counts["files"] = sum(len(_json(c.args.get("files")) or []) for c in uploads)
    counts["homes"] = len(demo.slack.calls_to("views.publish"))
    return {k: counts[k] for k in TALLIES}


def _play(step: Step, demo: _Demo, client) -> None:
    local = datetime.strptime(step.at, "%Y-%m-%d %H:%M").replace(tzinfo=AMSTERDAM)
    demo.clock.at = local.astimezone(UTC)
    before = len(demo.slack.calls)
    who = demo.names.get(step.user, "the clock")
    first = who.split()[0]
    support = demo.names["C0SUPPORT"]
    team = demo.slack.team_id
    if step.what == "tick":
        _say(demo, local, "the clock ticks")
        run_tick(demo.runtime, client)
    elif step.what == "command":
        command, _, text = step.text.partition(" ")
        _say(
            demo, local, f"{who} in #{support}: ", f"{command} {render.entities(text, demo.names)}"
        )
        reply = demo.client.command(command, text, user=step.user, channel="C0SUPPORT", team=team)
        answer = reply.json() or {}
        demo.last_reply[step.user] = answer.get("blocks") or []
        inline = answer.get("response_type") == "in_channel"
        title = f"#{support}" if inline else f"only {first} sees, in #{support}"
        _panel(
            demo, "channel" if inline else "ephemeral", title, render.message(answer, demo.names)
        )
    elif step.what == "kudos_modal":
        opened = len(demo.slack.calls_to("views.open"))
        _say(demo, local, f"{who} in #{support}: ", "/kudos  (no text: the kudos modal opens)")
        demo.client.command("/kudos", "", user=step.user, channel="C0SUPPORT", team=team)
        modal = demo.slack.wait_for("views.open", opened + 1)[-1]
        _show(modal, demo, step)  # the modal as it opened; what follows once it is submitted
        view = _json(modal.args["view"])
        values = kudos_values(recipients=step.extra["recipients"], reason=step.text)
        picked = ", ".join("@" + demo.names[u].split()[0] for u in step.extra["recipients"])
        before = len(demo.slack.calls)
        _say(demo, local, f"{first} picks {picked}, writes ", f"“{step.text}”", ", and submits")
        demo.client.interaction(submission(view, step.user, values, view_id="V0DEMOKUDOS"))
        demo.slack.wait_for("chat.postEphemeral", 1, user=step.user)
    elif step.what == "switch":
        blocks = demo.last_reply.get(step.user) or []
        button = _button(blocks, Action.SWITCH_KIND)
        _say(demo, local, f"{who} clicks ", f"[ {button['text']['text']} ]")
        done = len(demo.slack.calls_to("response_url"))
        demo.client.interaction(_click(demo, step.user, button, "switch"))
        demo.slack.wait_for("response_url", done + 1)
    elif step.what == "story":
        opened = len(demo.slack.calls_to("views.open"))
        _say(demo, local, f"{who} shares a story: ", f"/story, then fills in “{step.text}”")
        demo.client.command("/story", "", user=step.user, channel="C0SUPPORT", team=team)
        view = _json(demo.slack.wait_for("views.open", opened + 1)[-1].args["view"])
        values = story_values(title=step.text, channel=None, **step.extra)
        demo.client.interaction(submission(view, step.user, values, view_id="V0DEMOSTORY"))
    elif step.what == "applause" and demo.last_card:
        channel, ts = demo.last_card
        _say(demo, local, f"{who} reacts with 👏 to the story card")
        demo.client.event(envelope(reaction(step.user, channel, ts)))
    elif step.what == "export":
        button = _button(demo.last_reply.get(step.user) or [], Action.LEADERBOARD_EXPORT)
        _say(demo, local, f"{who} clicks ", f"[ {button['text']['text']} ]")
        done = len(demo.slack.calls_to("files.completeUploadExternal"))
        demo.client.interaction(_click(demo, step.user, button, "export"))
        demo.slack.wait_for("files.completeUploadExternal", done + 1, timeout=20)
    elif step.what == "home":
        published = len(demo.slack.calls_to("views.publish"))
        _say(demo, local, f"{who} opens Bravo's App Home")
        event = {"type": "app_home_opened", "user": step.user, "channel": "D0HOME", "tab": "home"}
        demo.client.event(envelope(event | {"event_ts": f"{time.time():.6f}"}))
        demo.slack.wait_for("views.publish", published + 1)
    _wait_quiet(demo)
    for call in demo.slack.calls[before:]:
        _show(call, demo, step)


def _say(demo: _Demo, local: datetime, what: str, typed: str = "", after: str = "") -> None:
    demo.console.print(Text.assemble((f"{local:%H:%M} ", "dim"), what, (typed, "bold"), after))


def _show(call: Call, demo: _Demo, step: Step) -> None:
    """The panel for one thing Bravo did in Slack, if people can see it."""
    names, args = demo.names, call.args
    if call.method == "chat.postMessage":
        if call.channel == "C0STORIES":
            demo.last_card = (call.channel, (call.response or {}).get("ts", ""))
        surface = "dm" if (call.channel or "")[:1] in "UWD" else "channel"
        _panel(demo, surface, _where(call, names), render.message(args, names))
    elif call.method == "chat.postEphemeral":
        demo.last_reply[args.get("user", "")] = _json(args.get("blocks")) or []
        who = names.get(args.get("user", ""), "").split()[0]
        title = f"only {who} sees, in {_where(call, names)}"
        _panel(demo, "ephemeral", title, render.message(args, names))
    elif call.method == "chat.update":
        last = (_json(args.get("blocks")) or [])[-1:]
        _panel(
            demo, "channel", f"{_where(call, names)} · the card updates", render.blocks(last, names)
        )
    elif call.method == "response_url":
        who = names.get(step.user, "").split()[0]
        how = ", replacing the message" if args.get("replace_original") in (True, "true") else ""
        where = f"#{names['C0SUPPORT']}"
        _panel(demo, "ephemeral", f"only {who} sees, in {where}{how}", render.message(args, names))
    elif call.method == "views.open" and step.what == "kudos_modal":
        view = _json(args.get("view"))
        title = f"modal: {view.get('title', {}).get('text', '')} (for {names.get(step.user)})"
        _panel(demo, "modal", title, render.modal(view, names))
    elif call.method == "views.publish":
        view = _json(args.get("view"))
        title = f"App Home of {names.get(args.get('user_id', ''), '')}"
        _panel(demo, "home", title, render.blocks(view.get("blocks"), names))
    elif call.method == "files.completeUploadExternal":
        _panel(demo, "file", f"DM to {names.get(step.user)} · files", _files(call, demo))


def _files(call: Call, demo: _Demo) -> list:
    """The uploaded files' comment, names and sizes, and the first rows of a CSV."""
    uploads = {c.response["file_id"]: c for c in demo.slack.calls_to("files.getUploadURLExternal")}
    contents = {
        c.args["file_id"]: bytes(c.args["bytes"]) for c in demo.slack.calls_to("file.upload")
    }
    body: list = [render.mrkdwn(call.args.get("initial_comment", ""), demo.names)]
    for item in _json(call.args.get("files")) or []:
        name = uploads[item["id"]].args.get("filename", "") if item["id"] in uploads else ""
        data = contents.get(item["id"], b"")
        body.append(
            Text.assemble(
                "📎 ",
                (item.get("title") or name, "bold"),
                (f"  {name}, {len(data):,} bytes", "dim"),
            )
        )
        if name.endswith(".csv"):
            columns = ("given_at", "giver", "recipient", "kind", "principles")
            body.append(render.csv_preview(data, columns))
    return body


def _panel(demo: _Demo, surface: str, title: str, body: list) -> None:
    demo.console.print(render.panel(surface, title, body, plain=demo.plain))


def _where(call: Call, names: dict[str, str]) -> str:
    channel = call.channel or ""
    if channel[:1] in ("U", "W", "D"):
        return f"DM to {names.get('U' + channel[1:], names.get(channel, channel))}"
    return f"#{names.get(channel, channel)}"


def _button(blocks: list[dict], action: str) -> dict:
    for block in blocks:
        for element in block.get("elements", []) + [block.get("accessory") or {}]:
            if element.get("action_id") == action:
                return element
    raise LookupError(f"no {action} button in what Bravo showed")


def _click(demo: _Demo, user: str, button: dict, name: str) -> dict:
    """A block_actions payload for a button on an ephemeral message, as Slack sends it."""
    return {
        "type": "block_actions",
        "team": {"id": demo.slack.team_id, "domain": "acme"},
        "user": {"id": user, "team_id": demo.slack.team_id},
        "api_app_id": "A0BRAVO",
        "container": {"type": "message", "is_ephemeral": True, "channel_id": "C0SUPPORT"},
        "channel": {"id": "C0SUPPORT", "name": demo.names["C0SUPPORT"]},
        "trigger_id": f"{time.time_ns()}.demo.trigger",
        "response_url": demo.slack.response_url(name),
        "actions": [
            {
                "type": "button",
                "action_id": button["action_id"],
                "block_id": "b",
                "value": button.get("value", ""),
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _wait_quiet(demo: _Demo, timeout: float = 5.0) -> None:
    """Wait until every message is sent and its outcome recorded (a reaction to a story card
    finds the card by the `ts` recorded), and the stand-in has been quiet for a moment."""
    deadline = time.monotonic() + timeout
    seen = -1
    while time.monotonic() < deadline:
        waiting = unsettled_messages(demo.clock.now(), uow=demo.runtime.services.uow())
        if not waiting and len(demo.slack.calls) == seen:
            return
        seen = len(demo.slack.calls)
        time.sleep(0.15)
