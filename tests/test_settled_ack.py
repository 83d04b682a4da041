"""Through Bolt's own dispatch: a listener that acks and then raises keeps its 200 ack (Bolt
1.30 would clear it and answer 404 after 3 s), and the user is told through the response_url."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
from slack_bolt import Ack, BoltRequest
from slack_sdk import WebClient

from bot.domain.clock import FixedClock
from bot.domain.deps import Deps
from bot.domain.model import WorkspaceDefaults
from bot.settings import Settings
from bot.slack.acks import SettledAck
from bot.slack.app import create_app
from tests.slack_standin import SlackStandIn


class DatabaseDown:
    def __call__(self):
        raise ConnectionError("database is down")


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn() as standin:
        yield standin


def request(slack: SlackStandIn, team: str = "T0001") -> BoltRequest:
    body = {
        "team_id": team,
        "channel_id": "C0001",
        "user_id": "U0GIVER",
        "command": "/boom",
        "text": "",
        "response_url": slack.response_url("boom"),
        "trigger_id": "1.2.3",
    }
    return BoltRequest(
        body=urlencode(body), headers={"content-type": ["application/x-www-form-urlencoded"]}
    )


def test_an_ack_then_a_crash_keeps_the_ack_and_tells_the_user(slack):
    deps = Deps(
        uow=DatabaseDown(),
        clock=FixedClock(datetime(2026, 11, 23, 10, tzinfo=UTC)),
        defaults=WorkspaceDefaults(),
    )
    app = create_app(
        Settings.model_construct(slack_signing_secret=None),
        deps=deps,
        client=WebClient(token="xoxb-test", base_url=slack.api_url),
    )

    @app.command("/boom")
    def handle_boom(ack: Ack) -> None:
        ack()
        raise RuntimeError("after the ack")

    for _ in range(10):
        started = time.perf_counter()
        response = app.dispatch(request(slack))
        assert response.status == 200 and time.perf_counter() - started < 1
    said = slack.wait_for("response_url", 10, response_url_name="boom")
    assert len(said) == 10 and all("Something went wrong" in c.args["text"] for c in said)


def test_a_settled_ack_is_not_taken_back():
    ack = SettledAck()
    ack.response = None
    assert ack.response is None
    ack()
    ack.response = None
    assert ack.response is not None and ack.response.status == 200


class RecordingTime:
    """Bolt's thread runner's view of `time`: real clock, naps recorded."""

    def __init__(self) -> None:
        self.naps: list[float] = []

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        self.naps.append(seconds)
        time.sleep(seconds)


def test_the_answer_leaves_when_the_listener_acks_not_at_the_next_poll(slack, monkeypatch):
    """Bolt's request thread polls for the ack every 10 ms; Bravo's ack wakes it instead, so
    a listener that acks at once is answered without a single poll."""
    import slack_bolt.listener.thread_runner as runner

    import bot.slack.acks

    monkeypatch.setattr(bot.slack.acks, "ACK_WAIT", 2.0)  # a slow machine still wakes in time
    clock = RecordingTime()
    monkeypatch.setattr(runner, "time", clock)
    deps = Deps(
        uow=DatabaseDown(),
        clock=FixedClock(datetime(2026, 11, 23, 10, tzinfo=UTC)),
        defaults=WorkspaceDefaults(),
    )
    app = create_app(
        Settings.model_construct(slack_signing_secret=None),
        deps=deps,
        client=WebClient(token="xoxb-test", base_url=slack.api_url),
    )

    @app.command("/boom")
    def handle_boom(ack: Ack) -> None:
        ack(text="done")

    for _ in range(5):
        response = app.dispatch(request(slack))
        assert response.status == 200 and "done" in response.body
    assert clock.naps == []


def test_only_the_request_thread_waits_for_the_ack():
    ack = SettledAck()
    seen = []
    reader = threading.Thread(target=lambda: seen.append(ack.response))
    started = time.monotonic()
    reader.start()
    reader.join()
    assert seen == [None] and time.monotonic() - started < 0.5
    ack()
    assert ack.response is not None  # the request thread reads a given ack at once
