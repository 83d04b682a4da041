"""Blocks for a story: the card posted in a channel (with its Applaud button) and the DM each
credited teammate gets."""

from __future__ import annotations

import re

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.domain.model import StoryCard
from bot.i18n import translator
from bot.slack.ids import Action, Block
from bot.slack.views.text import channel, escape, mention, mentions, quote, tags

Blocks = list[dict]
DM_QUOTE = 600  # a teammate's DM shows the start of the story; the card has all of it
# Only links Slack itself made (chat.getPermalink) are echoed, and only if they cannot break
# out of mrkdwn's <url|label> syntax.
_SAFE_URL = re.compile(r"^https://[^\s<>|]+$")


def _md(text: str) -> MarkdownTextObject:
    return MarkdownTextObject(text=text)


def safe_link(url: str | None, label: str) -> str | None:
    return f"<{url}|{escape(label)}>" if url and _SAFE_URL.match(url) else None


def applaud_label(card: StoryCard) -> str:
    _ = translator(card.language)
    if card.applause:
        return _("story.card.applaud_count", count=card.applause)
    return _("story.card.applaud")


def build_story_card(card: StoryCard) -> tuple[str, Blocks]:
    """The story as posted in a channel: fallback text and blocks, with the Applaud button."""
    _ = translator(card.language)
    byline = [_("story.card.by", author=mention(card.author))]
    if card.customer:
        byline.append(_("story.card.customer", customer=escape(card.customer)))
    byline.append(_(f"story.card.kind.{card.kind.value}"))
    blocks = [
        # A section, not a header: header text is plain and cannot be escaped.
        SectionBlock(
            text=_md(_("story.card.title", title=escape(card.title))), block_id=Block.STORY_CARD
        ).to_dict(),
        ContextBlock(elements=[_md(" · ".join(byline))]).to_dict(),
        SectionBlock(text=_md(quote(card.body))).to_dict(),
    ]
    if card.teammates:
        credited = _("story.card.credited", people=mentions(card.teammates, card.language))
        blocks.append(SectionBlock(text=_md(credited)).to_dict())
    notes = []
    if card.principles:
        notes.append(tags(card.principles))
    if source := safe_link(card.source_permalink, _("story.card.source")):
        notes.append(source)
    if notes:
        blocks.append(ContextBlock(elements=[_md(n) for n in notes]).to_dict())
    blocks.append(
        ActionsBlock(
            block_id=Block.STORY_APPLAUSE,
            elements=[
                ButtonElement(
                    text=applaud_label(card), action_id=Action.APPLAUD, value=str(card.id)
                )
            ],
        ).to_dict()
    )
    text = _("story.card.fallback", author=mention(card.author), title=escape(card.title))
    return text, blocks


def build_story_dm(card: StoryCard) -> tuple[str, Blocks]:
    """The DM a credited teammate gets."""
    _ = translator(card.language)
    where = (
        _("story.dm.where", channel=channel(card.message_channel or card.channel_id or ""))
        if (card.message_channel or card.channel_id or "")[:1] in ("C", "G")
        else ""
    )
    title = _("story.dm.title", author=mention(card.author), title=escape(card.title), where=where)
    blocks = [
        SectionBlock(text=_md(title)).to_dict(),
        SectionBlock(text=_md(quote(card.body, limit=DM_QUOTE))).to_dict(),
    ]
    if link := safe_link(card.permalink, _("story.dm.open")):
        blocks.append(ContextBlock(elements=[_md(link)]).to_dict())
    text = _("story.dm.fallback", author=mention(card.author), title=escape(card.title))
    return text, blocks
