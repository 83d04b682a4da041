"""Scheduled posts whose outcome is unknown, reconciled by the tick from Slack's history: marked
sent when Slack has them, posted again once when it surely does not, left alone when Slack
cannot tell. On real databases against the stand-in, with a fixed clock."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient

from bot.domain.clock import FixedClock
from bot.domain.model import TeamRef, WorkspaceDefaults
from bot.domain.workspaces import change_setting, ensure_workspace
from jobs.tick import tick
from tests.conftest import GIVER

AMS = ZoneInfo("Europe/Amsterdam")
DEFAULTS = WorkspaceDefaults(timezone="Europe/Amsterdam")


def at(text: str) -> datetime:
    """Local Amsterdam time as UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=AMS).astimezone(UTC)


@pytest.fixture
def slack(standin):
    standin.base_time = int(at("2026-11-23T09:00").timestamp())  # messages stamped from then on
    return standin


@pytest.fixture
def client(slack):
    return WebClient(token="xoxb-t", base_url=slack.api_url, timeout=1)


@pytest.fixture
def daily(uow):
    """A workspace posting the daily principle to #daily at 09:00 Amsterdam time."""
    now = at("2026-11-22T20:00")
    with uow() as tx:
        workspace = ensure_workspace(tx, TeamRef("T0001"), DEFAULTS, now)
        change_setting(tx, workspace, "principle-channel", "<#C0DAILY|d>", by=GIVER, now=now)
        tx.commit()


def run_tick(uow, client, when: str):
    return tick(uow=uow, clock=FixedClock(at(when)), client_for=lambda _ws: client)


def landed(slack) -> list[dict]:
    """The daily posts that exist in #daily."""
    return [m for m in slack.history.get("C0DAILY", []) if m.get("metadata")]


def ledger(db) -> tuple[str, str | None, str | None]:
    return tuple(
        db.rows("SELECT status, message_ts, error FROM scheduled_posts WHERE kind='principle'")[0]
    )


def test_every_scheduled_post_carries_its_ledger_id_as_metadata(uow, slack, client, daily, db):
    run_tick(uow, client, "2026-11-23T09:00")
    post_id = db.scalar("SELECT id FROM scheduled_posts WHERE kind='principle'")
    assert [m["metadata"] for m in landed(slack)] == [
        {"event_type": "bravo_post", "event_payload": {"id": post_id}}
    ]


def test_an_unknown_post_that_slack_has_is_marked_sent(uow, slack, client, daily, db):
    slack.hang("chat.postMessage", 2.5, channel="C0DAILY")  # Slack takes it; the client gives up
    run_tick(uow, client, "2026-11-23T09:00")
    assert ledger(db)[0] == "unknown"
    deadline = time.monotonic() + 5
    while not landed(slack) and time.monotonic() < deadline:
        time.sleep(0.05)
    run_tick(uow, client, "2026-11-23T09:01")  # too soon to tell
    assert ledger(db)[0] == "unknown"
    run_tick(uow, client, "2026-11-23T09:03")
    assert ledger(db)[:2] == ("sent", landed(slack)[0]["ts"])
    assert len(slack.calls_to("chat.postMessage")) == 1


def test_an_unknown_post_slack_never_got_is_posted_again_once(uow, slack, client, daily, db):
    slack.fail("chat.postMessage", "fatal_error", channel="C0DAILY", status=503, times=1)
    run_tick(uow, client, "2026-11-23T09:00")
    assert ledger(db)[0] == "unknown" and landed(slack) == []
    run_tick(uow, client, "2026-11-23T09:03")
    run_tick(uow, client, "2026-11-23T09:06")
    assert len(landed(slack)) == 1
    assert ledger(db)[:2] == ("sent", landed(slack)[0]["ts"])


def test_an_unknown_post_the_history_cannot_confirm_is_left_alone(uow, slack, client, daily, db):
    slack.fail("chat.postMessage", "fatal_error", channel="C0DAILY", status=503, times=1)
    slack.fail("conversations.history", "missing_scope")
    run_tick(uow, client, "2026-11-23T09:00")
    run_tick(uow, client, "2026-11-23T09:03")
    status, _ts, error = ledger(db)
    assert status == "unknown" and error == "unverifiable: missing_scope"
    run_tick(uow, client, "2026-11-23T09:10")  # checked once: not again every minute
    assert len(slack.calls_to("conversations.history")) == 1
    assert landed(slack) == []


def test_an_unknown_post_is_not_posted_past_its_grace_window(uow, slack, client, daily, db):
    slack.fail("chat.postMessage", "fatal_error", channel="C0DAILY", status=503, times=1)
    run_tick(uow, client, "2026-11-23T09:00")
    run_tick(uow, client, "2026-11-23T11:30")  # the clock was down: too late to post today
    assert landed(slack) == [] and ledger(db)[0] == "unknown"


def test_two_clocks_reconcile_an_unknown_post_once(uow, slack, client, daily, db):
    slack.fail("chat.postMessage", "fatal_error", channel="C0DAILY", status=503, times=1)
    run_tick(uow, client, "2026-11-23T09:00")
    barrier = threading.Barrier(2)
    errors = []

    def clock_process():
        try:
            barrier.wait()
            run_tick(uow, client, "2026-11-23T09:03")
        except Exception as exc:  # noqa: BLE001 - surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=clock_process) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(landed(slack)) == 1 and ledger(db)[0] == "sent"


def test_of_two_clocks_that_saw_an_unknown_post_at_once_only_one_takes_it(
    uow, slack, client, daily, db
):
    slack.fail("chat.postMessage", "fatal_error", channel="C0DAILY", status=503, times=1)
    run_tick(uow, client, "2026-11-23T09:00")
    now = at("2026-11-23T09:03")
    with uow() as tx:
        [(post_id, seen)] = tx.posts.unknown(now, now - timedelta(hours=2))
    taken = []
    for _clock in range(2):  # both read the row before either took it
        with uow() as tx:
            taken.append(tx.posts.reclaim_unknown(post_id, seen, now))
            tx.commit()
    assert taken[0] is not None and taken[1] is None
