"""Payloads for stories, modals, applause and App Home in; typed requests out. Pure functions.

(`parsing.py` holds the `/kudos` text grammar; this module reuses it for `/story` text.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from datetime import UTC, datetime

from bot.domain.applause import Press, Reaction
from bot.domain.model import GiveKudos, Kind, Source, StoryDraft
from bot.slack.ids import Action, Block
from bot.slack.parsing import TOKEN, parse_kudos_command, team_of, unescape
from bot.slack.views.modals import KudosPrefill, StoryPrefill

_USER = re.compile(r"^@([UW][A-Z0-9]+)(?:\|(.*))?$")
_CHANNEL = re.compile(r"^#([CG][A-Z0-9]+)(?:\|(.*))?$")
_SPECIAL = re.compile(r"^!(here|channel|everyone)(?:\|.*)?$")
_GROUP = re.compile(r"^!subteam\^[A-Z0-9]+(?:\|(.*))?$")
_DATE = re.compile(r"^!date\^[^|]*\|(.*)$")


def readable(text: str, names: Mapping[str, str] | None = None) -> tuple[str, tuple[str, ...]]:
    """Slack message markup as plain text a person can edit (line breaks kept), and the users
    it mentions. Mentions read `@name` when `names` knows them."""
    names = names or {}
    users: list[str] = []

    def token(match: re.Match[str]) -> str:
        inner = match.group(1)
        if m := _USER.match(inner):
            users.append(m.group(1))
            return "@" + (m.group(2) or names.get(m.group(1)) or m.group(1))
        if m := _CHANNEL.match(inner):
            return "#" + (m.group(2) or m.group(1))
        if m := _SPECIAL.match(inner):
            return "@" + m.group(1)
        if m := _GROUP.match(inner):
            return m.group(1) or "@group"
        if m := _DATE.match(inner):
            return m.group(1)
        target, _, label = inner.partition("|")
        return label or target.removeprefix("mailto:")

    plain = unescape(TOKEN.sub(token, text or ""))
    lines = [" ".join(line.split()) for line in plain.splitlines()]
    return "\n".join(lines).strip(), tuple(dict.fromkeys(users))


def mentioned_users(text: str) -> tuple[str, ...]:
    return readable(text)[1]


def parse_story_command(
    command: Mapping[str, str], *, principles: Collection[str] = ()
) -> StoryPrefill:
    """`/story [@people] [what happened] [#principle] [#success|#recovery]` as a prefill."""
    parsed = parse_kudos_command(command, principles=principles)
    return StoryPrefill(
        body=parsed.reason,
        teammates=tuple(u for u in parsed.user_ids if u != parsed.giver),
        principles=parsed.principles,
        kind=parsed.kind,
        origin_channel=command.get("channel_id") or None,
    )


def message_of(body: Mapping) -> tuple[str, str, str]:
    """A message shortcut's (channel, ts, text)."""
    message = body.get("message") or {}
    channel = (body.get("channel") or {}).get("id") or ""
    return channel, str(message.get("ts") or body.get("message_ts") or ""), message.get("text", "")


def parse_story_message(
    body: Mapping, *, permalink: str | None, names: Mapping[str, str] | None = None
) -> StoryPrefill:
    """The message shortcut: the message's text as the story, its people as teammates."""
    channel, _, text = message_of(body)
    story, users = readable(text, names)
    author = (body.get("user") or {}).get("id")
    return StoryPrefill(
        body=story,
        teammates=tuple(u for u in users if u != author),
        origin_channel=channel or None,
        source_permalink=permalink,
    )


def parse_open_button(body: Mapping) -> tuple[str | None, tuple[str, ...]]:
    """A Give kudos / Share a story button: the channel it was pressed in and the principle
    its value carries (the daily principle's button pre-tags the modal)."""
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    value = ((body.get("actions") or [{}])[0].get("value") or "").strip()
    return channel or None, ((value,) if value else ())


def kudos_prefill(body: Mapping) -> KudosPrefill:
    channel, principles = parse_open_button(body)
    return KudosPrefill(principles=principles, origin_channel=channel)


def story_prefill(body: Mapping) -> StoryPrefill:
    channel, principles = parse_open_button(body)
    return StoryPrefill(principles=principles, origin_channel=channel)


def _values(view: Mapping) -> Mapping[str, Mapping]:
    values = (view.get("state") or {}).get("values") or {}
    return {block: (actions or {}).get(Action.FIELD) or {} for block, actions in values.items()}


def _metadata(view: Mapping) -> dict:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


def _kind(field: Mapping) -> Kind | None:
    option = field.get("selected_option") or {}
    value = option.get("value")
    return Kind(value) if value in {k.value for k in Kind} else None


def _response_url(body: Mapping, block: Block) -> str | None:
    for entry in body.get("response_urls") or []:
        if entry.get("block_id") == block:
            return entry.get("response_url")
    return None


def parse_story_submission(body: Mapping) -> StoryDraft:
    """The story modal's state as a draft (nothing checked yet)."""
    view = body["view"]
    values = _values(view)
    meta = _metadata(view)
    return StoryDraft(
        team=team_of(body),
        author=body["user"]["id"],
        view_id=view["id"],
        title=values.get(Block.STORY_TITLE, {}).get("value") or "",
        customer=values.get(Block.STORY_CUSTOMER, {}).get("value") or "",
        body=values.get(Block.STORY_BODY, {}).get("value") or "",
        teammates=tuple(values.get(Block.STORY_TEAMMATES, {}).get("selected_users") or ()),
        principles=tuple(
            o["value"] for o in values.get(Block.STORY_PRINCIPLES, {}).get("selected_options") or ()
        ),
        kind=_kind(values.get(Block.STORY_KIND, {})),
        channel_id=values.get(Block.STORY_CHANNEL, {}).get("selected_conversation") or None,
        origin_channel=meta.get("channel") or None,
        source_permalink=meta.get("permalink") or None,
        reply_url=_response_url(body, Block.STORY_CHANNEL),
    )


def parse_kudos_submission(body: Mapping) -> GiveKudos:
    """The kudos modal's state as the same command the slash path builds (source: modal)."""
    view = body["view"]
    values = _values(view)
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
        kind=_kind(values.get(Block.KUDOS_KIND, {})),
        channel_id=values.get(Block.KUDOS_CHANNEL, {}).get("selected_conversation") or None,
        reply_url=_response_url(body, Block.KUDOS_CHANNEL),
        source=Source.MODAL,
    )


def origin_of(view: Mapping) -> str | None:
    """The channel a modal was opened from (kept in its private_metadata)."""
    return _metadata(view).get("channel") or None


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
    return Press(team=team_of(body), user=body["user"]["id"], channel=channel, ts=str(ts))
