"""mrkdwn helpers of bot/slack/views/text.py: escaping, mentions, quotes, localised times."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.slack.views.text import (
    channel,
    escape,
    local_time,
    mention,
    mentions,
    quote,
    tags,
    truncate,
)

RESETS = datetime(2026, 3, 29, 22, tzinfo=UTC)


def test_escapes_the_ampersand_first_so_entities_are_not_doubled():
    assert escape("<&>") == "&lt;&amp;&gt;"
    assert quote("a & b\n<!here>") == "> a &amp; b\n> &lt;!here&gt;"
    assert quote("") == "> "


def test_builds_mentions_channels_and_tags():
    assert mention("W1") == "<@W1>" and channel("C1") == "<#C1>"
    assert mentions(["U1", "U2", "U3"], "en") == "<@U1>, <@U2>, and <@U3>"
    assert tags(("care", "listen-first")) == "`#care` `#listen-first`"
    assert truncate("abcdef", 4) == "abc…" and truncate("abcd", 4) == "abcd"


def test_shows_a_time_readers_see_locally_with_a_utc_fallback():
    assert local_time(RESETS) == "<!date^1774821600^{time} {date_short_pretty}|22:00 UTC>"


def test_labels_the_fallback_in_utc_whatever_the_input_zone():
    amsterdam = RESETS.astimezone(ZoneInfo("Europe/Amsterdam"))
    assert local_time(amsterdam) == local_time(RESETS)


def _quote_char_by_char(text: str, limit: int) -> str:
    """The quote as it was first written: every character escaped and measured on its own."""
    out, size = [], 0
    for number, line in enumerate(text.splitlines() or [""]):
        prefix = "\n> " if number else "> "
        if size + len(prefix) > limit - 1:
            return "".join([*out, "…"])
        out.append(prefix)
        size += len(prefix)
        for char in line:
            piece = escape(char)
            if size + len(piece) > limit - 1:
                return "".join([*out, "…"])
            out.append(piece)
            size += len(piece)
    return "".join(out)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab&<>\n é", max_size=80), st.integers(min_value=1, max_value=60))
def test_a_quote_escapes_whole_lines_and_cuts_exactly_where_it_did_char_by_char(text, limit):
    # Whole lines are escaped at once when they fit (the sender quotes every reason); where a
    # line does not, it is cut at the same character, never inside an escape.
    assert quote(text, limit) == _quote_char_by_char(text, limit)
