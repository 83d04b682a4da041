"""Blocks for shout-outs: the giver's confirmation, the channel announcement, the recipient's DM.

Built as plain dicts (what slack_sdk's block models would serialise to): these run for every
`/kudos` and every message the sender posts. Block Kit limits are checked for every view by the
property tests.
"""

from __future__ import annotations

from bot.domain.model import Kind, KudosGiven, ShoutoutCard
from bot.i18n import translator
from bot.slack.ids import Action, Block
from bot.slack.views.conversation import build_also_thanked, build_thanks_too
from bot.slack.views.text import channel, escape, mention, mentions, quote, tags

Blocks = list[dict]


def _md(text: str) -> dict:
    return {"text": text, "type": "mrkdwn"}


def _section(text: str, **extra: object) -> dict:
    return {"text": _md(text), "type": "section", **extra}


def _context(text: str) -> dict:
    return {"elements": [_md(text)], "type": "context"}


def _switch_button(label: str, shoutout_id: int, kind: Kind) -> dict:
    return {
        "action_id": Action.SWITCH_KIND,
        "text": {"emoji": True, "text": label, "type": "plain_text"},
        "type": "button",
        "value": f"{shoutout_id}:{kind.value}",
    }


def build_kudos_confirmation(result: KudosGiven) -> Blocks:
    """What the giver sees (ephemeral) right after a shout-out is recorded."""
    _ = translator(result.language)
    kind_label = _(f"kind.{result.kind.kind.value}")
    why = _(f"kind.why.{result.kind.source.value}", keyword=escape(result.kind.keyword or ""))
    other = Kind.RECOVERY if result.kind.kind is Kind.SUCCESS else Kind.SUCCESS
    lines = [_("kudos.confirm.title", recipients=mentions(result.recipients, result.language))]
    if result.dropped_self:
        lines.append(_("kudos.confirm.dropped_self"))
    notes = [_("kudos.confirm.allowance", count=result.remaining, allowance=result.allowance)]
    if result.principles:
        notes.insert(0, _("kudos.confirm.principles", principles=tags(result.principles)))
    switch = _switch_button(
        _("kind.switch_to", kind=_(f"kind.{other.value}")), result.shoutout_id, other
    )
    return [
        _section("\n".join(lines), block_id=Block.KUDOS_CONFIRMATION),
        _section(_("kudos.confirm.kind", kind=kind_label, why=why), accessory=switch),
        {"elements": [_md(n) for n in notes], "type": "context"},
    ]


def kudos_confirmation_text(result: KudosGiven) -> str:
    _ = translator(result.language)
    return _("kudos.confirm.fallback", recipients=mentions(result.recipients, result.language))


def build_kudos_announcement(card: ShoutoutCard) -> tuple[str, Blocks]:
    """The in-channel post (fallback text and blocks). Recipients are named one by one."""
    _ = translator(card.language)
    who = mentions(card.recipients, card.language)
    title = _("kudos.announce.title", giver=mention(card.giver), recipients=who)
    blocks = _titled_quote(title, card.reason)
    if card.principles:
        blocks.append(_context(tags(card.principles)))
    blocks += build_also_thanked(card.also, card.language) + build_thanks_too(card.language)
    text = _(
        "kudos.announce.fallback",
        giver=mention(card.giver),
        recipients=who,
        reason=escape(card.reason),
    )
    return text, blocks


def _titled_quote(title: str, reason: str) -> Blocks:
    """A title and the quoted reason, as two sections so each stays within 3000 characters."""
    return [_section(title), _section(quote(reason))]


def build_kudos_dm(card: ShoutoutCard) -> tuple[str, Blocks]:
    """The DM each recipient gets."""
    _ = translator(card.language)
    where = (
        _("kudos.dm.where", channel=channel(card.channel_id))
        if (card.channel_id or "")[:1] in ("C", "G")
        else ""
    )
    blocks = _titled_quote(_("kudos.dm.title", giver=mention(card.giver), where=where), card.reason)
    if card.principles:
        blocks.append(_context(tags(card.principles)))
    return _("kudos.dm.fallback", giver=mention(card.giver), reason=escape(card.reason)), blocks


def build_kind_switched(result_language: str, kind: Kind, shoutout_id: int) -> Blocks:
    _ = translator(result_language)
    other = Kind.RECOVERY if kind is Kind.SUCCESS else Kind.SUCCESS
    switch = _switch_button(_("kind.switch_to", kind=_(f"kind.{other.value}")), shoutout_id, other)
    return [_section(_("kudos.kind_switched", kind=_(f"kind.{kind.value}")), accessory=switch)]


def usage(language: str) -> str:
    return translator(language)("kudos.usage")
