"""mrkdwn helpers: escaping user text, mentions, quotes and dates that Slack localises."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from bot.domain.personal import is_pseudonym
from bot.i18n import join


def escape(text: str) -> str:
    """Escape the three characters Slack treats as control in mrkdwn: `&`, `<` and `>`."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mention(user_id: str) -> str:
    """A live mention; a forgotten person's pseudonym, which Slack does not know, as plain text."""
    return f"_{user_id}_" if is_pseudonym(user_id) else f"<@{user_id}>"


def mentions(user_ids: Iterable[str], language: str) -> str:
    return join([mention(u) for u in user_ids], language)


def channel(channel_id: str) -> str:
    return f"<#{channel_id}>"


def quote(text: str, limit: int = 2800) -> str:
    """User text as a block quote, escaped so it can never mention or link anything, and cut
    (never inside an escape) so the quote, with its `> ` on every line, stays within `limit`."""
    out: list[str] = []
    size = 0
    for number, line in enumerate(text.splitlines() or [""]):
        prefix = "\n> " if number else "> "
        if size + len(prefix) > limit - 1:
            out.append("…")
            return "".join(out)
        out.append(prefix)
        size += len(prefix)
        escaped = escape(line)
        if size + len(escaped) <= limit - 1:  # the whole line fits: no need to cut it
            out.append(escaped)
            size += len(escaped)
            continue
        for char in line:
            piece = escape(char)
            if size + len(piece) > limit - 1:
                out.append("…")
                return "".join(out)
            out.append(piece)
            size += len(piece)
    return "".join(out)


def tags(slugs: Iterable[str]) -> str:
    return " ".join(f"`#{s}`" for s in slugs)


def local_time(at: datetime) -> str:
    """A time each reader sees in their own time zone (with a UTC fallback)."""
    fallback = at.astimezone(UTC).strftime("%H:%M UTC")
    return f"<!date^{int(at.timestamp())}^{{time}} {{date_short_pretty}}|{fallback}>"


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def link(url: str | None, text: str) -> str:
    """`text` (escaped) linking to `url`; plain escaped text when there is no URL."""
    label = escape(truncate(text, 150)).replace("|", "¦")
    return f"<{url}|{label}>" if url else label
