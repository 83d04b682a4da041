"""The App Home tab, and the short intro Bravo posts in a channel it was added to."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View as SdkView

from bot.domain.home import HomePage
from bot.domain.model import PersonStats, Received, TeamStats
from bot.i18n import translator
from bot.slack.ids import Action, Block
from bot.slack.views.text import escape, local_time, mention, truncate

Blocks = list[dict]
RECEIVED_TEXT = 280  # a line per recognition; the full reason is in the channel


def _md(text: str) -> MarkdownTextObject:
    return MarkdownTextObject(text=text)


def balance(success: int, recovery: int, language: str) -> str:
    """`75% success · 25% recovery`, or a dash when there is nothing to weigh."""
    _ = translator(language)
    total = success + recovery
    if not total:
        return _("home.balance.none")
    share = round(100 * success / total)
    return _("home.balance", success=share, recovery=100 - share)


def _person_fields(stats: PersonStats, language: str) -> list[MarkdownTextObject]:
    _ = translator(language)
    return [
        _md(_("home.stats.received", count=stats.received)),
        _md(_("home.stats.given", count=stats.given)),
        _md(_("home.stats.stories", count=stats.stories)),
        _md(
            _(
                "home.stats.balance",
                balance=balance(stats.received_success, stats.received_recovery, language),
            )
        ),
    ]


def _team_fields(stats: TeamStats, language: str) -> list[MarkdownTextObject]:
    _ = translator(language)
    return [
        _md(_("home.team.shoutouts", count=stats.shoutouts)),
        _md(_("home.team.stories", count=stats.stories)),
        _md(_("home.team.people", count=stats.people)),
        _md(_("home.team.givers", count=stats.givers)),
        _md(_("home.team.balance", balance=balance(stats.success, stats.recovery, language))),
    ]


def _received(item: Received, language: str) -> dict:
    _ = translator(language)
    key = "home.recent.story" if item.story else "home.recent.kudos"
    line = _(
        key,
        giver=mention(item.giver),
        text=escape(truncate(" ".join(item.text.split()), RECEIVED_TEXT)),
    )
    meta = f"{_(f'kind.{item.kind.value}')} · {local_time(item.created_at)}"
    return ContextBlock(elements=[_md(line), _md(meta)]).to_dict()


def build_home(page: HomePage) -> dict:
    """The Home tab: your numbers, recent thanks, today's principle, buttons; managers' team."""
    _ = translator(page.language)
    blocks: Blocks = [
        HeaderBlock(text=_("home.title")).to_dict(),
        SectionBlock(text=_md(_("home.hello", user=mention(page.user)))).to_dict(),
        ActionsBlock(
            block_id=Block.HOME_ACTIONS,
            elements=[
                ButtonElement(
                    text=_("home.give_kudos"), action_id=Action.GIVE_KUDOS, style="primary"
                ),
                ButtonElement(text=_("home.share_story"), action_id=Action.SHARE_STORY),
            ],
        ).to_dict(),
        DividerBlock().to_dict(),
        HeaderBlock(text=_("home.you.month")).to_dict(),
        SectionBlock(fields=_person_fields(page.month, page.language)).to_dict(),
        HeaderBlock(text=_("home.you.all_time")).to_dict(),
        SectionBlock(fields=_person_fields(page.all_time, page.language)).to_dict(),
        DividerBlock().to_dict(),
        HeaderBlock(text=_("home.recent.title")).to_dict(),
    ]
    if page.recent:
        blocks.extend(_received(item, page.language) for item in page.recent)
    else:
        blocks.append(SectionBlock(text=_md(_("home.recent.none"))).to_dict())
    if page.principle:
        p = page.principle
        text = f"*{escape(p.title)}*\n{escape(p.explanation)}"
        blocks += [
            DividerBlock().to_dict(),
            HeaderBlock(text=_("home.principle.title")).to_dict(),
            SectionBlock(text=_md(truncate(text, 3000))).to_dict(),
        ]
        if p.try_today:
            try_today = _("home.principle.try", text=escape(p.try_today))
            blocks.append(ContextBlock(elements=[_md(truncate(try_today, 3000))]).to_dict())
    if page.team is not None:
        blocks += [
            DividerBlock().to_dict(),
            HeaderBlock(text=_("home.team.title")).to_dict(),
            SectionBlock(fields=_team_fields(page.team, page.language)).to_dict(),
        ]
        if page.team.recovery > page.team.success:
            blocks.append(ContextBlock(elements=[_md(_("home.team.nudge"))]).to_dict())
    blocks.append(
        ContextBlock(elements=[_md(_("home.footer", emoji=page.applause_emoji))]).to_dict()
    )
    return SdkView(type="home", blocks=blocks).to_dict()


def build_intro(language: str, applause_emoji: str) -> tuple[str, Blocks]:
    """What Bravo says when it is added to a channel."""
    _ = translator(language)
    blocks = [
        SectionBlock(text=_md(_("intro.hello"))).to_dict(),
        SectionBlock(text=_md(_("intro.how", emoji=applause_emoji))).to_dict(),
        ContextBlock(elements=[_md(_("intro.home"))]).to_dict(),
    ]
    return _("intro.fallback"), blocks
