"""Which thread runs a listener, through Bolt's own dispatch on a real database: `/kudos` with
text (whose `ack()` is the last thing it does) runs on the request thread, answered as before,
refusals included; `/kudos` without text, which opens a modal after its ack, stays in Bolt's
executor, so the answer never waits for `views.open`."""

from __future__ import annotations

import threading
import time
from urllib.parse import urlencode

import pytest
from slack_bolt import App, BoltRequest
from slack_sdk import WebClient

from bot.domain.deps import Deps
from bot.settings import Settings
from bot.slack import acks
from bot.slack.app import create_app
from tests.conftest import BO, GIVER, TOKEN


class Threads:
    """The unit-of-work factory the listeners get, noting the thread each unit is made on."""

    def __init__(self, uow) -> None:
        self.uow, self.seen = uow, []

    def __call__(self):
        self.seen.append(threading.get_ident())
        return self.uow()


@pytest.fixture
def threads(services) -> Threads:
    return Threads(services.uow)


@pytest.fixture
def app(services, standin, threads) -> App:
    deps = Deps(uow=threads, clock=services.clock, defaults=services.defaults)
    settings = Settings.model_construct(slack_signing_secret=None)
    return create_app(settings, deps=deps, client=WebClient(token=TOKEN, base_url=standin.api_url))


def kudos(text: str, user: str = GIVER) -> BoltRequest:
    body = {
        "team_id": "T0001",
        "channel_id": "C0SUPPORT",
        "user_id": user,
        "command": "/kudos",
        "text": text,
        "response_url": "https://hooks.example/commands/1",
        "trigger_id": "1.2.3",
    }
    return BoltRequest(
        body=urlencode(body), headers={"content-type": ["application/x-www-form-urlencoded"]}
    )


def test_a_typed_kudos_runs_on_the_request_thread_and_is_answered_as_before(app, threads, db):
    response = app.dispatch(kudos(f"<@{BO}> for the calm handover at midnight"))
    assert response.status == 200
    assert "Bo Berg" in response.body or BO in response.body
    assert db.scalar("SELECT count(*) FROM recognitions") == 1
    assert threads.seen and set(threads.seen) == {threading.get_ident()}


def test_a_refused_typed_kudos_is_answered_from_the_request_thread(app, threads, db):
    response = app.dispatch(kudos(f"<@{GIVER}> for being me"))
    assert response.status == 200 and "yourself" in response.body
    assert db.scalar("SELECT count(*) FROM recognitions") == 0
    assert threads.seen and set(threads.seen) == {threading.get_ident()}


def test_kudos_without_text_opens_its_modal_from_the_executor(app, threads, standin):
    response = app.dispatch(kudos(""))
    assert response.status == 200
    assert standin.wait_for("views.open", 1)
    assert threads.seen and threading.get_ident() not in threads.seen


def test_a_mark_an_earlier_request_left_on_the_thread_does_not_carry_over(app, threads):
    acks._inline.next = True  # as if a marked request had not reached its listener
    request = kudos("")
    request.body["command"] = "/leaderboard"  # a listener without the mark
    response = app.dispatch(request)
    assert response.status == 200 and response.body
    threads_used = set(threads.seen)
    assert threads_used and threading.get_ident() not in threads_used


def test_a_kudos_naming_a_user_group_stays_in_the_executor(app, threads, db):
    # It asks Slack for the group's members before its ack: Bolt's 3 s wait frees the request
    # thread if Slack is slow.
    response = app.dispatch(kudos("<!subteam^S0SUPPORT|@support> for the calm handover"))
    assert response.status == 200
    assert db.scalar("SELECT count(*) FROM recognitions") == 2  # Bo and Cy; the giver dropped
    assert threads.seen and threading.get_ident() not in threads.seen


def test_a_refusal_on_the_request_thread_waits_for_no_ack_from_another(app, monkeypatch):
    # The request thread waits up to ACK_WAIT for an ack another thread may give; a listener
    # that ran on the request thread has given it or never will. Made long, a wait would show.
    monkeypatch.setattr(acks, "ACK_WAIT", 2.0)
    started = time.monotonic()
    response = app.dispatch(kudos(f"<@{GIVER}> for being me"))
    assert response.status == 200 and "yourself" in response.body
    assert time.monotonic() - started < 1.5
