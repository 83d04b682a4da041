"""Slack's escaped message markup: the one set of token patterns, and text made readable.

Text arrives with `<...>` tokens for mentions and links and with `&`, `<`, `>` escaped. Take the
tokens out first (`TOKEN`), match what is inside them, then `unescape` the rest.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

TOKEN = re.compile(r"<([^<>]*)>")
"""One `<...>` token; group 1 is what is inside."""

# Patterns for what is inside a token. Group 1 is the id; group 2, if any, the label.
USER = re.compile(r"^@([UW][A-Z0-9]+)(?:\|([^>]*))?$")
GROUP = re.compile(r"^!subteam\^([A-Z0-9]+)(?:\|([^>]*))?$")
CHANNEL = re.compile(r"^#([CG][A-Z0-9]+)(?:\|([^>]*))?$")
SPECIAL = re.compile(r"^!(here|channel|everyone)(?:\|[^>]*)?$")  # group 1: which broadcast
DATE = re.compile(r"^!date\^[^|]*\|(.*)$")  # group 1: the fallback text
HASHTAG = re.compile(r"(?<![\w&#])#([A-Za-z0-9][A-Za-z0-9_-]{0,63})\b")
"""A `#word` typed as plain text (outside tokens); group 1 is the word."""


def unescape(text: str) -> str:
    """Undo Slack's escaping of user-typed `&`, `<` and `>` (after tokens are taken out)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def token_inside(piece: str) -> str | None:
    """What is inside `piece` if the whole of it is one `<...>` token, else None."""
    match = TOKEN.fullmatch(piece)
    return match.group(1) if match else None


def readable(text: str, names: Mapping[str, str] | None = None) -> tuple[str, tuple[str, ...]]:
    """Slack message markup as plain text a person can edit (line breaks kept), and the users
    it mentions. Mentions read `@name` when `names` knows them."""
    names = names or {}
    users: list[str] = []

    def token(match: re.Match[str]) -> str:
        inner = match.group(1)
        if m := USER.match(inner):
            users.append(m.group(1))
            return "@" + (m.group(2) or names.get(m.group(1)) or m.group(1))
        if m := CHANNEL.match(inner):
            return "#" + (m.group(2) or m.group(1))
        if m := SPECIAL.match(inner):
            return "@" + m.group(1)
        if m := GROUP.match(inner):
            return m.group(2) or "@group"
        if m := DATE.match(inner):
            return m.group(1)
        target, _, label = inner.partition("|")
        return label or target.removeprefix("mailto:")

    plain = unescape(TOKEN.sub(token, text or ""))
    lines = [" ".join(line.split()) for line in plain.splitlines()]
    return "\n".join(lines).strip(), tuple(dict.fromkeys(users))


def mentioned_users(text: str) -> tuple[str, ...]:
    """The users a message mentions, in order, once each."""
    return readable(text)[1]
