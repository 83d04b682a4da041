"""Blocks for the scheduled posts: daily principle, weekly digest, monthly leaderboard."""

from __future__ import annotations

from babel.dates import format_date
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.domain.posts import DigestPost, LeaderboardPost, Post, PrinciplePost
from bot.i18n import join, translator
from bot.slack.ids import Action
from bot.slack.views.text import channel, escape, link, mention, quote, truncate

Blocks = list[dict]


def _md(text: str) -> MarkdownTextObject:
    return MarkdownTextObject(text=text)


def build_post(post: Post) -> tuple[str, Blocks]:
    if isinstance(post, PrinciplePost):
        return build_principle_post(post)
    if isinstance(post, DigestPost):
        return build_digest(post)
    return build_leaderboard_post(post)


def _buttons(language: str, slug: str | None = None) -> dict:
    _ = translator(language)
    return ActionsBlock(
        elements=[
            ButtonElement(
                text=_("button.give_kudos"),
                action_id=Action.GIVE_KUDOS,
                value=slug or "",
                style="primary",
            ),
            ButtonElement(text=_("button.share_story"), action_id=Action.SHARE_STORY, value="post"),
        ]
    ).to_dict()


def build_principle_post(post: PrinciplePost) -> tuple[str, Blocks]:
    _ = translator(post.language)
    p = post.principle
    blocks = [
        HeaderBlock(text=truncate(_("principle.header", title=p.title), 150)).to_dict(),
        SectionBlock(text=_md(escape(p.explanation))).to_dict(),
    ]
    if p.try_today:
        blocks.append(
            SectionBlock(text=_md(_("principle.try_today", prompt=escape(p.try_today)))).to_dict()
        )
    if post.lived:
        lived = _(
            "principle.lived",
            giver=mention(post.lived.giver),
            recipient=mention(post.lived.recipient),
        )
        blocks.append(SectionBlock(text=_md(lived)).to_dict())
        blocks.append(SectionBlock(text=_md(quote(post.lived.reason))).to_dict())
    else:
        blocks.append(SectionBlock(text=_md(_("principle.nobody_yet", slug=p.slug))).to_dict())
    note = _("principle.source", source=escape(p.source)) if p.source else _("principle.custom")
    blocks.append(ContextBlock(elements=[_md(f"`#{p.slug}` · {note}")]).to_dict())
    blocks.append(_buttons(post.language, p.slug))
    text = _("principle.fallback", title=escape(p.title), explanation=escape(p.explanation))
    return truncate(text, 3000), blocks


def _day(value, language: str) -> str:
    return format_date(value, "d MMM", locale=language)


def build_digest(post: DigestPost) -> tuple[str, Blocks]:
    _ = translator(post.language)
    s = post.stats
    header = _(
        "digest.header", start=_day(post.start, post.language), end=_day(post.end, post.language)
    )
    blocks = [HeaderBlock(text=truncate(header, 150)).to_dict()]
    if post.empty:
        blocks.append(SectionBlock(text=_md(_("digest.empty"))).to_dict())
        blocks.append(_buttons(post.language))
        return _("digest.empty_fallback"), blocks
    counts = [
        _("digest.counts.shoutouts", count=s.shoutouts),
        _("digest.counts.stories", count=post.stories),
        _("digest.counts.people", count=s.people),
        _("digest.counts.first_timers", count=len(s.first_timers)),
    ]
    blocks.append(SectionBlock(text=_md(" · ".join(counts))).to_dict())
    lines = [_("digest.spotlight")] + [
        _("digest.spotlight_line", person=mention(user), count=count)
        for user, count in post.spotlight
    ]
    blocks.append(SectionBlock(text=_md("\n".join(lines))).to_dict())
    if post.top_stories:
        lines = [_("digest.top_stories")] + [
            _(
                "digest.story_line",
                title=link(story.permalink, story.title),
                author=mention(story.author),
                emoji=post.applause_emoji,
                applause=story.applause,
            )
            for story in post.top_stories
        ]
        blocks.append(SectionBlock(text=_md("\n".join(lines))).to_dict())
    if s.first_timers:
        people = join([mention(u) for u in s.first_timers[:20]], post.language)
        blocks.append(SectionBlock(text=_md(_("digest.first_timers", people=people))).to_dict())
    blocks.append(DividerBlock().to_dict())
    if s.recognitions:  # a week of stories without teammates credited has no balance to show
        success_share = round(100 * s.success / s.recognitions)
        balance = _(
            "digest.balance",
            success=s.success,
            recovery=s.recovery,
            success_share=success_share,
            recovery_share=100 - success_share,
        )
        blocks.append(SectionBlock(text=_md(balance)).to_dict())
    if post.needs_nudge:
        blocks.append(SectionBlock(text=_md(_("digest.nudge"))).to_dict())
    blocks.append(_buttons(post.language))
    shoutouts = _("count.shoutouts", count=s.shoutouts)
    people = _("count.people_recognised", count=s.people)
    return _("digest.fallback", shoutouts=shoutouts, people=people), blocks


def build_leaderboard_post(post: LeaderboardPost) -> tuple[str, Blocks]:
    _ = translator(post.language)
    month = format_date(post.month, "LLLL yyyy", locale=post.language)
    blocks = [HeaderBlock(text=_("leaderboard.header", month=month)).to_dict()]
    if not post.top:
        blocks.append(SectionBlock(text=_md(_("leaderboard.empty", month=month))).to_dict())
        return _("leaderboard.fallback", month=month, count=0), blocks
    lines = [
        _("leaderboard.line", rank=i, person=mention(user), count=count)
        for i, (user, count) in enumerate(post.top, start=1)
    ]
    blocks.append(SectionBlock(text=_md("\n".join(lines))).to_dict())
    s = post.stats
    share = round(100 * s.success / s.recognitions)
    blocks.append(
        ContextBlock(
            elements=[
                _md(
                    _(
                        "digest.balance",
                        success=s.success,
                        recovery=s.recovery,
                        success_share=share,
                        recovery_share=100 - share,
                    )
                )
            ]
        ).to_dict()
    )
    return _("leaderboard.fallback", month=month, count=s.recognitions), blocks


def build_target_paused(language: str, kind: str, channel_id: str, error: str) -> str:
    _ = translator(language)
    return _(
        "admin.target_paused",
        kind=kind,
        kind_name=_("kind_name." + kind),
        channel=channel(channel_id),
        error=escape(error),
    )
