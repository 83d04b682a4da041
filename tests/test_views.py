"""Shout-out Block Kit builders and mrkdwn helpers: structure, escaping, limits, golden output."""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from slack_sdk.models.blocks import Block as SdkBlock

from bot.domain.errors import (
    AllowanceExhausted,
    GroupTooLarge,
    InvalidRecipients,
    NoRecipients,
    ReasonTooLong,
    ReasonTooShort,
    SelfRecognition,
    TooManyRecipients,
    UnknownGroup,
    UnknownRecipients,
)
from bot.domain.model import Kind, KindDecision, KindSource, KudosGiven, ShoutoutCard
from bot.slack.ids import Action, Block
from bot.slack.views.errors import build_error
from bot.slack.views.kudos import (
    build_kind_switched,
    build_kudos_announcement,
    build_kudos_confirmation,
    build_kudos_dm,
    kudos_confirmation_text,
    usage,
)

GOLDEN = Path(__file__).parent / "golden"
MAX_BLOCKS, SECTION_TEXT, BUTTON_TEXT, BUTTON_VALUE = 50, 3000, 75, 2000
HOSTILE = "Told <!channel> & <!here> about <@U0SPY> and <https://evil.example|a link> <#C1>"

CARD = ShoutoutCard(
    id=42,
    giver="U0GIVER",
    recipients=("U0BO", "W0DEE"),
    reason="Stayed on the line with ACME until the export worked & the customer smiled <3",
    kind=Kind.SUCCESS,
    principles=("care", "listen-first"),
    created_at=datetime(2026, 3, 27, 14, 30, tzinfo=UTC),
    language="en",
    channel_id="C111",
)
RESULT = KudosGiven(
    shoutout_id=42,
    giver="U0GIVER",
    recipients=("U0BO", "W0DEE"),
    kind=KindDecision(Kind.RECOVERY, KindSource.KEYWORD, "fixed"),
    principles=("care", "listen-first"),
    dropped_self=True,
    allowance=5,
    remaining=3,
    language="en",
)
RESETS = datetime(2026, 3, 29, 22, tzinfo=UTC)
MANY = tuple(f"U{i:010d}" for i in range(25))
LONG_SLUGS = tuple(f"principle-{i}-" + "x" * 50 for i in range(5))


def assert_within_block_kit_limits(blocks: list[dict]) -> None:
    assert 0 < len(blocks) <= MAX_BLOCKS
    for block in blocks:
        parsed = SdkBlock.parse(block)
        parsed.validate_json()
        assert parsed.to_dict() == block
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= SECTION_TEXT
            button = block.get("accessory")
            if button:
                assert len(button["text"]["text"]) <= BUTTON_TEXT
                assert len(button["value"]) <= BUTTON_VALUE
        if block["type"] == "context":
            assert len(block["elements"]) <= 10


# structure ----------------------------------------------------------------------------------


def test_confirmation_names_recipients_kind_switch_and_allowance():
    blocks = build_kudos_confirmation(RESULT)
    assert [b["type"] for b in blocks] == ["section", "section", "context"]
    assert blocks[0]["block_id"] == Block.KUDOS_CONFIRMATION
    assert "<@U0BO> and <@W0DEE>" in blocks[0]["text"]["text"]
    assert "You were left out" in blocks[0]["text"]["text"]
    assert "*recovery*" in blocks[1]["text"]["text"] and "“fixed”" in blocks[1]["text"]["text"]
    button = blocks[1]["accessory"]
    assert button["action_id"] == Action.SWITCH_KIND
    assert (button["value"], button["text"]["text"]) == ("42:success", "Count as success")
    notes = [e["text"] for e in blocks[2]["elements"]]
    assert notes == ["Principles: `#care` `#listen-first`", "You can give 3 more today (5 a day)."]
    assert kudos_confirmation_text(RESULT) == "Kudos recorded for <@U0BO> and <@W0DEE>."


def test_confirmation_leaves_out_what_did_not_happen():
    result = replace(
        RESULT,
        dropped_self=False,
        principles=(),
        kind=KindDecision(Kind.SUCCESS, KindSource.DEFAULT),
    )
    blocks = build_kudos_confirmation(result)
    assert "left out" not in blocks[0]["text"]["text"]
    assert [e["text"] for e in blocks[2]["elements"]] == ["You can give 3 more today (5 a day)."]
    assert blocks[1]["accessory"]["value"] == "42:recovery"


def test_announcement_quotes_the_reason_and_names_each_recipient():
    text, blocks = build_kudos_announcement(CARD)
    assert blocks[0]["text"]["text"] == ":clap: <@U0GIVER> gave kudos to <@U0BO> and <@W0DEE>"
    assert blocks[1]["text"]["text"] == (
        "> Stayed on the line with ACME until the export worked &amp; the customer smiled &lt;3"
    )
    assert blocks[2]["elements"][0]["text"] == "`#care` `#listen-first`"
    assert text.startswith("<@U0GIVER> gave kudos to <@U0BO> and <@W0DEE>: Stayed")


def test_announcement_without_principles_has_no_context_line():
    _, blocks = build_kudos_announcement(replace(CARD, principles=()))
    assert [b["type"] for b in blocks] == ["section", "section", "actions"]  # + Thanks too


def test_dm_says_where_only_for_a_channel():
    _, in_channel = build_kudos_dm(CARD)
    _, from_dm = build_kudos_dm(replace(CARD, channel_id="D123"))
    _, nowhere = build_kudos_dm(replace(CARD, channel_id=None))
    assert "gave you kudos in <#C111>" in in_channel[0]["text"]["text"]
    assert "<#" not in from_dm[0]["text"]["text"] + nowhere[0]["text"]["text"]


def test_kind_switched_offers_the_way_back():
    (block,) = build_kind_switched("en", Kind.RECOVERY, 7)
    assert block["text"]["text"] == "Now counted as *recovery*."
    assert block["accessory"]["value"] == "7:success"


# escaping -----------------------------------------------------------------------------------


def test_never_echoes_user_text_as_live_mentions_or_links():
    card = replace(CARD, reason=HOSTILE)
    result = replace(RESULT, kind=KindDecision(Kind.RECOVERY, KindSource.KEYWORD, "<!channel>"))
    outputs = [
        build_kudos_announcement(card),
        build_kudos_dm(card),
        build_kudos_confirmation(result),
    ]
    dumped = json.dumps(outputs)
    for live in ("<!channel>", "<!here>", "<@U0SPY>", "<https://evil", "<#C1>"):
        assert live not in dumped
    assert "&lt;!channel&gt; &amp; &lt;!here&gt;" in dumped


def test_escapes_ampersands_and_angle_brackets_in_the_reason():
    text, blocks = build_kudos_announcement(replace(CARD, reason="Q&A <b>bold</b> &amp; more"))
    expected = "Q&amp;A &lt;b&gt;bold&lt;/b&gt; &amp;amp; more"
    assert blocks[1]["text"]["text"] == "> " + expected
    assert text.endswith(expected)


# limits -------------------------------------------------------------------------------------


def test_keeps_the_largest_ordinary_shoutout_within_block_kit_limits():
    card = replace(CARD, recipients=MANY, reason="y" * 1000, principles=LONG_SLUGS)
    result = replace(RESULT, recipients=MANY, principles=LONG_SLUGS, shoutout_id=2**63 - 1)
    for output in (build_kudos_announcement(card)[1], build_kudos_dm(card)[1]):
        assert_within_block_kit_limits(output)
    assert_within_block_kit_limits(build_kudos_confirmation(result))
    assert_within_block_kit_limits(build_kind_switched("en", Kind.SUCCESS, 2**63 - 1))


@pytest.mark.parametrize("builder", [build_kudos_announcement, build_kudos_dm])
def test_keeps_a_maximal_reason_full_of_escaped_characters_within_limits(builder):
    card = replace(CARD, recipients=MANY, reason="&" * 1000)
    assert_within_block_kit_limits(builder(card)[1])


# errors -------------------------------------------------------------------------------------

RESETS = datetime(2026, 3, 29, 22, tzinfo=UTC)


@pytest.mark.parametrize(
    "error",
    [
        NoRecipients(),
        SelfRecognition(),
        ReasonTooShort(minimum=10, length=3),
        ReasonTooLong(maximum=1000, length=1200),
        InvalidRecipients(bots=["UBOT"], deactivated=["UGONE"]),
        InvalidRecipients(bots=[], deactivated=["UGONE"]),
        UnknownRecipients(users=["U404", "U405"]),
        GroupTooLarge(group="S1", size=40, maximum=25),
        UnknownGroup(group="S1"),
        TooManyRecipients(count=30, maximum=25),
        AllowanceExhausted(allowance=5, remaining=2, requested=3, resets_at=RESETS),
        AllowanceExhausted(allowance=5, remaining=0, requested=1, resets_at=RESETS),
    ],
    ids=lambda e: type(e).__name__,
)
def test_explains_every_refusal_in_one_filled_message(error):
    message = re.sub(r"<!date\^[^>]*>", "<date>", build_error(error, "en"))
    assert message and "\n" not in message
    assert "{" not in message and "}" not in message


def test_names_refused_people_and_when_the_allowance_resets():
    bots = build_error(InvalidRecipients(bots=["UBOT"], deactivated=["UGONE"]), "en")
    assert "<@UBOT> can't" in bots and "<@UGONE> can't" in bots
    used = build_error(
        AllowanceExhausted(allowance=5, remaining=0, requested=1, resets_at=RESETS), "en"
    )
    assert "all 5 kudos" in used and f"<!date^{int(RESETS.timestamp())}^" in used
    assert "`/kudos @person" in usage("en")


# golden snapshot ----------------------------------------------------------------------------


def announcement() -> dict:
    text, blocks = build_kudos_announcement(CARD)
    return {"text": text, "blocks": blocks}


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("kudos_announcement", announcement),
        ("kudos_confirmation", lambda: build_kudos_confirmation(RESULT)),
    ],
)
def test_matches_the_golden_snapshot(name, build):
    path = GOLDEN / f"{name}.json"
    actual = json.loads(json.dumps(build()))
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert path.is_file(), f"{path} is missing: run with UPDATE_GOLDEN=1 to create it"
    assert actual == json.loads(path.read_text(encoding="utf-8"))
