"""`bravo serve` keeps its outbox senders alive (two by default): one killed is restarted, and
what was queued in the meantime is still announced."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from tests.conftest import BO


def senders_of(arbiter: int) -> set[int]:
    """The pids of the `bravo sender` children of gunicorn's arbiter."""
    found = set()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        state, parent = stat.rsplit(")", 1)[1].split()[:2]
        if int(parent) == arbiter and b"cli sender" in cmdline and state != "Z":
            found.add(int(proc.name))
    return found


def wait_for_senders(arbiter: int, count: int = 2, timeout: float = 15) -> set[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = senders_of(arbiter)
        if len(pids) == count:
            return pids
        time.sleep(0.1)
    raise AssertionError(f"not {count} sender processes: {senders_of(arbiter)}")


def test_killed_senders_are_restarted_and_deliver_what_was_queued(bravo):
    """Both killed: the kudos queued meanwhile can only be announced by the restarted ones."""
    arbiter = bravo.process.pid
    before = wait_for_senders(arbiter)
    for pid in before:
        os.kill(pid, signal.SIGKILL)
    reply = bravo.client.kudos(f"<@{BO}> for staying late to fix the Acme export")
    assert "Kudos recorded" in reply.text
    deadline = time.monotonic() + 20
    while len(senders_of(arbiter) - before) < 2:
        assert time.monotonic() < deadline, "the killed senders were not replaced"
        time.sleep(0.1)
    assert not senders_of(arbiter) & before
    assert bravo.slack.wait_for("chat.postMessage", channel="C0SUPPORT", timeout=20)
    assert bravo.slack.wait_for("chat.postMessage", channel=BO, timeout=20)
    assert "outbox sender exited" in bravo.output()


def test_one_killed_sender_is_replaced_while_the_other_keeps_running(bravo):
    arbiter = bravo.process.pid
    before = wait_for_senders(arbiter)
    killed = min(before)
    os.kill(killed, signal.SIGKILL)
    deadline = time.monotonic() + 15
    while killed in senders_of(arbiter) or len(senders_of(arbiter)) < 2:
        assert time.monotonic() < deadline, "the killed sender was not replaced"
        time.sleep(0.1)
    after = wait_for_senders(arbiter)
    assert killed not in after and len(after - before) == 1  # the other one kept running
