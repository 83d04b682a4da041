"""`bravo serve` keeps its outbox sender alive: killed, it is restarted, and what was queued in
the meantime is still announced."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from tests.conftest import BO


def sender_of(arbiter: int) -> int | None:
    """The pid of the `bravo sender` child of gunicorn's arbiter, if one runs."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == arbiter and b"cli sender" in cmdline:
            return int(proc.name)
    return None


def wait_for_sender(arbiter: int, not_pid: int | None = None, timeout: float = 15) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid = sender_of(arbiter)
        if pid and pid != not_pid:
            return pid
        time.sleep(0.1)
    raise AssertionError("no sender process")


def test_a_killed_sender_is_restarted_and_delivers_what_was_queued(bravo):
    arbiter = bravo.process.pid
    first = wait_for_sender(arbiter)
    os.kill(first, signal.SIGKILL)
    reply = bravo.client.kudos(f"<@{BO}> for staying late to fix the Acme export")
    assert "Kudos recorded" in reply.text
    assert wait_for_sender(arbiter, not_pid=first) != first
    assert bravo.slack.wait_for("chat.postMessage", channel="C0SUPPORT", timeout=20)
    assert bravo.slack.wait_for("chat.postMessage", channel=BO, timeout=20)
    assert "outbox sender exited" in bravo.output()
