"""Thanking in the conversation, parsed: an `@Bravo` mention as the `/kudos` it stands for, the
"+1 Thanks too" button, and a message's Slack markup as plain text. Pure."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import replace

from bot.domain.joining import JoinRequest
from bot.domain.model import GiveKudos, Source
from bot.slack.parsing.applause import parse_applaud
from bot.slack.parsing.kudos import parse_kudos_command
from bot.slack.parsing.payloads import team_of
from bot.slack.parsing.tokens import CHANNEL, DATE, GROUP, SPECIAL, TOKEN, USER, unescape

# Edits, deletions, bot posts and other message subtypes are not someone thanking now.
_NOT_A_PERSON = ("subtype", "bot_id", "edited", "bot_profile")


def parse_mention(
    body: Mapping, *, bot_user: str | None, principles: Collection[str] = ()
) -> GiveKudos | None:
    """`@Bravo @ana thanks for ... #care` as the `/kudos` with the same text (source: mention),
    announced in the mention's thread. None for what is not a person writing a new message."""
    event = body.get("event") or {}
    if any(event.get(key) for key in _NOT_A_PERSON) or not event.get("user"):
        return None
    text = str(event.get("text") or "")
    if bot_user:  # the mention that called Bravo is not a recipient
        text = re.sub(rf"<@{re.escape(bot_user)}(?:\|[^<>]*)?>", " ", text)
    team = team_of(body)
    command = {
        "team_id": team.team_id,
        "enterprise_id": team.enterprise_id or "",
        "user_id": event["user"],
        "channel_id": event.get("channel") or "",
        "text": text,
    }
    ts = str(event.get("ts") or "")
    cmd = parse_kudos_command(command, principles=principles)
    return replace(
        cmd,
        source=Source.MENTION,
        reply_url=None,
        request_key=f"mention:{event.get('channel')}:{ts}"[:80],
        thread_ts=str(event.get("thread_ts") or ts) or None,
        event_id=body.get("event_id") or None,
    )


def parse_thanks_too(body: Mapping) -> JoinRequest:
    """The "+1 Thanks too" button: the announcement it sits on is what is joined."""
    press = parse_applaud(body)
    return JoinRequest(team=press.team, user=press.user, channel=press.channel, ts=press.ts)


def to_plain(text: str, names: Mapping[str, str] | None = None) -> str:
    """A message's Slack markup as plain text to store and quote: people by name, channels as
    `#name`, links as their label (or address), broadcasts and user groups as plain words that
    can never notify anyone again, `&amp;` `&lt;` `&gt;` unescaped. Line breaks are kept."""
    names = names or {}

    def token(match: re.Match[str]) -> str:
        inner = match.group(1)
        if m := USER.match(inner):
            return "@" + (names.get(m.group(1)) or m.group(2) or m.group(1))
        if m := CHANNEL.match(inner):
            return "#" + (m.group(2) or m.group(1))
        if m := SPECIAL.match(inner):
            return "@" + m.group(1)
        if m := GROUP.match(inner):
            return "@" + (m.group(2) or "group").lstrip("@")
        if m := DATE.match(inner):
            return m.group(1)
        if inner.startswith("!"):  # another special Slack may add: its label, never live
            return inner.partition("|")[2] or ""
        target, _, label = inner.partition("|")
        return label or target.removeprefix("mailto:")

    plain = unescape(TOKEN.sub(token, text or ""))
    lines = [" ".join(line.split()) for line in plain.splitlines()]
    return "\n".join(line for line in lines).strip()
