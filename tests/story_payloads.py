"""Slack payloads for the story, kudos modal, applause and App Home tests, modelled on the
shapes in ../shared/slack-payloads (written here, not copied)."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

from tests.slack_standin import BOT_USER

TEAM = "T0001"
_ids = itertools.count(1)


def eventually(check, timeout: float = 5.0):
    """The first truthy result of `check`, polling until `timeout`."""
    deadline = time.monotonic() + timeout
    while not (result := check()) and time.monotonic() < deadline:
        time.sleep(0.02)
    return result


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
                "action_ts": "1790000000.000003",
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


def submission(
    view: dict[str, Any],
    user: str,
    values: dict[str, dict[str, Any]],
    *,
    view_id: str = "V0STORY0001",
    response_urls: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A view_submission of `view` (as Bravo opened it) with `values` by block id."""
    submitted = dict(view)
    submitted.update(
        id=view_id,
        team_id=TEAM,
        hash="1790000000.abcdef",
        state={"values": {block: {"field": value} for block, value in values.items()}},
        root_view_id=view_id,
        app_id="A0BRAVO",
        bot_id="BBRAVO0001",
    )
    return {
        "type": "view_submission",
        "team": _team(),
        "user": {"id": user, "username": user.lower(), "team_id": TEAM},
        "api_app_id": "A0BRAVO",
        "trigger_id": f"{next(_ids)}.42.trigger",
        "view": submitted,
        "response_urls": response_urls or [],
    }


def text_value(value: str | None) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def users_value(users: list[str]) -> dict[str, Any]:
    return {"type": "multi_users_select", "selected_users": users}


def options_value(values: list[str]) -> dict[str, Any]:
    return {
        "type": "multi_static_select",
        "selected_options": [
            {"value": v, "text": {"type": "plain_text", "text": v}} for v in values
        ],
    }


def radio_value(value: str | None) -> dict[str, Any]:
    option = {"value": value, "text": {"type": "plain_text", "text": value}} if value else None
    return {"type": "radio_buttons", "selected_option": option}


def channel_value(channel: str | None) -> dict[str, Any]:
    return {"type": "conversations_select", "selected_conversation": channel}


def story_values(
    *,
    title: str = "Saved the Jansen renewal",
    customer: str = "Jansen BV",
    body: str = "They were about to cancel; Bo and Cy called back within the hour and fixed "
    "the export together, and the customer renewed for two years.",
    teammates: tuple[str, ...] = (),
    principles: tuple[str, ...] = (),
    kind: str | None = None,
    channel: str | None = "C0STORIES",
) -> dict[str, dict[str, Any]]:
    return {
        "story_title": text_value(title),
        "story_customer": text_value(customer or None),
        "story_body": text_value(body),
        "story_teammates": users_value(list(teammates)),
        "story_principles": options_value(list(principles)),
        "story_kind": radio_value(kind),
        "story_channel": channel_value(channel),
    }


def kudos_values(
    *,
    recipients: tuple[str, ...],
    reason: str = "stayed late to walk a new customer through the whole setup",
    principles: tuple[str, ...] = (),
    kind: str | None = None,
    channel: str | None = "C0SUPPORT",
) -> dict[str, dict[str, Any]]:
    return {
        "kudos_recipients": users_value(list(recipients)),
        "kudos_reason": text_value(reason),
        "kudos_principles": options_value(list(principles)),
        "kudos_kind": radio_value(kind),
        "kudos_channel": channel_value(channel),
    }


def envelope(event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    return {
        "token": "ignored",
        "team_id": TEAM,
        "api_app_id": "A0BRAVO",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_ids):08d}",
        "event_time": 1790000100,
        "authorizations": [
            {"team_id": TEAM, "user_id": BOT_USER, "is_bot": True, "is_enterprise_install": False}
        ],
        "is_ext_shared_channel": False,
    }


def reaction(
    user: str, channel: str, ts: str, *, emoji: str = "clap", added: bool = True
) -> dict[str, Any]:
    return {
        "type": "reaction_added" if added else "reaction_removed",
        "user": user,
        "reaction": emoji,
        "item": {"type": "message", "channel": channel, "ts": ts},
        "event_ts": "1790000100.000200",
    }


def opened_view(bravo, index: int = -1) -> dict[str, Any]:
    """The view Bravo opened (views.open), as the stand-in recorded it."""
    calls = bravo.slack.wait_for("views.open")
    assert calls, "no views.open call"
    view = calls[index].args["view"]
    return json.loads(view) if isinstance(view, str) else view
