"""The Messages port over Slack's Web API: a reacted-to message read back, and its permalink.

`conversations.history` (latest = the message, inclusive, limit 1) finds a channel message;
a reply inside a thread is only in `conversations.replies`. Both need the history scope of the
conversation's type (`channels:history`, `groups:history`, `im:history`).
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.conversation import ChatMessage
from bot.domain.ports import Directory
from bot.slack.parsing.conversation import to_plain
from bot.slack.parsing.tokens import mentioned_users

log = logging.getLogger(__name__)


class SlackMessages:
    def __init__(self, client: WebClient, directory: Directory) -> None:
        self.client = client
        self.directory = directory

    def message(self, channel: str, ts: str) -> ChatMessage | None:
        found = self._read(self.client.conversations_history, channel=channel, latest=ts)
        if found is None:  # a reply in a thread
            found = self._read(self.client.conversations_replies, channel=channel, ts=ts)
        if found is None or str(found.get("ts")) != ts:
            return None
        text = str(found.get("text") or "")
        names = {}
        for user_id in mentioned_users(text):
            person = self.directory.person(user_id)
            if person and person.name:
                names[user_id] = person.name
        from_bot = bool(found.get("bot_id") or found.get("subtype"))
        return ChatMessage(user=found.get("user"), text=to_plain(text, names), from_bot=from_bot)

    def permalink(self, channel: str, ts: str) -> str | None:
        try:
            return self.client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"]
        except SlackApiError as error:
            log.warning("no permalink for %s/%s: %s", channel, ts, error.response.get("error"))
            return None

    def _read(self, method, **args: str) -> dict | None:
        ts = args.get("latest") or args["ts"]
        try:
            messages = method(inclusive=True, limit=1, **args)["messages"]
        except SlackApiError as error:
            log.warning("cannot read %s/%s: %s", args["channel"], ts, error.response.get("error"))
            return None
        return next((m for m in messages if str(m.get("ts")) == ts), None)
