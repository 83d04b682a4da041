"""The outbox sender killed with SIGKILL mid-batch (with messages claimed ahead and outcomes not
yet recorded), then started again on the same database: every announcement and DM arrives
exactly once. `bravo sender` runs as a real subprocess against the stand-in, on SQLite and
PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from slack_sdk import WebClient
from sqlalchemy import update

from bot.domain.clock import SystemClock
from bot.domain.kudos import give_kudos
from bot.domain.model import GiveKudos, TeamRef, WorkspaceDefaults
from bot.slack.directory import SlackDirectory
from jobs.outbox import CLAIM_AHEAD, SENDER_CONCURRENCY
from jobs.outbox_recorder import RECORD_MOST
from storage.models import OutboxRow
from tests.conftest import BO, CY, TOKEN

SHOUTOUTS = 30  # an announcement and two DMs each


def _store(uow, standin) -> list[int]:
    """30 shout-outs, from 30 people to Bo and Cy, stored (and acked) but not yet sent."""
    client = WebClient(token=TOKEN, base_url=standin.api_url, timeout=5)
    ids = []
    for n in range(SHOUTOUTS):
        result = give_kudos(
            GiveKudos(
                team=TeamRef("T0001"),
                giver=f"U0M{n:03d}",
                user_ids=(BO, CY),
                group_ids=(),
                reason=f"for solving the customer's problem number {n} before lunch",
                channel_id="C0SUPPORT",
            ),
            uow=uow(),
            clock=SystemClock(),
            directory=SlackDirectory(client),
            defaults=WorkspaceDefaults(timezone="Europe/Amsterdam"),
        )
        ids.extend(result.outbox_ids)
    return ids


def _sender(db, standin, tmp_path, name: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BRAVO_"))}
    env.update(
        DATABASE_URL=db.url,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_API_URL=standin.api_url,
        LOG_LEVEL="WARNING",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "bot.entrypoints.cli", "sender"],
        env=env,
        cwd=tmp_path,
        stdout=open(tmp_path / f"{name}.log", "wb"),  # noqa: SIM115 - the child owns it
        stderr=subprocess.STDOUT,
    )


def _wait(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def _delivered(standin) -> Counter:
    """How many times each (channel, outbox id) was posted."""
    return Counter(
        (c.channel, c.args["metadata"]["event_payload"]["id"])
        for c in standin.calls_to("chat.postMessage")
    )


def test_a_sender_killed_mid_batch_loses_nothing_and_posts_nothing_twice(
    db, uow, standin, tmp_path
):
    standin.base_time = int(time.time())  # messages stamped with the real time, as Slack does
    ids = _store(uow, standin)
    assert len(ids) == 3 * SHOUTOUTS
    standin.hang("chat.postMessage", 0.05, times=None)  # a slow Slack: the kill lands mid-send

    first = _sender(db, standin, tmp_path, "first")
    assert _wait(lambda: len(standin.calls_to("chat.postMessage")) >= 40, timeout=60)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    time.sleep(0.3)  # the post in flight when it died still reaches "Slack"

    left = dict(db.rows("SELECT status, count(*) FROM outbox GROUP BY status"))
    assert left.get("pending", 0) > 0, left  # it died mid-batch...
    # ...leaving `sending` the messages it had claimed and not posted (a batch claimed ahead
    # for its workers, at most)...
    sending = {r[0] for r in db.rows("SELECT id FROM outbox WHERE status = 'sending'")}
    posted = {ident for _channel, ident in _delivered(standin)}
    assert len(sending - posted) <= SENDER_CONCURRENCY * CLAIM_AHEAD, left
    # ...and those it posted whose outcomes were not yet recorded (a batch at most).
    assert len(sending & posted) <= RECORD_MOST, left
    # The next sender's clock is the real one: make the dead sender's claim look old enough.
    with db.engine.begin() as connection:
        connection.execute(
            update(OutboxRow)
            .where(OutboxRow.status == "sending")
            .values(claimed_at=datetime.now(UTC) - timedelta(minutes=10))
        )

    second = _sender(db, standin, tmp_path, "second")
    try:
        assert _wait(
            lambda: db.scalar("SELECT count(*) FROM outbox WHERE status='sent'") == len(ids),
            timeout=60,
        ), dict(db.rows("SELECT status, count(*) FROM outbox GROUP BY status"))
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=10)

    delivered = _delivered(standin)
    expected = {("C0SUPPORT", i) for i in ids[0::3]} | {(BO, i) for i in ids[1::3]}
    expected |= {(CY, i) for i in ids[2::3]}
    assert set(delivered) == expected
    assert [key for key, times in delivered.items() if times != 1] == []
