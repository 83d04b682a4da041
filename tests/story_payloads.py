"""Slack payloads for the story, kudos modal, applause and App Home tests, modelled on the
shapes in ../shared/slack-payloads (written here, not copied)."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

from bot.entrypoints.standin import (  # noqa: F401 - re-exported for the tests
    TEAM,
    channel_value,
    envelope,
    kudos_values,
    options_value,
    radio_value,
    reaction,
    story_values,
    submission,
    text_value,
    users_value,
)

_ids = itertools.count(1)


def eventually(check, timeout: float = 5.0):
    """The first truthy result of `check`, polling until `timeout`."""
    deadline = time.monotonic() + timeout
    while not (result := check()) and time.monotonic() < deadline:
        time.sleep(0.02)
    return result


def let_ignored_retries_finish() -> None:
    """Wait out Slack's retries of an event after the test's checks.

    A retry Bravo rightly ignores leaves nothing to wait for, and on SQLite it can still be
    queued for the write lock after later events were handled; left running, it would write into
    (or fail against) the next test's freshly cleaned database.
    """
    time.sleep(0.3)


def _team() -> dict[str, Any]:
    return {"id": TEAM, "domain": "acme"}


def shortcut(callback_id: str, user: str) -> dict[str, Any]:
    return {
        "type": "shortcut",
        "token": "ignored",
        "action_ts": "1790000000.000001",
        "team": _team(),
        "user": {"id": user, "username": user.lower(), "team_id": TEAM},
        "callback_id": callback_id,
        "trigger_id": f"{next(_ids)}.42.trigger",
    }


def message_shortcut(
    user: str, text: str, *, channel: str = "C0SUPPORT", ts: str = "1789990000.000100"
) -> dict[str, Any]:
    return {
        "type": "message_action",
        "token": "ignored",
        "action_ts": "1790000000.000002",
        "team": _team(),
        "user": {"id": user, "name": user.lower()},
        "channel": {"id": channel, "name": "support"},
        "callback_id": "story_from_message",
        "trigger_id": f"{next(_ids)}.42.trigger",
        "message_ts": ts,
        "message": {"type": "message", "text": text, "user": "U0CUSTOMERCARE", "ts": ts},
        "response_url": "https://hooks.slack.invalid/app/T0001/1/x",
    }


def button(
    action_id: str,
    user: str,
    *,
    value: str = "",
    channel: str | None = None,
    message_ts: str | None = None,
    response_url: str | None = None,
    action_ts: str = "1790000000.000003",
) -> dict[str, Any]:
    container: dict[str, Any] = {"type": "view", "view_id": "VHOME"}
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": _team(),
        "user": {"id": user, "team_id": TEAM},
        "api_app_id": "A0BRAVO",
        "trigger_id": f"{next(_ids)}.42.trigger",
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "b",
                "value": value,
                "action_ts": action_ts,  # when it was clicked: two clicks differ
            }
        ],
    }
    if channel:
        container = {"type": "message", "channel_id": channel, "message_ts": message_ts}
        payload["channel"] = {"id": channel, "name": "stories"}
        payload["message"] = {"ts": message_ts, "type": "message"}
    if response_url:
        payload["response_url"] = response_url
    payload["container"] = container
    return payload


def opened_view(bravo, index: int = -1) -> dict[str, Any]:
    """The view Bravo opened (views.open), as the stand-in recorded it."""
    calls = bravo.slack.wait_for("views.open")
    assert calls, "no views.open call"
    view = calls[index].args["view"]
    return json.loads(view) if isinstance(view, str) else view
