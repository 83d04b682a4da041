"""Blocks for thanking in the conversation: the one reply under a thanked message, the hint for
a mention without recipients, and the announcement's "Also thanked by" line and its button."""

from __future__ import annotations

from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

from bot.domain.conversation import ThanksReply
from bot.i18n import join, translator
from bot.slack.ids import Action, Block
from bot.slack.views.text import mention

Blocks = list[dict]
NAMED = 3  # givers named in a reply; beyond that "and N others"


def givers_text(givers: tuple[str, ...], language: str) -> str:
    """`@Ana, @Bo and 2 others`: up to NAMED people by name, then a count."""
    _ = translator(language)
    if len(givers) <= NAMED:
        return join([mention(g) for g in givers], language)
    shown = [mention(g) for g in givers[: NAMED - 1]]
    rest = len(givers) - len(shown)
    return join([*shown, _("conversation.reply.others", count=rest)], language)


def build_thanks_reply(reply: ThanksReply) -> tuple[str, Blocks]:
    """Bravo's one threaded reply under a message thanked by reaction (fallback text, blocks)."""
    _ = translator(reply.language)
    if reply.givers:
        text = _(
            "conversation.reply",
            givers=givers_text(reply.givers, reply.language),
            author=mention(reply.author),
        )
    else:
        text = _("conversation.reply.none")
    return text, [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]


# The announcement's two parts below are plain dicts (what the block models serialise to), as
# the rest of the announcement: the sender builds one for every /kudos.


def build_also_thanked(also: tuple[str, ...], language: str) -> Blocks:
    """The announcement's "Also thanked by …" line (nothing when nobody joined)."""
    if not also:
        return []
    _ = translator(language)
    line = _("conversation.also", people=givers_text(also, language))
    return [{"elements": [{"text": line, "type": "mrkdwn"}], "type": "context"}]


def build_thanks_too(language: str) -> Blocks:
    """The "+1 Thanks too" button under an announcement."""
    _ = translator(language)
    button = {
        "action_id": Action.THANKS_TOO,
        "text": {"emoji": True, "text": _("conversation.thanks_too"), "type": "plain_text"},
        "type": "button",
        "value": "1",
    }
    return [{"block_id": Block.THANKS_TOO, "elements": [button], "type": "actions"}]


def mention_hint(language: str) -> str:
    """What a mention of Bravo without anyone to thank gets (ephemeral)."""
    return translator(language)("conversation.mention.hint")
