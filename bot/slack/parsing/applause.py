"""Reactions on Bravo's posts and the Applaud button in; applause requests out. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from bot.domain.applause import Press, Reaction
from bot.slack.parsing.payloads import team_of


def parse_reaction(body: Mapping) -> Reaction:
    """A reaction_added / reaction_removed envelope."""
    event = body["event"]
    item = event.get("item") or {}
    return Reaction(
        team=team_of(body),
        user=event["user"],
        emoji=event.get("reaction", ""),
        channel=item.get("channel", ""),
        ts=item.get("ts", ""),
        event_id=body.get("event_id") or f"{event['type']}:{event.get('event_ts')}",
        at=datetime.fromtimestamp(float(event.get("event_ts") or 0), UTC),
        added=event["type"] == "reaction_added",
        item_user=event.get("item_user"),
    )


def parse_applaud(body: Mapping) -> Press:
    """The Applaud button: the message it sits on identifies the post."""
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts", "")
    action_ts = (body.get("actions") or [{}])[0].get("action_ts")
    return Press(
        team=team_of(body),
        user=body["user"]["id"],
        channel=channel,
        ts=str(ts),
        at=datetime.fromtimestamp(float(action_ts), UTC) if action_ts else None,
    )
