"""`/leaderboard` arguments and the Export CSV payload, parsed from literal Slack payloads."""

from __future__ import annotations

import json

import pytest

from bot.domain.leaderboard import LeaderboardRequest
from bot.domain.model import Kind, TeamRef
from bot.slack.parsing.leaderboard import (
    Usage,
    export_value,
    parse_export_action,
    parse_leaderboard_command,
)

PRINCIPLES = frozenset({"care", "consistency"})


def parse(text: str):
    command = {"team_id": "T0001", "user_id": "U0ASK", "channel_id": "C0SUPPORT", "text": text}
    return parse_leaderboard_command(command, principles=PRINCIPLES)


def test_defaults_to_this_month_for_the_whole_workspace():
    assert parse("") == LeaderboardRequest(team=TeamRef("T0001"), asker="U0ASK")


def test_reads_every_argument_in_any_order():
    request = parse("recovery #care <#C0SALES|sales> 2026-q3")
    assert (request.period, request.channel, request.principle, request.kind) == (
        "2026-Q3",
        "C0SALES",
        "care",
        Kind.RECOVERY,
    )


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("<!subteam^S0SUPPORT|@support>", "group", "S0SUPPORT"),
        ("<@U0MARIA|maria>", "person", "U0MARIA"),
        ("<@W0DEE>", "person", "W0DEE"),
        ("<#C0SALES>", "channel", "C0SALES"),
        ("<#C0CARE|care>", "principle", "care"),  # a channel named like a principle is the tag
        ("#success", "kind", Kind.SUCCESS),
        ("SUCCESS", "kind", Kind.SUCCESS),
        ("herstel", "kind", Kind.RECOVERY),
        ("today", "period", "today"),
        ("all", "period", "all"),
    ],
)
def test_reads_each_kind_of_argument(text, field, value):
    assert getattr(parse(text), field) == value


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("lastmonth", "lastmonth"),
        ("#nonsense", "#nonsense"),
        ("care", "care"),  # a principle needs its #
        ("month week", "week"),
        ("<#C0A|a> <!subteam^S0B|@b>", "<!subteam^S0B|@b>"),
        ("<@U0A> <@U0B>", "<@U0B>"),
        ("2026-13", "2026-13"),
        ("&lt;script&gt;", "<script>"),
    ],
)
def test_bad_arguments_ask_for_the_usage_naming_the_word(text, word):
    assert parse(text) == Usage(TeamRef("T0001"), word)


def test_help_shows_the_usage():
    assert parse("help") == Usage(TeamRef("T0001"))


def test_export_button_round_trips_the_leaderboard_it_was_shown_on():
    request = LeaderboardRequest(
        team=TeamRef("T0001"),
        asker="U0BOSS",
        period="2026-Q4",
        channel="C0SALES",
        principle="care",
        kind=Kind.SUCCESS,
    )
    value = export_value(request)
    assert len(value) < 2000
    body = {
        "type": "block_actions",
        "team": {"id": "T0001"},
        "user": {"id": "U0BOSS", "team_id": "T0001"},
        "actions": [{"action_id": "leaderboard_export", "value": value}],
    }
    assert parse_export_action(body) == request


def test_export_asker_is_who_clicked_never_what_the_button_says():
    body = {
        "team": {"id": "T0001"},
        "user": {"id": "U0CLICKER", "team_id": "T0001"},
        "actions": [{"value": json.dumps({"p": "all", "u": "U0BOSS", "c": "not a channel"})}],
    }
    request = parse_export_action(body)
    assert (request.asker, request.period, request.channel) == ("U0CLICKER", "all", None)


def test_export_with_a_mangled_value_falls_back_to_this_month():
    body = {"team": {"id": "T0001"}, "user": {"id": "U0B"}, "actions": [{"value": "{oops"}]}
    assert parse_export_action(body).period == "month"
