"""`/kudos` text, the kudos modal and the kind switch button in; `GiveKudos` out. Pure."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from bot.domain.kinds import TAGS as KIND_TAGS
from bot.domain.model import GiveKudos, Kind, Source, TeamRef
from bot.slack.ids import Block
from bot.slack.parsing.payloads import (
    field_values,
    parse_open_button,
    response_url_for,
    selected_kind,
    team_of,
)
from bot.slack.parsing.prefill import KudosPrefill
from bot.slack.parsing.tokens import CHANNEL, DATE, GROUP, HASHTAG, SPECIAL, TOKEN, USER, unescape


def parse_kudos_command(
    command: Mapping[str, str], *, principles: Collection[str] = ()
) -> GiveKudos:
    """Split `/kudos` text into recipients, groups, principle and kind tags, and the reason.

    Mentions may stand anywhere; everything that is neither a recipient nor a tag is the reason.
    Broadcast mentions in the reason become plain text (`@here`), never live mentions.
    """
    users: list[str] = []
    groups: list[str] = []
    tags: list[str] = []

    def token(match: re.Match[str]) -> str:
        inner = match.group(1)
        if m := USER.match(inner):
            users.append(m.group(1))
            return " "
        if m := GROUP.match(inner):
            groups.append(m.group(1))
            return " "
        if m := SPECIAL.match(inner):
            return "\x00@" + m.group(1) + "\x00"
        if m := CHANNEL.match(inner):
            name = m.group(2).lower() if m.group(2) else m.group(1)
            if name in principles:
                tags.append(name)
                return " "
            return "\x00#" + name + "\x00"
        if m := DATE.match(inner):
            return m.group(1)
        target, _, label = inner.partition("|")
        return "\x00" + (label or target) + "\x00"

    text = TOKEN.sub(token, command.get("text", "") or "")
    kind: Kind | None = None

    def hashtag(match: re.Match[str]) -> str:
        nonlocal kind
        word = match.group(1).lower()
        if word in KIND_TAGS:
            kind = KIND_TAGS[word]
            return " "
        if word in principles:
            tags.append(word)
            return " "
        return match.group(0)

    # Hashtags are looked for only outside what came from tokens (kept between NULs).
    parts = text.split("\x00")
    parts = [HASHTAG.sub(hashtag, p) if i % 2 == 0 else p for i, p in enumerate(parts)]
    reason = " ".join(unescape("".join(parts)).split())
    return GiveKudos(
        team=team_of(command),
        giver=command["user_id"],
        user_ids=tuple(dict.fromkeys(users)),
        group_ids=tuple(dict.fromkeys(groups)),
        reason=reason,
        principles=tuple(dict.fromkeys(tags)),
        kind=kind,
        channel_id=command.get("channel_id") or None,
        reply_url=command.get("response_url") or None,
        request_key=request_key("trigger", command.get("trigger_id")),
    )


def parse_kudos_submission(body: Mapping) -> GiveKudos:
    """The kudos modal's state as the same command the slash path builds (source: modal)."""
    values = field_values(body["view"])
    return GiveKudos(
        team=team_of(body),
        giver=body["user"]["id"],
        user_ids=tuple(
            dict.fromkeys(values.get(Block.KUDOS_RECIPIENTS, {}).get("selected_users") or ())
        ),
        group_ids=(),
        reason=" ".join((values.get(Block.KUDOS_REASON, {}).get("value") or "").split()),
        principles=tuple(
            o["value"] for o in values.get(Block.KUDOS_PRINCIPLES, {}).get("selected_options") or ()
        ),
        kind=selected_kind(values.get(Block.KUDOS_KIND, {})),
        channel_id=values.get(Block.KUDOS_CHANNEL, {}).get("selected_conversation") or None,
        reply_url=response_url_for(body, Block.KUDOS_CHANNEL),
        source=Source.MODAL,
        request_key=request_key("view", body["view"].get("id")),
    )


def request_key(kind: str, slack_id: object) -> str | None:
    """What makes a delivery the same request: each /kudos has its own trigger id, each opened
    modal its own view id; Slack sends them again with a redelivery or a second submit."""
    return f"{kind}:{slack_id}"[:80] if slack_id else None


def kudos_prefill(body: Mapping) -> KudosPrefill:
    """The Give kudos button: the modal opens tagged with its principle, in its channel."""
    channel, principles = parse_open_button(body)
    return KudosPrefill(principles=principles, origin_channel=channel)


@dataclass(frozen=True, slots=True)
class SwitchKind:
    team: TeamRef
    user: str
    shoutout_id: int
    kind: Kind


def parse_switch_kind(body: Mapping) -> SwitchKind:
    """The kind switch button's payload: `<shoutout id>:<kind>` in the action value."""
    action = body["actions"][0]
    shoutout, _, kind = str(action["value"]).partition(":")
    return SwitchKind(
        team=team_of(body),
        user=body["user"]["id"],
        shoutout_id=int(shoutout),
        kind=Kind(kind),
    )
