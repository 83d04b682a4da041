"""`/story` text, the story shortcuts and buttons, and the story modal in; typed requests out."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from bot.domain.model import StoryDraft
from bot.slack.ids import Block
from bot.slack.parsing.kudos import parse_kudos_command
from bot.slack.parsing.payloads import (
    field_values,
    parse_open_button,
    response_url_for,
    selected_kind,
    team_of,
    view_metadata,
)
from bot.slack.parsing.prefill import StoryPrefill
from bot.slack.parsing.tokens import readable


def parse_story_command(
    command: Mapping[str, str], *, principles: Collection[str] = ()
) -> StoryPrefill:
    """`/story [@people] [what happened] [#principle] [#success|#recovery]` as a prefill."""
    parsed = parse_kudos_command(command, principles=principles)  # the same text grammar
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


def story_prefill(body: Mapping) -> StoryPrefill:
    """The Share a story button: the modal opens tagged with its principle, in its channel."""
    channel, principles = parse_open_button(body)
    return StoryPrefill(principles=principles, origin_channel=channel)


def parse_story_submission(body: Mapping) -> StoryDraft:
    """The story modal's state as a draft (nothing checked yet)."""
    view = body["view"]
    values = field_values(view)
    meta = view_metadata(view)
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
        kind=selected_kind(values.get(Block.STORY_KIND, {})),
        channel_id=values.get(Block.STORY_CHANNEL, {}).get("selected_conversation") or None,
        origin_channel=meta.get("channel") or None,
        source_permalink=meta.get("permalink") or None,
        reply_url=response_url_for(body, Block.STORY_CHANNEL),
    )
