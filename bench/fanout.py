"""The SPEC 5 fanout bar, as the clock posts today: the 09:00 burst through the real
`jobs.tick.tick`, and an outbox backlog through the sender's loop (`jobs.outbox.run_sender`),
both against the stand-in with Slack's latency and limits (`bench.slack_limits`).

- burst: `bench.fleet` with `--workspaces` (a third in the burst zone, three targets each), one
  tick at 09:00 (directories already synced this window); `--clocks 2` runs two ticks at once
  in two processes. Each workspace posts with its own token, as with per-workspace installs.
- outbox: `--outbox` messages (a shout-out's announcement and its DM, from `give_kudos`) in one
  workspace, drained by the sender's loop until none waits; the best time Slack's limits
  allow is computed from the same buckets.

The stand-in runs in a process of its own (`SlackProcess`), as Slack is not in the clock's
process; the clocks' CPU time per post is reported beside the wall time, since the wall time of
a shared machine depends on what else runs. A smaller fleet's figure is also extrapolated to the
full size (10,002 posts for 10,000 workspaces), linearly. `--outbox 0` measures the burst only.

    python -m bench fanout [--workspaces 300] [--outbox 300] [--latency-ms 100] [--clocks 1]
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from slack_sdk import WebClient
from sqlalchemy import text

from bench import fleet as fleet_mod
from bench.runner import DEFAULT_PG, Report, backends
from bench.slack_limits import Limits, SlackProcess
from bot.domain.clock import FixedClock, SystemClock
from bot.domain.kudos import give_kudos
from bot.domain.model import GiveKudos, Person, TeamRef, WorkspaceDefaults
from bot.slack.keepalive import KeptAliveWebClient
from jobs.outbox import run_sender
from jobs.tick import tick
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.uow import UnitOfWorkFactory

FULL_BURST = 10_002  # targets due at the burst for 10,000 workspaces
FULL_OUTBOX = 5_000
BAR_SECONDS = 60.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workspaces", type=int, default=300)
    parser.add_argument(
        "--outbox", type=int, default=300, help="messages in the backlog (0: the burst only)"
    )
    parser.add_argument("--latency-ms", type=float, default=100)
    parser.add_argument("--clocks", type=int, default=1, choices=(1, 2))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pg", default=DEFAULT_PG)
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))


class Clients:
    """A client per workspace token, of the class the clock's are (connections kept per thread)."""

    def __init__(self, api_url: str) -> None:
        self.api_url, self.clients = api_url, {}

    def __call__(self, workspace) -> WebClient:
        if workspace.team_id not in self.clients:
            self.clients[workspace.team_id] = KeptAliveWebClient(
                token=f"xoxb-{workspace.team_id}", base_url=self.api_url, timeout=10
            )
        return self.clients[workspace.team_id]


def _clock(url: str, api_url: str, start, out) -> None:
    engine = make_engine(url)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    start.wait()
    started, cpu = time.perf_counter(), time.process_time()
    report = tick(uow=uow, clock=FixedClock(fleet_mod.BURST), client_for=Clients(api_url))
    out.put((report.claimed, time.perf_counter() - started, time.process_time() - cpu))
    engine.dispose()


def burst_once(engine, url: str, slack: SlackProcess, clocks: int) -> dict:
    slack.reset()
    standin_cpu = slack.cpu()
    started = time.perf_counter()
    if clocks == 1:
        uow = UnitOfWorkFactory(make_session_factory(engine))
        cpu = time.process_time()
        report = tick(uow=uow, clock=FixedClock(fleet_mod.BURST), client_for=Clients(slack.api_url))
        claimed, cpus = [report.claimed], [time.process_time() - cpu]
    else:
        context = multiprocessing.get_context("spawn")
        start, out = context.Event(), context.Queue()
        workers = [
            context.Process(target=_clock, args=(url, slack.api_url, start, out))
            for _ in range(clocks)
        ]
        for worker in workers:
            worker.start()
        time.sleep(2)
        started = time.perf_counter()
        start.set()
        results = [out.get(timeout=3600) for _ in workers]
        for worker in workers:
            worker.join(timeout=30)
        claimed = [c for c, _, _ in results]
        cpus = [c for _, _, c in results]
    seconds = time.perf_counter() - started
    posted = slack.posted()
    per_channel = Counter(c.args["channel"] for c in posted)
    return {
        "seconds": seconds,
        "posted": len(posted),
        "claimed by each clock": claimed,
        "clock CPU seconds": cpus,
        "stand-in CPU seconds": slack.cpu() - standin_cpu,
        "duplicates": sum(n - 1 for n in per_channel.values() if n > 1),
        "refused (429)": slack.attempts() - len(posted),
        "channels": set(per_channel),
    }


class Everyone:
    """Every id is a plain member (a synced directory)."""

    def person(self, user_id: str) -> Person | None:
        return Person(user_id, user_id, "Europe/Amsterdam")

    def group_members(self, group_id: str) -> list[str] | None:
        return None

    def everyone(self):
        return iter(())


def fill_outbox(uow: UnitOfWorkFactory, messages: int) -> None:
    """messages / 2 shout-outs of one recipient each (an announcement and a DM), five per
    giver (the daily allowance), announced in 50 channels."""
    shoutouts = math.ceil(messages / 2)
    for n in range(shoutouts):
        giver = f"U{n // 5:06d}"
        recipient = f"U{(n // 5 + 1 + n % 5) % (shoutouts // 5 + 6):06d}R"
        give_kudos(
            GiveKudos(
                team=TeamRef("TOUTBOX"),
                giver=giver,
                user_ids=(recipient,),
                group_ids=(),
                reason="for calming an upset customer and solving it the same day",
                channel_id=f"C{n % 50:04d}",
                request_key=f"bench:{n}",
            ),
            uow=uow(),
            clock=SystemClock(),
            directory=Everyone(),
            defaults=WorkspaceDefaults(timezone="Europe/Amsterdam"),
        )


def best_seconds(channels: Counter, limits: Limits) -> float:
    """The least time Slack's limits allow for these messages (one workspace)."""
    per_workspace = max(0, sum(channels.values()) - limits.workspace_burst) / (
        limits.per_workspace_minute / 60
    )
    per_channel = max(
        (max(0, n - limits.channel_burst) / limits.per_channel for n in channels.values()),
        default=0,
    )
    return max(per_workspace, per_channel, limits.latency)


WAITING = "('pending', 'sending', 'failed')"


def drain(uow: UnitOfWorkFactory, slack: SlackProcess, timeout: float = 3600) -> dict:
    """The backlog sent by the sender's own loop (`run_sender`, as `bravo sender` runs it),
    until nothing waits."""
    client = KeptAliveWebClient(token="xoxb-TOUTBOX", base_url=slack.api_url, timeout=10)
    clock, stop = SystemClock(), threading.Event()
    started = time.perf_counter()
    sender = threading.Thread(
        target=run_sender,
        kwargs=dict(uow=uow, client=client, clock=clock, stop=stop, interval=0.05),
        daemon=True,
    )
    sender.start()
    try:
        while time.perf_counter() - started < timeout:
            with uow() as tx:
                waiting = tx.session.execute(
                    text(f"SELECT count(*) FROM outbox WHERE status IN {WAITING}")
                ).scalar()
            if not waiting:
                break
            time.sleep(0.05)
    finally:
        stop.set()
        sender.join(timeout=60)
    seconds = time.perf_counter() - started
    posted = slack.posted()
    return {
        "seconds": seconds,
        "posted": len(posted),
        "refused (429)": slack.attempts() - len(posted),
        "by channel": Counter(c.args["channel"] for c in posted),
        "duplicates": sum(n - 1 for n in Counter(_ident(c) for c in posted).values() if n > 1),
    }


def _ident(call) -> object:
    """The outbox id a post carried in its metadata."""
    meta = call.args.get("metadata") or {}
    return (meta.get("event_payload") or {}).get("id") if isinstance(meta, dict) else meta


def run(args: argparse.Namespace, progress) -> Report:
    report = Report("fanout")
    limits = Limits(latency=args.latency_ms / 1000)
    with (
        tempfile.TemporaryDirectory(prefix="bravo-bench-") as folder,
        backends(args, Path(folder)) as chosen,
        SlackProcess(limits) as slack,
    ):
        parts = 2 if args.outbox else 1
        task = progress.add_task("fanout", total=len(chosen) * parts * args.runs)
        for name, url in chosen:
            report.databases.append(url)
            engine = make_engine(url)
            upgrade(engine)
            fleet = fleet_mod.build(engine, args.workspaces)
            runs = []
            for n in range(args.runs):
                progress.update(task, description=f"fanout: {name}, burst run {n + 1}")
                fleet_mod.reset(engine, fleet)
                runs.append(burst_once(engine, url, slack, args.clocks))
                progress.advance(task)
            seconds = [r["seconds"] for r in runs]
            per_post = [r["seconds"] / max(1, r["posted"]) for r in runs]
            expected = fleet.due_at_burst
            lost = [expected - len(r.pop("channels")) for r in runs]
            clocks = f"{args.clocks} clock{'s' if args.clocks > 1 else ''}"
            report.add(
                f"burst of {expected:,} posts, {name}, {clocks}",
                seconds,
                "s",
                note=f"{expected / (sum(seconds) / len(seconds)):.1f} posts/s",
            )
            report.add(
                f"clock CPU per post, {name}, {clocks}",
                [1000 * sum(r["clock CPU seconds"]) / max(1, r["posted"]) for r in runs],
                "ms",
                note="process CPU time of the clock(s) / posts (the stand-in's not included)",
            )
            full = [p * FULL_BURST for p in per_post]
            report.add(
                f"burst of {FULL_BURST:,} posts (extrapolated), {name}, {clocks}",
                full,
                "s",
                BAR_SECONDS,
                note=f"linear from {expected:,} posts at {args.latency_ms:g} ms latency",
            )
            report.add(f"burst duplicates, {name}", [float(r["duplicates"]) for r in runs], "", 1)
            report.add(f"burst lost posts, {name}", [float(x) for x in lost], "", 1)
            report.details[f"{name} burst"] = runs
            if args.outbox:
                _outbox(report, engine, slack, limits, args, name, progress, task)
            engine.dispose()
    return report


def _outbox(report, engine, slack, limits, args, name, progress, task) -> None:
    uow = UnitOfWorkFactory(make_session_factory(engine))
    runs = []
    for n in range(args.runs):
        progress.update(task, description=f"fanout: {name}, outbox run {n + 1}")
        with engine.begin() as connection:
            for table in ("outbox", "recognition_principles", "recognitions", "shoutouts"):
                connection.exec_driver_sql(f"DELETE FROM {table}")
        fill_outbox(uow, args.outbox)
        slack.reset()
        runs.append(drain(uow, slack))
        progress.advance(task)
    made = 2 * math.ceil(args.outbox / 2)
    best = [best_seconds(r["by channel"], limits) for r in runs]
    report.add(
        f"outbox backlog of {made:,}, {name}",
        [r["seconds"] for r in runs],
        "s",
        note=f"best the limits allow {best[0]:.1f} s; {made / runs[-1]['seconds']:.1f} msg/s",
    )
    report.add(
        f"outbox: share of the best rate the limits allow, {name}",
        [b / r["seconds"] for b, r in zip(best, runs, strict=True)],
        "x",
        0.9,
        True,
    )
    lost = [made - r["posted"] for r in runs]
    report.add(f"outbox duplicates, {name}", [float(r["duplicates"]) for r in runs], "", 1)
    report.add(f"outbox lost, {name}", [float(x) for x in lost], "", 1)
    report.details[f"{name} outbox"] = [
        {k: v for k, v in r.items() if k != "by channel"} | {"channels": len(r["by channel"])}
        for r in runs
    ]
    report.details[f"{name} outbox full size"] = (
        f"{FULL_OUTBOX:,} messages: best the limits allow "
        f"{max(0, FULL_OUTBOX - limits.workspace_burst) / (limits.per_workspace_minute / 60):.0f}"
        f" s; at the measured rate {FULL_OUTBOX * runs[-1]['seconds'] / made:.0f} s"
    )
