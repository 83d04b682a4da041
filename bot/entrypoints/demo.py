"""`bravo demo`: the real app, offline, against the built-in Slack stand-in.

A week at a customer-support team is played through Bravo: signed HTTP requests into the real
app (slash commands, a story modal submitted, applause as reaction events), the clock's tick at
the times it would run (the daily principle, Friday's digest), and every message Bravo sends to
Slack printed readably. No Slack account, no network.
"""

from __future__ import annotations

import json
import re
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from zoneinfo import ZoneInfo

from bot.domain.clock import FixedClock
from bot.domain.outbox import due_messages
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
    blocks_text,
    envelope,
    reaction,
    story_values,
    submission,
)
from bot.settings import load_settings
from bot.slack.wsgi import build_wsgi
from storage.migrate import upgrade

SECRET = "demo-signing-secret"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
CHANNELS = {"C0SUPPORT": "support", "C0LOVE": "customer-love", "C0STORIES": "stories"}
PEOPLE = {
    "U0ANA": ("Ana de Wit", "Europe/Amsterdam", {"is_admin": True}),
    "U0BO": ("Bo Jansen", "Europe/Amsterdam", {}),
    "U0CY": ("Cy Okafor", "Europe/London", {}),
    "U0DEE": ("Dee Visser", "Europe/Amsterdam", {}),
    "U0EVA": ("Eva Lindqvist", "Europe/Stockholm", {}),
    "U0FINN": ("Finn Bakker", "America/New_York", {}),
}


@dataclass(frozen=True)
class Step:
    """One thing that happens: a slash command, a story, applause, or the clock ticking."""

    at: str  # local Amsterdam time, "2026-11-23 09:12"
    what: str  # command | story | applause | tick
    user: str = ""
    text: str = ""
    extra: dict = field(default_factory=dict)


WEEK = (
    Step(
        "2026-11-22 18:00",
        "command",
        "U0ANA",
        "/bravo set principle-channel <#C0LOVE|customer-love>",
    ),
    Step(
        "2026-11-22 18:01", "command", "U0ANA", "/bravo set digest-channel <#C0LOVE|customer-love>"
    ),
    Step("2026-11-22 18:02", "command", "U0ANA", "/bravo set stories-channel <#C0STORIES|stories>"),
    Step("2026-11-23 09:00", "tick"),
    Step(
        "2026-11-23 09:12",
        "command",
        "U0ANA",
        "/kudos <@U0BO|bo> <@U0CY> for turning a cancellation call into a renewal by "
        "listening first #their-way",
    ),
    Step(
        "2026-11-23 11:40",
        "command",
        "U0BO",
        "/kudos <@U0DEE> fixed the invoice bug for Jansen BV before they even noticed",
    ),
    Step("2026-11-24 09:00", "tick"),
    Step(
        "2026-11-24 10:05",
        "command",
        "U0CY",
        "/kudos <@U0EVA> remembered that Mr de Vries prefers email and sent the update there "
        "#their-way",
    ),
    Step(
        "2026-11-24 14:30", "command", "U0DEE", "/kudos <@U0DEE> for answering forty tickets today"
    ),
    Step("2026-11-25 09:00", "tick"),
    Step(
        "2026-11-25 11:15",
        "story",
        "U0EVA",
        "Saved the Jansen renewal",
        {
            "customer": "Jansen BV",
            "body": "Jansen was about to cancel after a rough migration. Bo called them back "
            "within the hour, Dee walked their team through the new export, and they renewed "
            "for two years.",
            "teammates": ("U0BO", "U0DEE"),
            "principles": ("care",),
            "kind": "success",
        },
    ),
    Step("2026-11-25 11:20", "applause", "U0ANA"),
    Step("2026-11-25 11:22", "applause", "U0FINN"),
    Step(
        "2026-11-25 16:45",
        "command",
        "U0EVA",
        "/kudos <!subteam^S0SUPPORT|@support> for a week of 98% CSAT, <!channel> take note "
        "&amp; celebrate",
    ),
    Step(
        "2026-11-26 08:55",
        "command",
        "U0FINN",
        "/kudos <@U0BO> solved the login outage calmly and kept customers posted every hour",
    ),
    Step("2026-11-26 09:00", "tick"),
    Step("2026-11-26 13:20", "command", "U0ANA", "/kudos <@U0CY> thanks"),
    Step("2026-11-27 09:00", "tick"),
    Step(
        "2026-11-27 09:30",
        "command",
        "U0BO",
        "/kudos <@U0CY> <@U0DEE> <@U0EVA> <@U0FINN> for the smoothest holiday rota we have had",
    ),
    Step(
        "2026-11-27 09:31",
        "command",
        "U0BO",
        "/kudos <@U0ANA> <@U0CY> for covering my calls this morning",
    ),
    Step("2026-11-27 16:00", "tick"),
)
# The demo checks its own outcome: recognitions stored, scheduled posts, story cards.
EXPECTED = {"recognitions": 14, "principles": 5, "digests": 1, "stories": 1, "applause": 2}


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
    runtime: object
    out: object
    last_card: tuple[str, str] | None = None


def run_demo(out=print) -> int:
    """Play the week; returns 0 when everything stored and posted is what it should be."""
    with tempfile.TemporaryDirectory(prefix="bravo-demo-") as tmp, SlackStandIn() as slack:
        for user_id, (name, tz, extra) in PEOPLE.items():
            slack.add_user(user_id, name, tz=tz, **extra)
        slack.add_group("S0SUPPORT", ["U0BO", "U0CY", "U0DEE", "U0EVA"])
        settings = load_settings(
            SLACK_BOT_TOKEN="xoxb-demo",
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=slack.api_url,
            DATABASE_URL=f"sqlite:///{Path(tmp) / 'demo.db'}",
            BRAVO_TIMEZONE="Europe/Amsterdam",
            LOG_LEVEL="WARNING",
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
            out,
        )
        out(
            "Bravo demo: a week at Acme Support, played through the real app against a Slack "
            "stand-in.\n"
        )
        try:
            for step in WEEK:
                _play(step, demo, client)
            counts = _counts(runtime)
        finally:
            stop_sender.set()
            server.shutdown()
            runtime.engine.dispose()
        out(
            f"\nStored: {counts['recognitions']} recognitions, {counts['stories']} story, "
            f"{counts['applause']} applause; posted {counts['principles']} daily principles and "
            f"{counts['digests']} digest. Bravo sent {len(slack.calls_to('chat.postMessage'))} "
            "Slack messages; none left this machine."
        )
    return 0 if counts == EXPECTED else 1


def _counts(runtime) -> dict[str, int]:
    from sqlalchemy import text

    queries = {
        "recognitions": "SELECT count(*) FROM recognitions",
        "principles": "SELECT count(*) FROM scheduled_posts WHERE kind='principle' "
        "AND status='sent'",
        "digests": "SELECT count(*) FROM scheduled_posts WHERE kind='digest' AND status='sent'",
        "stories": "SELECT count(*) FROM stories",
        "applause": "SELECT count(*) FROM applause",
    }
    with runtime.engine.connect() as connection:
        return {k: connection.execute(text(q)).scalar() for k, q in queries.items()}


def _play(step: Step, demo: _Demo, client) -> None:
    local = datetime.strptime(step.at, "%Y-%m-%d %H:%M").replace(tzinfo=AMSTERDAM)
    demo.clock.at = local.astimezone(UTC)
    before = len(demo.slack.calls)
    who = PEOPLE[step.user][0] if step.user else "the clock"
    out = demo.out
    if step.what == "tick":
        out(f"── {local:%a %d %b %H:%M} · the clock ticks")
        run_tick(demo.runtime, client)
    elif step.what == "command":
        command, _, text = step.text.partition(" ")
        out(f"── {local:%a %d %b %H:%M} · {who} in #support")
        out(f"   {command} {_readable(text)}")
        reply = demo.client.command(
            command, text, user=step.user, channel="C0SUPPORT", team=demo.slack.team_id
        )
        answer = reply.json() or {}
        seen = blocks_text(answer.get("blocks")) or answer.get("text", "")
        out(_indent("only " + who.split()[0] + " sees", _readable(seen)))
    elif step.what == "story":
        out(f"── {local:%a %d %b %H:%M} · {who} shares a story with /story")
        demo.client.command(
            "/story", "", user=step.user, channel="C0SUPPORT", team=demo.slack.team_id
        )
        view = demo.slack.wait_for("views.open")[-1].args["view"]
        view = json.loads(view) if isinstance(view, str) else view
        values = story_values(title=step.text, channel=None, **step.extra)
        demo.client.interaction(submission(view, step.user, values, view_id="V0DEMOSTORY"))
        out(_indent(who.split()[0] + " fills in the modal", f"“{step.text}”"))
    elif step.what == "applause" and demo.last_card:
        channel, ts = demo.last_card
        out(f"── {local:%a %d %b %H:%M} · {who} reacts with :clap: to the story card")
        demo.client.event(envelope(reaction(step.user, channel, ts)))
    _wait_quiet(demo)
    for call in demo.slack.calls[before:]:
        if call.method == "chat.postMessage":
            if call.channel == "C0STORIES":
                demo.last_card = (call.channel, (call.response or {}).get("ts", ""))
            out(
                _indent(
                    _where(call),
                    _readable(blocks_text(call.args.get("blocks")) or call.args.get("text", "")),
                )
            )
        elif call.method == "chat.update":
            out(
                _indent(
                    f"updated in {_where(call)}",
                    _readable(
                        blocks_text(call.args.get("blocks")).splitlines()[-1]
                        if call.args.get("blocks")
                        else ""
                    ),
                )
            )
    out("")


def _wait_quiet(demo: _Demo, timeout: float = 5.0) -> None:
    """Wait until the outbox is empty and the stand-in has been quiet for a moment."""
    deadline = time.monotonic() + timeout
    seen = -1
    while time.monotonic() < deadline:
        waiting = due_messages(demo.clock.now(), uow=demo.runtime.services.uow())
        if not waiting and len(demo.slack.calls) == seen:
            return
        seen = len(demo.slack.calls)
        time.sleep(0.3)


def _where(call: Call) -> str:
    channel = call.channel or ""
    if channel[:1] in ("U", "W"):
        return f"DM to {PEOPLE.get(channel, (channel,))[0]}"
    return f"#{CHANNELS.get(channel, channel)}"


def _indent(label: str, text: str) -> str:
    lines = text.splitlines() or [""]
    pad = " " * 6
    return "\n".join([f"   ↳ {label}: {lines[0]}", *[pad + line for line in lines[1:]]])


def _readable(text: str) -> str:
    text = re.sub(
        r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>",
        lambda m: "@" + PEOPLE.get(m.group(1), (m.group(1),))[0].split()[0],
        text,
    )
    text = re.sub(
        r"<#(C[A-Z0-9]+)(?:\|([^>]*))?>",
        lambda m: "#" + (m.group(2) or CHANNELS.get(m.group(1), m.group(1))),
        text,
    )
    text = re.sub(r"<!subteam\^[A-Z0-9]+\|([^>]*)>", r"\1", text)
    text = re.sub(r"<!(here|channel|everyone)(?:\|[^>]*)?>", r"@\1", text)
    text = re.sub(r"<!date\^[^|]*\|([^>]*)>", r"\1", text)
    text = re.sub(r"<(https?://[^|>]+)\|([^>]*)>", r"\2", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
