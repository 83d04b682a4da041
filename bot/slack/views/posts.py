"""Blocks for the scheduled posts: daily principle, weekly digest, monthly leaderboard.

Built as plain dicts (what slack_sdk's block models would serialise to): a burst renders one for
each of thousands of workspaces. What a principle post says of the principle itself is rendered
once per principle and language (`_principle_parts`); Block Kit limits are checked for every
view by the property tests.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from babel.dates import format_date

from bot.domain.model import PeriodStats
from bot.domain.posts import DigestPost, LeaderboardPost, Post, PrinciplePost
from bot.domain.principles import Principle
from bot.i18n import join, translator
from bot.slack.ids import Action
from bot.slack.views.text import channel, escape, link, mention, quote, truncate

Blocks = list[dict]

DIVIDER = {"type": "divider"}


def _md(text: str) -> dict:
    return {"text": text, "type": "mrkdwn"}


def _section(text: str) -> dict:
    return {"text": _md(text), "type": "section"}


def _context(text: str) -> dict:
    return {"elements": [_md(text)], "type": "context"}


def _header(text: str) -> dict:
    return {"text": {"emoji": True, "text": text, "type": "plain_text"}, "type": "header"}


def _button(label: str, action_id: str, value: str, style: str | None = None) -> dict:
    button = {
        "action_id": action_id,
        "text": {"emoji": True, "text": label, "type": "plain_text"},
        "type": "button",
    }
    if style:
        button["style"] = style
    if value:  # an empty value is left out, as slack_sdk does
        button["value"] = value
    return button


def build_post(post: Post) -> tuple[str, Blocks]:
    if isinstance(post, PrinciplePost):
        return build_principle_post(post)
    if isinstance(post, DigestPost):
        return build_digest(post)
    return build_leaderboard_post(post)


@lru_cache(maxsize=64)
def _buttons(language: str, slug: str | None = None) -> dict:
    """Shared between posts: never changed once built."""
    _ = translator(language)
    return {
        "elements": [
            _button(_("button.give_kudos"), Action.GIVE_KUDOS, slug or "", "primary"),
            _button(_("button.share_story"), Action.SHARE_STORY, "post"),
        ],
        "type": "actions",
    }


@lru_cache(maxsize=256)
def _principle_parts(p: Principle, language: str) -> tuple[list[dict], dict, dict, str]:
    """What every post of this principle in this language says of it, whoever lived it:
    (the blocks before the lived example, the context, the buttons, the fallback text).
    Shared between posts: never changed once built."""
    _ = translator(language)
    head = [
        _header(truncate(_("principle.header", title=p.title), 150)),
        _section(escape(p.explanation)),
    ]
    if p.try_today:
        head.append(_section(_("principle.try_today", prompt=escape(p.try_today))))
    note = _("principle.source", source=escape(p.source)) if p.source else _("principle.custom")
    text = _("principle.fallback", title=escape(p.title), explanation=escape(p.explanation))
    return head, _context(f"`#{p.slug}` · {note}"), _buttons(language, p.slug), truncate(text, 3000)


def build_principle_post(post: PrinciplePost) -> tuple[str, Blocks]:
    _ = translator(post.language)
    head, context, buttons, text = _principle_parts(post.principle, post.language)
    blocks = list(head)
    if post.lived:
        lived = _(
            "principle.lived",
            giver=mention(post.lived.giver),
            recipient=mention(post.lived.recipient),
        )
        blocks.append(_section(lived))
        blocks.append(_section(quote(post.lived.reason)))
    else:
        blocks.append(_section(_("principle.nobody_yet", slug=post.principle.slug)))
    blocks.append(context)
    blocks.append(buttons)
    return text, blocks


def _day(value, language: str) -> str:
    return format_date(value, "d MMM", locale=language)


def build_digest(post: DigestPost) -> tuple[str, Blocks]:
    _ = translator(post.language)
    s = post.stats
    header = _(
        "digest.header", start=_day(post.start, post.language), end=_day(post.end, post.language)
    )
    blocks = [_header(truncate(header, 150))]
    if post.empty:
        blocks.append(_section(_("digest.empty")))
        blocks.append(_buttons(post.language))
        return _("digest.empty_fallback"), blocks
    counts = [
        _("digest.counts.shoutouts", count=s.shoutouts),
        _("digest.counts.stories", count=post.stories),
        _("digest.counts.people", count=s.people),
        _("digest.counts.first_timers", count=len(s.first_timers)),
    ]
    blocks.append(_section(" · ".join(counts)))
    lines = [_("digest.spotlight")] + [
        _("digest.spotlight_line", person=mention(user), count=count)
        for user, count in post.spotlight
    ]
    blocks.append(_section("\n".join(lines)))
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
        blocks.append(_section("\n".join(lines)))
    if s.first_timers:
        people = join([mention(u) for u in s.first_timers[:20]], post.language)
        blocks.append(_section(_("digest.first_timers", people=people)))
    blocks.append(dict(DIVIDER))
    if s.recognitions:  # a week of stories without teammates credited has no balance to show
        blocks.append(_section(_balance(_, s)))
    if post.needs_nudge:
        blocks.append(_section(_("digest.nudge")))
    blocks.append(_buttons(post.language))
    shoutouts = _("count.shoutouts", count=s.shoutouts)
    people = _("count.people_recognised", count=s.people)
    return _("digest.fallback", shoutouts=shoutouts, people=people), blocks


def build_leaderboard_post(post: LeaderboardPost) -> tuple[str, Blocks]:
    _ = translator(post.language)
    month = format_date(post.month, "LLLL yyyy", locale=post.language)
    blocks = [_header(_("leaderboard.header", month=month))]
    if not post.top:
        blocks.append(_section(_("leaderboard.empty", month=month)))
        return _("leaderboard.fallback", month=month, count=0), blocks
    lines = [
        _("leaderboard.line", rank=i, person=mention(user), count=count)
        for i, (user, count) in enumerate(post.top, start=1)
    ]
    blocks.append(_section("\n".join(lines)))
    blocks.append(_context(_balance(_, post.stats)))
    return _("leaderboard.fallback", month=month, count=post.stats.recognitions), blocks


def _balance(_: Callable[..., str], s: PeriodStats) -> str:
    """Success against recovery, in counts and shares (`s.recognitions` is not 0)."""
    share = round(100 * s.success / s.recognitions)
    return _(
        "digest.balance",
        success=s.success,
        recovery=s.recovery,
        success_share=share,
        recovery_share=100 - share,
    )


def build_target_paused(language: str, kind: str, channel_id: str, error: str) -> str:
    _ = translator(language)
    return _(
        "admin.target_paused",
        kind=kind,
        kind_name=_("kind_name." + kind),
        channel=channel(channel_id),
        error=escape(error),
    )
