"""Posting at scale (SPEC 5 fanout): the clock's burst and the outbox's backlog are posted by a
bounded pool against a stand-in that answers slowly, each exactly once; a 429 delays only its
channel; two clocks at once still post each target once. SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient
from sqlalchemy import text

from bot.domain.clock import FixedClock, SystemClock
from bot.domain.kudos import give_kudos
from bot.domain.model import (
    GiveKudos,
    OutboxStatus,
    OutboxTopic,
    Person,
    StoryDraft,
    TeamRef,
    WorkspaceDefaults,
)
from bot.domain.outbox import due_messages
from bot.domain.stories import share_story
from bot.domain.workspaces import change_setting, ensure_workspace
from jobs.outbox import run_sender
from jobs.tick import tick
from tests.conftest import GIVER
from tests.slack_standin import SlackStandIn

AMS = ZoneInfo("Europe/Amsterdam")
DEFAULTS = WorkspaceDefaults(timezone="Europe/Amsterdam")
SET_UP = datetime(2026, 11, 22, 19, 0, tzinfo=UTC)
NINE = datetime(2026, 11, 23, 9, 0, tzinfo=AMS).astimezone(UTC)  # a Monday
LATENCY = 0.05  # seconds per chat.postMessage
SENT_PRINCIPLES = (
    "SELECT count(*) FROM scheduled_posts WHERE status = 'sent' AND kind = 'principle'"
)


class SlowSlack(SlackStandIn):
    """The stand-in answering chat.postMessage after LATENCY, counting calls in flight."""

    def __init__(self) -> None:
        super().__init__()
        self.in_flight = self.most_in_flight = 0
        self._flight = threading.Lock()

    def _fault(self, method: str, args: dict[str, Any]):
        if method == "chat.postMessage":
            with self._flight:
                self.in_flight += 1
                self.most_in_flight = max(self.most_in_flight, self.in_flight)
            time.sleep(LATENCY)
            with self._flight:
                self.in_flight -= 1
        return super()._fault(method, args)

    def posted(self) -> list:
        """The chat.postMessage calls Slack took (not refused)."""
        return [c for c in self.calls_to("chat.postMessage") if c.response is not None]


@pytest.fixture
def slack() -> Iterator[SlowSlack]:
    with SlowSlack() as standin:
        yield standin


def workspaces(uow, count: int) -> list[str]:
    """`count` workspaces, each posting its principle at 09:00 in a channel of its own."""
    channels = []
    for n in range(count):
        with uow() as tx:
            workspace = ensure_workspace(tx, TeamRef(f"T{n:04d}"), DEFAULTS, SET_UP)
            channel = f"C{n:04d}"
            change_setting(
                tx, workspace, "principle-channel", f"<#{channel}|c>", by=GIVER, now=SET_UP
            )
            tx.commit()
        channels.append(channel)
    return channels


class Clients:
    """A client per workspace, as with per-workspace installs."""

    def __init__(self, slack: SlackStandIn) -> None:
        self.slack, self.clients, self.lock = slack, {}, threading.Lock()

    def __call__(self, workspace) -> WebClient:
        with self.lock:
            if workspace.team_id not in self.clients:
                self.clients[workspace.team_id] = WebClient(
                    token=f"xoxb-{workspace.team_id}", base_url=self.slack.api_url, timeout=5
                )
            return self.clients[workspace.team_id]


def run_tick(uow, slack, at: datetime = NINE):
    return tick(uow=uow, clock=FixedClock(at), client_for=Clients(slack))


def test_the_burst_is_posted_concurrently_and_exactly_once(uow, slack, db):
    channels = workspaces(uow, 200)
    report = run_tick(uow, slack)
    assert report.claimed == 200
    assert Counter(p.status for p in report.published) == {"sent": 200}
    assert slack.most_in_flight >= 8  # one after another, this would be 1
    assert Counter(c.channel for c in slack.posted()) == dict.fromkeys(channels, 1)
    assert db.scalar(SENT_PRINCIPLES) == 200


def test_a_rate_limited_channel_waits_alone_and_is_posted_once(uow, slack, db):
    channels = workspaces(uow, 40)
    limited = channels[3]
    slack.ratelimit("chat.postMessage", retry_after=2, channel=limited, times=1)
    report = run_tick(uow, slack)
    assert Counter(p.status for p in report.published) == {"sent": 40}
    calls = [c for c in slack.calls_to("chat.postMessage") if c.channel == limited]
    refused, taken = calls
    assert refused.response is None and taken.response is not None
    assert taken.at - refused.at >= 1.9  # it waited for Retry-After...
    others = [c.at for c in slack.posted() if c.channel != limited]
    assert len(others) == 39 and max(others) < taken.at  # ...while the others went ahead
    assert Counter(c.channel for c in slack.posted()) == dict.fromkeys(channels, 1)


def test_a_channel_limited_past_the_tick_is_left_failed_and_posted_by_the_next(uow, slack, db):
    channels = workspaces(uow, 10)
    limited = channels[0]
    slack.ratelimit("chat.postMessage", retry_after=120, channel=limited, times=1)
    report = run_tick(uow, slack)
    statuses = {p.claim.channel_id: (p.status, p.error) for p in report.published}
    assert statuses[limited] == ("failed", "ratelimited")
    assert [c for c in slack.posted() if c.channel == limited] == []
    later = run_tick(uow, slack, NINE.replace(minute=NINE.minute + 2))
    assert [p.status for p in later.published] == ["sent"]
    assert Counter(c.channel for c in slack.posted()) == dict.fromkeys(channels, 1)


def test_two_clocks_at_once_post_each_target_exactly_once(uow, slack, db):
    channels = workspaces(uow, 200)
    start = threading.Barrier(2)
    reports = []

    def clock() -> None:
        start.wait()
        reports.append(run_tick(uow, slack))

    clocks = [threading.Thread(target=clock) for _ in range(2)]
    for thread in clocks:
        thread.start()
    for thread in clocks:
        thread.join(timeout=120)
    assert sum(r.claimed for r in reports) == 200
    assert Counter(c.channel for c in slack.posted()) == dict.fromkeys(channels, 1)
    assert db.scalar(SENT_PRINCIPLES) == 200


# the outbox ---------------------------------------------------------------------------------


class Everyone:
    """Every id is a plain member (a synced directory)."""

    def person(self, user_id: str) -> Person | None:
        return Person(user_id, user_id, "Europe/Amsterdam")

    def group_members(self, group_id: str) -> list[str] | None:
        return None

    def everyone(self) -> Iterator[Person]:
        return iter(())


def backlog(uow, shoutouts: int) -> list[int]:
    """An announcement (in one of ten channels) and a DM for each shout-out."""
    ids = []
    for n in range(shoutouts):
        result = give_kudos(
            GiveKudos(
                team=TeamRef("T0001"),
                giver=f"U0G{n:04d}",
                user_ids=(f"U0R{n:04d}",),
                group_ids=(),
                reason=f"for solving the customer's problem number {n} before lunch",
                channel_id=f"C0ANN{n % 10}",
            ),
            uow=uow(),
            clock=SystemClock(),
            directory=Everyone(),
            defaults=DEFAULTS,
        )
        ids.extend(result.outbox_ids)
    return ids


def drain(uow, slack, expected: int, timeout: float = 60) -> None:
    """Run the sender until `expected` messages are sent (or the timeout), then stop it."""
    stop = threading.Event()
    client = WebClient(token="xoxb-t", base_url=slack.api_url, timeout=5)
    sender = threading.Thread(
        target=run_sender,
        kwargs=dict(uow=uow, client=client, clock=SystemClock(), stop=stop, interval=0.05),
    )
    sender.start()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if len(slack.posted()) >= expected and not _waiting(uow):
                break
            time.sleep(0.05)
    finally:
        stop.set()
        sender.join(timeout=30)


def _waiting(uow) -> bool:
    return bool(due_messages(datetime(2100, 1, 1, tzinfo=UTC), uow=uow(), limit=1))


def _sent_once(slack) -> Counter:
    """How many times each outbox id was posted."""
    return Counter(c.args["metadata"]["event_payload"]["id"] for c in slack.posted())


def test_the_sender_drains_a_backlog_concurrently_each_message_once(uow, slack, db):
    ids = backlog(uow, 150)
    assert len(ids) == 300
    drain(uow, slack, 300)
    assert _sent_once(slack) == dict.fromkeys(ids, 1)
    assert slack.most_in_flight >= 6  # the sender's 8 workers; one after another, 1
    assert db.scalar("SELECT count(*) FROM outbox WHERE status = 'sent'") == 300


def test_a_rate_limited_outbox_channel_waits_alone_and_costs_no_attempt(uow, slack, db):
    ids = backlog(uow, 20)
    slack.ratelimit("chat.postMessage", retry_after=2, channel="C0ANN3", times=1)
    drain(uow, slack, 40)
    assert _sent_once(slack) == dict.fromkeys(ids, 1)
    refused = [c for c in slack.calls_to("chat.postMessage") if c.response is None]
    assert len(refused) == 1 and refused[0].channel == "C0ANN3"
    limited = refused[0].args["metadata"]["event_payload"]["id"]
    taken = next(c for c in slack.posted() if c.args["metadata"]["event_payload"]["id"] == limited)
    assert taken.at - refused[0].at >= 1.9
    others = [c.at for c in slack.posted() if c.channel != "C0ANN3"]
    assert max(others) < taken.at  # the other channels did not wait for it
    assert db.scalar("SELECT attempts FROM outbox WHERE id = :i", i=limited) == 1
    assert db.scalar("SELECT status FROM outbox WHERE id = :i", i=limited) == OutboxStatus.SENT


def test_a_storys_dms_wait_until_its_card_is_up(uow, db):
    draft = StoryDraft(
        team=TeamRef("T0001"),
        author="U0ANA",
        view_id="V1",
        title="Saved the Jansen renewal",
        body="Bo called back within the hour and the customer renewed for two years.",
        customer="Jansen BV",
        teammates=("U0BO", "U0CY"),
        principles=(),
        channel_id="C0STORIES",
        origin_channel="C0SUPPORT",
    )
    share_story(draft, uow=uow(), clock=SystemClock(), directory=Everyone(), defaults=DEFAULTS)
    card, *dms = [r[0] for r in db.rows("SELECT id FROM outbox ORDER BY id")]
    later = datetime(2100, 1, 1, tzinfo=UTC)
    assert due_messages(later, uow=uow()) == [card]  # the DMs link to the card: not yet
    with db.engine.begin() as connection:  # the sender posted the card
        connection.execute(
            text("UPDATE outbox SET status = :s WHERE id = :i"), dict(s="sent", i=card)
        )
    assert due_messages(later, uow=uow()) == dms
    topics = {r[0] for r in db.rows("SELECT topic FROM outbox WHERE id != :i", i=card)}
    assert topics == {OutboxTopic.STORY_DM}
