"""`bravo demo`: the real app, offline, against the built-in Slack stand-in.

A week at a customer-support team is played through Bravo over real signed HTTP requests, and
every message Bravo sends to Slack is printed readably. No Slack account, no network.
"""

from __future__ import annotations

import re
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from bot.domain.clock import FixedClock
from bot.runtime import build_app, build_runtime, slack_client, start_sender_thread
from bot.settings import load_settings
from bot.slack.wsgi import build_wsgi
from bot.standin import Call, SignedClient, SlackStandIn, blocks_text
from storage.migrate import upgrade

SECRET = "demo-signing-secret"
CHANNEL, CHANNEL_NAME = "C0SUPPORT", "support"
PEOPLE = {
    "U0ANA": ("Ana de Wit", "Europe/Amsterdam", {"is_admin": True}),
    "U0BO": ("Bo Jansen", "Europe/Amsterdam", {}),
    "U0CY": ("Cy Okafor", "Europe/London", {}),
    "U0DEE": ("Dee Visser", "Europe/Amsterdam", {}),
    "U0EVA": ("Eva Lindqvist", "Europe/Stockholm", {}),
    "U0FINN": ("Finn Bakker", "America/New_York", {}),
}
GROUP = "S0SUPPORT"


@dataclass(frozen=True)
class Step:
    at: str  # local Amsterdam time, "2026-11-23 09:12"
    user: str
    text: str


WEEK = (
    Step(
        "2026-11-23 09:12",
        "U0ANA",
        "<@U0BO|bo> <@U0CY> for turning a cancellation call into a renewal by listening first "
        "#their-way",
    ),
    Step(
        "2026-11-23 11:40",
        "U0BO",
        "<@U0DEE> fixed the invoice bug for Jansen BV before they even noticed",
    ),
    Step(
        "2026-11-24 10:05",
        "U0CY",
        "<@U0EVA> remembered that Mr de Vries prefers email and sent the update there #care",
    ),
    Step("2026-11-24 14:30", "U0DEE", "<@U0DEE> for answering forty tickets today"),
    Step(
        "2026-11-25 16:45",
        "U0EVA",
        "<!subteam^S0SUPPORT|@support> for a week of 98% CSAT, <!channel> take note &amp; "
        "celebrate",
    ),
    Step(
        "2026-11-26 08:55",
        "U0FINN",
        "<@U0BO> solved the login outage calmly and kept customers posted every hour",
    ),
    Step("2026-11-26 13:20", "U0ANA", "<@U0CY> thanks"),
    Step(
        "2026-11-27 09:30",
        "U0BO",
        "<@U0CY> <@U0DEE> <@U0EVA> <@U0FINN> for the smoothest holiday rota we have had",
    ),
    Step("2026-11-27 09:31", "U0BO", "<@U0ANA> <@U0CY> for covering my calls this morning"),
)


EXPECTED = (12, 18)  # recognitions stored, messages posted: the demo checks itself


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def run_demo(out=print) -> int:
    """Play the week; returns 0 when every step behaved as expected."""
    with tempfile.TemporaryDirectory(prefix="bravo-demo-") as tmp, SlackStandIn() as slack:
        for user_id, (name, tz, extra) in PEOPLE.items():
            slack.add_user(user_id, name, tz=tz, **extra)
        slack.add_group(GROUP, ["U0BO", "U0CY", "U0DEE", "U0EVA"])
        settings = load_settings(
            SLACK_BOT_TOKEN="xoxb-demo",
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=slack.api_url,
            DATABASE_URL=f"sqlite:///{Path(tmp) / 'demo.db'}",
            BRAVO_TIMEZONE="Europe/Amsterdam",
            LOG_LEVEL="WARNING",
        )
        clock = FixedClock(datetime(2026, 11, 23, 8, 0, tzinfo=UTC))
        runtime = build_runtime(settings, clock=clock)
        upgrade(runtime.engine)
        server = make_server(
            "127.0.0.1",
            0,
            build_wsgi(build_app(runtime), healthy=runtime.healthy),
            server_class=_Server,
            handler_class=_QuietHandler,
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        stop_sender = start_sender_thread(runtime, slack_client(settings))
        client = SignedClient(f"http://127.0.0.1:{server.server_port}", SECRET, slack)
        out(
            "Bravo demo: a week at Acme Support, played through the real app against a Slack "
            "stand-in.\n"
        )
        try:
            for step in WEEK:
                _play(step, slack, client, clock, out)
        finally:
            stop_sender.set()
            server.shutdown()
            runtime.engine.dispose()
        with runtime.engine.connect() as connection:
            from sqlalchemy import text

            count = connection.execute(text("SELECT count(*) FROM recognitions")).scalar()
        sent = len(slack.calls_to("chat.postMessage"))
        out(
            f"\n{count} recognitions stored. Bravo sent {sent} Slack messages; none left this "
            "machine."
        )
    return 0 if (count, sent) == EXPECTED else 1


def _play(step: Step, slack: SlackStandIn, client: SignedClient, clock: FixedClock, out) -> None:
    from zoneinfo import ZoneInfo

    local = datetime.strptime(step.at, "%Y-%m-%d %H:%M").replace(
        tzinfo=ZoneInfo("Europe/Amsterdam")
    )
    clock.at = local.astimezone(UTC)
    before = len(slack.calls_to("chat.postMessage"))
    name = PEOPLE[step.user][0]
    out(f"── {local:%a %d %b %H:%M} · {name} in #{CHANNEL_NAME}")
    out(f"   /kudos {_readable(step.text)}")
    reply = client.kudos(step.text, user=step.user, channel=CHANNEL, team=slack.team_id)
    answer = reply.json() or {}
    seen = blocks_text(answer.get("blocks")) or answer.get("text", "")
    out(_indent("only " + name.split()[0] + " sees", _readable(seen)))
    expected = 0 if "Nothing was recorded" in reply.text else None
    if expected is None and answer.get("blocks"):
        recipients = len(re.findall(r"<@[UW]", answer["blocks"][0]["text"]["text"]))
        expected = 1 + recipients
    posts = slack.wait_for("chat.postMessage", before + (expected or 0), timeout=5)[before:]
    for call in posts:
        out(
            _indent(
                _where(call),
                _readable(blocks_text(call.args.get("blocks")) or call.args.get("text", "")),
            )
        )
    out("")


def _where(call: Call) -> str:
    channel = call.channel or ""
    if channel[:1] in ("U", "W"):
        return f"DM to {PEOPLE.get(channel, (channel,))[0]}"
    return f"#{CHANNEL_NAME}" if channel == CHANNEL else channel


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
        r"<#C[A-Z0-9]+(?:\|([^>]*))?>", lambda m: "#" + (m.group(1) or CHANNEL_NAME), text
    )
    text = re.sub(r"<!subteam\^[A-Z0-9]+\|([^>]*)>", r"\1", text)
    text = re.sub(r"<!(here|channel|everyone)(?:\|[^>]*)?>", r"@\1", text)
    text = re.sub(r"<!date\^[^|]*\|([^>]*)>", r"\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
