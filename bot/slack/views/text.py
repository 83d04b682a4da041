"""mrkdwn helpers: escaping user text, mentions, quotes and dates that Slack localises."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.i18n import join


def escape(text: str) -> str:
    """Escape the three characters Slack treats as control in mrkdwn: `&`, `<` and `>`."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


def mentions(user_ids: Iterable[str], language: str) -> str:
    return join([mention(u) for u in user_ids], language)


def channel(channel_id: str) -> str:
    return f"<#{channel_id}>"


def quote(text: str) -> str:
    """User text as a block quote, escaped, so it can never mention or link anything."""
    return "\n".join("> " + line for line in escape(text).splitlines() or [""])


def tags(slugs: Iterable[str]) -> str:
    return " ".join(f"`#{s}`" for s in slugs)


def local_time(at: datetime) -> str:
    """A time each reader sees in their own time zone (with a UTC fallback)."""
    fallback = at.strftime("%H:%M UTC")
    return f"<!date^{int(at.timestamp())}^{{time}} {{date_short_pretty}}|{fallback}>"


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
