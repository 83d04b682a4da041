"""The trace every post Bravo sends leaves in Slack: message metadata naming its outbox message
or ledger row, and finding those traces again in a conversation's history."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient

from bot.domain.model import OutboxStatus
from jobs.delivery import Outcome, call_slack

OUTBOX_EVENT = "bravo_outbox"  # payload id: the outbox message's id
POST_EVENT = "bravo_post"  # payload id: the ledger row's id
# Read history from a little before the message was stored: Slack's clock and ours may differ.
MARGIN = timedelta(minutes=1)
PAGE = 200
MAX_PAGES = 10


def metadata(event_type: str, ident: int) -> dict[str, Any]:
    """What `chat.postMessage` carries so the post can be found again."""
    return {"event_type": event_type, "event_payload": {"id": ident}}


def find_traces(
    client: WebClient, channel: str, since: datetime, event_type: str
) -> dict[str, str]:
    """The ts of each of Bravo's `event_type` posts in `channel` since `since`, by payload id.

    A user id means the bot's DM with that user. Raises Outcome when the history cannot be read
    (a missing scope, not in the channel, any error) or is too long to read whole.
    """
    if channel[:1] in ("U", "W"):
        channel = call_slack(client.conversations_open, users=channel)["channel"]["id"]
    oldest = f"{(since - MARGIN).timestamp():.6f}"
    found: dict[str, str] = {}
    cursor = None
    for _ in range(MAX_PAGES):
        page = call_slack(
            client.conversations_history,
            channel=channel,
            oldest=oldest,
            include_all_metadata=True,
            limit=PAGE,
            cursor=cursor,
        )
        for message in page.get("messages") or []:
            meta = message.get("metadata") or {}
            if meta.get("event_type") == event_type:
                found[str((meta.get("event_payload") or {}).get("id"))] = message["ts"]
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return found
    raise Outcome(OutboxStatus.UNKNOWN, f"history of {channel} too long to read")
