"""The SPEC 5 memory bar: an idle web worker under 120 MB RSS; the clock with 10,000 workspaces
after a tick under 150 MB.

- web: `bravo serve` with one worker on SQLite against the stand-in; after warm-up requests
  (health checks and signed `/kudos`) and a pause, the worker's VmRSS from /proc;
- clock: `bench.fleet` with `--workspaces` on SQLite, then `bravo tick --at` the 09:00 burst as
  its own process against the stand-in (no latency, so it finishes: memory, not speed, is
  measured here); its peak RSS from `os.wait4` (ru_maxrss), which is at least what it held
  after the tick.

    python -m bench memory [--workspaces 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench import fleet as fleet_mod
from bench.runner import Report
from bench.slack_limits import LimitedSlack, Limits
from bot.entrypoints.standin import SignedClient, SlackStandIn
from storage.db import make_engine
from storage.migrate import upgrade

SECRET = "bench-signing-secret"
BARS = {"web": 120.0, "clock": 150.0}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workspaces", type=int, default=10_000)
    parser.add_argument("--warmup", type=int, default=50, help="signed /kudos before measuring")
    parser.add_argument("--runs", type=int, default=3)


def _env(database: str, api_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BRAVO_"))}
    return (
        env
        | {
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": api_url,
            "DATABASE_URL": database,
            "LOG_LEVEL": "ERROR",
        }
        | extra
    )


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def web_worker(folder: Path, slack: SlackStandIn, warmup: int) -> float:
    """RSS (MB) of the one web worker of `bravo serve`, idle after warm-up requests."""
    database = f"sqlite:///{folder / 'web.db'}"
    port = _free_port()
    env = _env(database, slack.api_url, PORT=str(port), WEB_CONCURRENCY="1")
    server = subprocess.Popen(
        [sys.executable, "-m", "bot.entrypoints.cli", "serve", "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url)
        client = SignedClient(url, SECRET, slack)
        for n in range(warmup):
            client.kudos(f"<@U{n % 20:04d}X> for calming an upset customer #care", user="U0GIVER")
            urllib.request.urlopen(url + "/healthz", timeout=5).read()
        time.sleep(3)  # idle: the sender has posted, the worker's threads are parked
        workers = [
            pid
            for pid in children(server.pid)
            if b"sender" not in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]
        return max(rss_mb(pid) for pid in workers)
    finally:
        server.terminate()
        server.wait(timeout=20)


def clock_tick(database: str, slack: SlackStandIn) -> tuple[float, str]:
    """Peak RSS (MB) of `bravo tick` at the burst, and what it printed."""
    # `ru_maxrss` of a child spawned from this process counts this process's own peak too (Linux
    # records the old address space's high-water mark at exec, and vfork shares ours): after the
    # stand-in here served a burst, that is ~150 MB whatever the clock uses. A small launcher
    # spawns the tick and reports its ru_maxrss, so only the tick's own peak is counted.
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _LAUNCHER,
            sys.executable,
            "-m",
            "bot.entrypoints.cli",
            "tick",
            "--at",
            fleet_mod.BURST.isoformat(),
        ],
        env=_env(database, slack.api_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    output = process.stdout.read().decode() if process.stdout else ""
    process.wait()
    *lines, peak_kb = output.strip().splitlines()
    return int(peak_kb) / 1024, "\n".join(lines).strip()


_LAUNCHER = (
    "import os, subprocess, sys; p = subprocess.Popen(sys.argv[1:]); "
    "_, _, usage = os.wait4(p.pid, 0); print(usage.ru_maxrss, flush=True)"
)


def run(args: argparse.Namespace, progress) -> Report:
    report = Report("memory")
    task = progress.add_task("memory", total=2 * args.runs + 1)
    with tempfile.TemporaryDirectory(prefix="bravo-bench-") as folder:
        folder_path = Path(folder)
        web = []
        with SlackStandIn() as slack:
            slack.add_user("U0GIVER", "Ana Giver")
            for n in range(20):
                slack.add_user(f"U{n:04d}X", f"Person {n}")
            for n in range(args.runs):
                progress.update(task, description=f"memory: web worker, run {n + 1}")
                web.append(web_worker(folder_path, slack, args.warmup))
                progress.advance(task)
        report.add("idle web worker RSS (1 worker, SQLite)", web, "MB", BARS["web"])
        database = f"sqlite:///{folder_path / 'clock.db'}"
        engine = make_engine(database)
        upgrade(engine)
        progress.update(task, description=f"memory: building {args.workspaces:,} workspaces")
        fleet = fleet_mod.build(engine, args.workspaces)
        progress.advance(task)
        clock, printed = [], []
        with LimitedSlack(Limits(latency=0, per_workspace_minute=100_000)) as slack:
            for n in range(args.runs):
                progress.update(task, description=f"memory: clock tick, run {n + 1}")
                fleet_mod.reset(engine, fleet)
                slack.reset()
                peak, output = clock_tick(database, slack)
                clock.append(peak)
                printed.append(output)
                progress.advance(task)
        engine.dispose()
        report.add(
            f"clock peak RSS, tick at the burst ({args.workspaces:,} workspaces, SQLite)",
            clock,
            "MB",
            BARS["clock"],
            note=f"{fleet.due_at_burst:,} due",
        )
        report.details["tick output"] = printed
    return report


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"bravo serve at {url} did not become healthy")
