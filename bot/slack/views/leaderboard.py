"""Blocks for `/leaderboard` and profiles (`/leaderboard @person`, `/bravo me`). Pure builders.

Long rankings are split over several sections so each stays under Slack's 3000 characters, and
a message never carries more than 50 blocks.
"""

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

from bot.domain.leaderboard import Audience, Leaderboard, Profile
from bot.domain.periods import Window
from bot.domain.rankings import Ranking, Standing
from bot.i18n import translator
from bot.slack.ids import Action
from bot.slack.parsing.leaderboard import export_value
from bot.slack.views.text import channel, escape, mention, truncate

Blocks = list[dict]
SECTION_LIMIT = 3000
HEADER_LIMIT = 150
MAX_BLOCKS = 50
SPARKS = "▁▂▃▄▅▆▇█"


def period_label(window: Window, language: str) -> str:
    """`November 2026`, `Q4 2026`, `2026`, `the week of 23 Nov 2026`, `all time`."""
    _ = translator(language)
    first = window.first_day
    if first is None:
        return _("board.period.all")
    key = window.period
    if key == "today":
        return _("board.period.today", date=format_date(first, "medium", locale=language))
    if key == "week":
        return _("board.period.week", date=format_date(first, "medium", locale=language))
    if key == "year":
        return _("board.period.year", year=first.year)
    if key == "quarter" or "Q" in key:
        return _("board.period.quarter", quarter=(first.month - 1) // 3 + 1, year=first.year)
    return format_date(first, "LLLL y", locale=language)


def _dates(window: Window, language: str) -> str:
    _ = translator(language)
    if window.first_day is None or window.last_day is None:
        return _("board.dates.all")
    return _(
        "board.dates",
        start=format_date(window.first_day, "medium", locale=language),
        end=format_date(window.last_day, "medium", locale=language),
    )


def _md(text: str) -> MarkdownTextObject:
    return MarkdownTextObject(text=text)


def _sections(title: str, lines: list[str]) -> Blocks:
    """A titled list as as many sections as it takes to keep each under the text limit."""
    blocks: Blocks = []
    chunk = title
    for line in lines:
        if len(chunk) + 1 + len(line) > SECTION_LIMIT:
            blocks.append(SectionBlock(text=_md(chunk)).to_dict())
            chunk = line
        else:
            chunk = f"{chunk}\n{line}"
    blocks.append(SectionBlock(text=_md(chunk)).to_dict())
    return blocks


def _line(standing: Standing, language: str, *, split: bool) -> str:
    _ = translator(language)
    values = dict(place=standing.place, person=mention(standing.user_id), total=standing.total)
    if split:
        return _("board.line.split", success=standing.success, recovery=standing.recovery, **values)
    return _("board.line", **values)


def _scope(board: Leaderboard) -> str:
    _ = translator(board.language)
    request = board.request
    parts = []
    if request.channel:
        parts.append(_("board.scope.channel", channel=channel(request.channel)))
    if request.group:
        parts.append(_("board.scope.group", group=f"<!subteam^{request.group}>"))
    if request.principle:
        parts.append(_("board.filter.principle", principle=f"`#{request.principle}`"))
    if request.kind:
        parts.append(_("board.filter.kind", kind=_(f"kind.{request.kind.value}")))
    return ", ".join(parts)


def leaderboard_text(board: Leaderboard) -> str:
    return translator(board.language)(
        "board.fallback", period=period_label(board.window, board.language)
    )


def build_leaderboard(board: Leaderboard) -> Blocks:
    """The ephemeral leaderboard: balance, rankings, the asker's rank; manager tools."""
    _ = translator(board.language)
    language = board.language
    title = _("board.title", period=period_label(board.window, language))
    context = _(
        "board.context",
        dates=_dates(board.window, language),
        timezone=board.timezone,
        scope=_scope(board),
    )
    blocks: Blocks = [
        HeaderBlock(text=truncate(title, HEADER_LIMIT)).to_dict(),
        ContextBlock(elements=[_md(context.strip())]).to_dict(),
    ]
    if not board.recipients.people:
        blocks.append(SectionBlock(text=_md(_("board.empty"))).to_dict())
        return blocks
    balance = board.balance
    summary = _(
        "board.balance",
        success_percent=balance.success_percent,
        recovery_percent=100 - balance.success_percent,
        recognitions=_("count.recognitions", count=balance.total),
        people=_("count.people_recognised", count=board.recipients.people),
    )
    if balance.recovery_heavy:
        summary += "\n" + _("board.balance.nudge")
    blocks.append(SectionBlock(text=_md(summary)).to_dict())
    blocks.append(DividerBlock().to_dict())
    blocks += _ranking(_("board.recipients.title"), board.recipients, board, split=True)
    blocks.append(SectionBlock(text=_md(_mine(board.recipients.mine, board))).to_dict())
    blocks += _ranking(_("board.givers.title"), board.givers, board, split=False)
    if board.authors.top:
        blocks += _ranking(_("board.authors.title"), board.authors, board, split=False)
    if board.audience is Audience.MANAGER:
        blocks.append(DividerBlock().to_dict())
        blocks.append(ContextBlock(elements=[_md(_("board.manager"))]).to_dict())
        blocks.append(
            ActionsBlock(
                elements=[
                    ButtonElement(
                        text=_("board.export.button"),
                        action_id=Action.LEADERBOARD_EXPORT,
                        value=export_value(board.request),
                    )
                ]
            ).to_dict()
        )
    return blocks[:MAX_BLOCKS]


def _ranking(title: str, ranking: Ranking, board: Leaderboard, *, split: bool) -> Blocks:
    if not ranking.top:
        return []
    lines = [_line(s, board.language, split=split) for s in ranking.top]
    if ranking.more and board.audience is Audience.MANAGER:
        lines.append(translator(board.language)("board.more", count=ranking.more))
    return _sections(title, lines)


def _mine(mine: Standing | None, board: Leaderboard) -> str:
    _ = translator(board.language)
    if mine is None:
        return _("board.mine.none")
    return _(
        "board.mine",
        place=mine.place,
        people=board.recipients.people,
        total=mine.total,
        success=mine.success,
        recovery=mine.recovery,
    )


def profile_text(profile: Profile) -> str:
    return translator(profile.language)(
        "profile.fallback", period=period_label(profile.window, profile.language)
    )


def sparkline(values: list[int]) -> str:
    """Eight levels of block characters, scaled to the largest value (all low when empty)."""
    top = max(values, default=0)
    if top == 0:
        return SPARKS[0] * len(values)
    return "".join(SPARKS[round(v * (len(SPARKS) - 1) / top)] for v in values)


def build_profile_blocks(profile: Profile) -> Blocks:
    """One person's stats: received with the split, given, stories, principles, rank, trend."""
    _ = translator(profile.language)
    language = profile.language
    received = profile.received
    lines = [
        _(
            "profile.received",
            total=received.total,
            success=received.success,
            recovery=received.recovery,
        ),
        _("profile.given", given=profile.given),
        _("profile.stories", stories=profile.stories),
    ]
    if received.total:
        lines.append(_("profile.balance", percent=received.success_percent))
    if profile.place is not None:
        lines.append(_("profile.rank", place=profile.place, people=profile.people))
    elif profile.shows_rank:
        lines.append(_("profile.rank.none"))
    if profile.principles:
        tags = ", ".join(f"`#{slug}` ({count})" for slug, count in profile.principles)
        lines.append(_("profile.principles", principles=tags))
    else:
        lines.append(_("profile.principles.none"))
    trend = _(
        "profile.trend",
        sparkline=sparkline([w.success + w.recovery for w in profile.trend]),
        total=sum(w.success + w.recovery for w in profile.trend),
        success=sum(w.success for w in profile.trend),
        recovery=sum(w.recovery for w in profile.trend),
        start=format_date(profile.trend[0].start, "medium", locale=language)
        if profile.trend
        else "",
    )
    title = _(
        "profile.title",
        person=mention(profile.user_id),
        period=period_label(profile.window, language),
    )
    blocks: Blocks = []
    if profile.only_own:
        blocks.append(ContextBlock(elements=[_md(_("profile.only_own"))]).to_dict())
    blocks += [
        SectionBlock(text=_md(title)).to_dict(),
        SectionBlock(text=_md("\n".join(lines))).to_dict(),
        SectionBlock(text=_md(trend)).to_dict(),
    ]
    return blocks


def render(result: Leaderboard | Profile) -> tuple[str, Blocks]:
    """Fallback text and blocks for whichever `show_leaderboard` returned."""
    if isinstance(result, Leaderboard):
        return leaderboard_text(result), build_leaderboard(result)
    return profile_text(result), build_profile_blocks(result)


def usage(language: str, word: str | None = None) -> str:
    _ = translator(language)
    text = _("board.usage")
    if word:
        text = _("board.usage.unknown", word=escape(word.replace("`", "'"))) + "\n" + text
    return text


def export_sent_text(language: str, rows: int) -> str:
    return translator(language)("board.export.sent", count=rows)


def export_preparing_text(language: str) -> str:
    """The ack for `/bravo export`: the file follows in a DM."""
    return translator(language)("board.export.preparing")
