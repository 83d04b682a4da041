"""At LOG_LEVEL=INFO the log says what an operator needs (where it listens, the schema revision,
the clock, what a tick posted) and nothing from the libraries' internals."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.conftest import GIVER, SECRET, TOKEN, free_port, populate
from tests.slack_standin import SignedClient, SlackStandIn

ROOT = Path(__file__).resolve().parents[1]
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOISE = (
    "alembic.runtime.plugins",
    "setup plugin",
    "Context impl",
    "`token` will be unused",
    "Added job",
    "apscheduler",
)


def environment(tmp: Path, slack: SlackStandIn | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BRAVO_"))}
    return env | {
        "DATABASE_URL": f"sqlite:///{tmp / 'bravo.db'}",
        "SLACK_BOT_TOKEN": TOKEN,  # Bolt reads it too, and would warn about it
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.api_url if slack else "http://127.0.0.1:9/api/",
        "BRAVO_TIMEZONE": "Europe/Amsterdam",
        "LOG_LEVEL": "INFO",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def bravo(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot.entrypoints.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def quiet(log: str) -> None:
    assert [line for line in log.splitlines() if any(n in line for n in NOISE)] == []


def test_db_upgrade_logs_the_revision_and_nothing_from_alembic(tmp_path):
    first = bravo("db", "upgrade", env=environment(tmp_path))
    assert first.returncode == 0, first.stderr
    assert re.search(
        r"INFO storage\.migrate database migrated to revision \w+ \(from empty\)", first.stderr
    )
    again = bravo("db", "upgrade", env=environment(tmp_path))
    assert "database is up to date (revision" in again.stderr
    quiet(first.stderr + again.stderr)


def test_serve_says_where_it_listens_and_a_tick_what_it_posted(tmp_path):
    port = free_port()
    with SlackStandIn() as slack:
        populate(slack)
        env = environment(tmp_path, slack, PORT=str(port), WEB_CONCURRENCY="2")
        server = subprocess.Popen(
            [sys.executable, "-m", "bot.entrypoints.cli", "serve"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
        )
        try:
            _wait_healthy(f"http://127.0.0.1:{port}", server)
            client = SignedClient(f"http://127.0.0.1:{port}", SECRET, slack)
            client.command("/bravo", "set principle-channel <#C0LOVE|customer-love>", user=GIVER)
            at = _next_weekday_nine()
            tick = bravo("tick", "--at", at.isoformat(), env=env)
        finally:
            server.terminate()
            _, served = server.communicate(timeout=30)
    assert f"HTTP mode: listening on 0.0.0.0:{port} (2 workers x 8 threads)" in served
    assert "database migrated to revision" in served
    quiet(served)
    assert tick.returncode == 0, tick.stderr
    when = at.astimezone(UTC).isoformat(timespec="seconds")
    assert f"INFO jobs.tick tick at {when}: 1 due, 1 posted, 0 failed" in tick.stderr
    quiet(tick.stderr)


def test_the_clock_says_it_started(tmp_path):
    assert bravo("db", "upgrade", env=environment(tmp_path)).returncode == 0
    clock = subprocess.Popen(
        [sys.executable, "-m", "bot.entrypoints.cli", "scheduler"],
        env=environment(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        started = clock.stderr.readline()
    finally:
        clock.terminate()
        _, rest = clock.communicate(timeout=15)
    assert "INFO jobs.scheduler clock started: one tick at the top of every minute" in started
    quiet(started + rest)


def _next_weekday_nine() -> datetime:
    """The next 09:00 on a weekday in Amsterdam: when the daily principle is next due."""
    now = datetime.now(AMSTERDAM)
    at = now.replace(hour=9, minute=0, second=0, microsecond=0)
    while at <= now or at.weekday() >= 5:
        at = (at + timedelta(days=1)).replace(hour=9)
    return at


def _wait_healthy(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1]
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("bravo serve did not become healthy")


def test_ctrl_c_stops_the_clock_with_one_line_and_no_traceback(tmp_path):
    assert bravo("db", "upgrade", env=environment(tmp_path)).returncode == 0
    clock = subprocess.Popen(
        [sys.executable, "-m", "bot.entrypoints.cli", "scheduler"],
        env=environment(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert "clock started" in clock.stderr.readline()  # running, then Ctrl-C
        clock.send_signal(signal.SIGINT)
        _, rest = clock.communicate(timeout=15)
    finally:
        clock.kill()
    assert clock.returncode == 130
    assert "bravo: stopped" in rest and "Traceback" not in rest
