"""Leaderboard and profile blocks: content, manager tools only for managers, Block Kit limits."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from bot.domain.export import WeeklySeries
from bot.domain.leaderboard import (
    Audience,
    Balance,
    Leaderboard,
    LeaderboardRequest,
    Profile,
    Week,
)
from bot.domain.model import Kind, TeamRef
from bot.domain.periods import resolve
from bot.domain.rankings import Ranking, Standing
from bot.slack.ids import Action
from bot.slack.views.charts import render_weekly_chart
from bot.slack.views.leaderboard import (
    build_leaderboard,
    build_profile_blocks,
    period_label,
    sparkline,
    usage,
)
from tests.slack_standin import blocks_text

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)
REQUEST = LeaderboardRequest(team=TeamRef("T0001"), asker="U0ASK")


def ranking(count: int, *, mine: Standing | None = None, people: int | None = None) -> Ranking:
    top = tuple(Standing(f"U{i:09d}", i + 1, 1000 - i, (1000 - i) * 2 // 3) for i in range(count))
    total = sum(s.total for s in top)
    return Ranking(top, mine, people or count, total, sum(s.success for s in top))


def board(audience: Audience, count: int = 10, **extra) -> Leaderboard:
    values = dict(
        language="en",
        timezone="Europe/Amsterdam",
        window=resolve("month", now=NOW, tz="Europe/Amsterdam"),
        request=REQUEST,
        audience=audience,
        recipients=ranking(count, mine=Standing("U0ASK", 14, 3, 1), people=count + 40),
        givers=ranking(count),
        authors=ranking(3),
    )
    return Leaderboard(**(values | extra))


def within_limits(blocks: list[dict]) -> None:
    assert len(blocks) <= 50
    for block in blocks:
        text = (block.get("text") or {}).get("text", "")
        if block["type"] == "header":
            assert len(text) <= 150
        else:
            assert len(text) <= 3000
        for element in block.get("elements", []):
            assert len(json.dumps(element.get("value", ""))) <= 2000


def test_shows_ranks_with_the_split_the_askers_rank_and_the_balance():
    text = blocks_text(build_leaderboard(board(Audience.MEMBER)))
    assert "Leaderboard: November 2026" in text
    assert "Nov 1, 2026 to Nov 30, 2026 (Europe/Amsterdam)" in text
    assert "1. <@U000000000>: 1000 (666 success, 334 recovery)" in text
    assert "*You:* number 14 of 50, with 3 (1 success, 2 recovery)." in text
    assert "*Most generous*" in text and "*Top story authors*" in text
    assert "67% success, 33% recovery" in text


def test_members_get_no_manager_tools():
    blocks = build_leaderboard(board(Audience.MEMBER))
    dumped = json.dumps(blocks)
    assert Action.LEADERBOARD_EXPORT.value not in dumped
    assert "more people" not in blocks_text(blocks)


def test_managers_get_the_full_ranking_and_the_export_button_within_limits():
    blocks = build_leaderboard(board(Audience.MANAGER, count=100))
    within_limits(blocks)
    text = blocks_text(blocks)
    assert "100. <@U000000099>" in text
    assert "…and 40 more people" in text
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert [b["action_id"] for b in buttons] == [Action.LEADERBOARD_EXPORT]


def test_sixty_rows_with_long_names_still_fit_block_kit():
    wide = tuple(Standing("W" + "9" * 30, i + 1, 10**9, 10**8) for i in range(60))
    crowded = Ranking(wide, None, 60, 60 * 10**9, 60 * 10**8)
    blocks = build_leaderboard(
        board(Audience.MANAGER, recipients=crowded, givers=crowded, authors=crowded)
    )
    within_limits(blocks)
    assert blocks_text(blocks).count("W" + "9" * 30) == 180


def test_nudges_when_most_thanks_were_for_recovery():
    heavy = Ranking((Standing("U1", 1, 10, 2),), None, 1, 10, 2)
    text = blocks_text(build_leaderboard(board(Audience.MEMBER, recipients=heavy)))
    assert "Who made a customer's day without one?" in text


def test_an_empty_period_invites_the_first_shout_out():
    text = blocks_text(build_leaderboard(board(Audience.MANAGER, recipients=Ranking())))
    assert "No recognitions here yet" in text
    assert "Most recognised" not in text


def test_names_the_scope_and_filters():
    request = LeaderboardRequest(
        team=TeamRef("T0001"), asker="U0ASK", channel="C0SALES", principle="care", kind=Kind.SUCCESS
    )
    text = blocks_text(build_leaderboard(board(Audience.MEMBER, request=request)))
    assert "in <#C0SALES>, tagged `#care`, success only" in text


def test_period_labels_read_naturally():
    def label(period: str) -> str:
        return period_label(resolve(period, now=NOW, tz="Europe/Amsterdam"), "en")

    assert label("2026-11") == "November 2026"
    assert label("quarter") == label("2026-Q4") == "Q4 2026"
    assert label("year") == "2026"
    assert label("all") == "all time"
    assert label("week") == "the week of Nov 23, 2026"


def profile(**extra) -> Profile:
    values = dict(
        language="en",
        window=resolve("all", now=NOW, tz="Europe/Amsterdam"),
        user_id="U0BO",
        is_self=True,
        received=Balance(8, 2),
        given=4,
        stories=1,
        principles=(("care", 5), ("consistency", 2)),
        trend=tuple(Week(date(2026, 9, 7), i % 3, i % 2) for i in range(12)),
        place=2,
        people=9,
        shows_rank=True,
    )
    return Profile(**(values | extra))


def test_profile_shows_received_given_stories_principles_rank_and_trend():
    blocks = build_profile_blocks(profile())
    within_limits(blocks)
    text = blocks_text(blocks)
    for phrase in (
        "Stats for <@U0BO>: all time",
        "*Received:* 10 (8 success, 2 recovery)",
        "*Given:* 4",
        "*Stories shared:* 1",
        "*Balance:* 80% success",
        "*Rank:* number 2 of 9",
        "`#care` (5), `#consistency` (2)",
        "*Last 12 weeks:*",
    ):
        assert phrase in text


def test_own_stats_only_show_no_rank_and_say_why():
    text = blocks_text(build_profile_blocks(profile(place=None, shows_rank=False, only_own=True)))
    assert "Rank" not in text
    assert "Only Bravo managers can look up other people's stats" in text


def test_sparkline_scales_to_the_busiest_week():
    assert sparkline([0, 1, 2, 4]) == "▁▃▅█"
    assert sparkline([0, 0]) == "▁▁"


def test_usage_names_the_word_it_did_not_understand_escaped():
    text = usage("en", "<script>")
    assert text.startswith("I didn't understand `&lt;script&gt;`.")
    assert "/leaderboard [today|week|month" in text


def test_chart_is_a_png_of_stacked_weeks():
    series = WeeklySeries(
        language="en",
        weeks=tuple(date(2026, 9, 7 + 7 * i) if i < 3 else date(2026, 10, i) for i in range(12)),
        success=tuple(range(12)),
        recovery=tuple(12 - i for i in range(12)),
    )
    png = render_weekly_chart(series, title="November 2026")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
