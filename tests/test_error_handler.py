"""The one error handler, driven through Bolt's dispatch: a user hears that something went wrong
even when the database that knows their language is down."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
from slack_bolt import App, BoltRequest
from slack_sdk import WebClient

from bot.domain.clock import FixedClock
from bot.domain.deps import Deps
from bot.domain.model import WorkspaceDefaults
from bot.settings import Settings
from bot.slack.app import create_app
from tests.slack_standin import SlackStandIn

TOKEN = "xoxb-test-token"


class DatabaseDown:
    """A unit-of-work factory for a database that cannot be reached."""

    def __call__(self):
        raise ConnectionError("database is down")


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn() as standin:
        yield standin


def app_with(deps: Deps, slack: SlackStandIn) -> App:
    settings = Settings.model_construct(slack_signing_secret=None)
    return create_app(settings, deps=deps, client=WebClient(token=TOKEN, base_url=slack.api_url))


def slash_command(text: str) -> BoltRequest:
    body = {
        "team_id": "T0001",
        "channel_id": "C0001",
        "user_id": "U0GIVER",
        "command": "/kudos",
        "text": text,
        "response_url": "https://hooks.example/commands/1",
        "trigger_id": "1.2.3",
    }
    return BoltRequest(
        body=urlencode(body),
        headers={"content-type": ["application/x-www-form-urlencoded"]},
    )


def test_answers_in_the_default_language_when_the_database_is_down(slack, caplog):
    deps = Deps(
        uow=DatabaseDown(),
        clock=FixedClock(datetime(2026, 11, 23, 10, tzinfo=UTC)),
        defaults=WorkspaceDefaults(language="nl"),
    )
    with caplog.at_level(logging.WARNING, logger="bot.slack.error_handler"):
        response = app_with(deps, slack).dispatch(slash_command("<@U0BO> for the calm handover"))
    assert response.status == 200
    answer = json.loads(response.body)
    assert answer["response_type"] == "ephemeral"
    assert answer["text"].startswith("Er ging iets mis aan de kant van Bravo (referentie `")
    assert "workspace language unavailable" in caplog.text
