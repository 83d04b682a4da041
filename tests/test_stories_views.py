"""Block Kit for stories, the modals, App Home and the intro: structure, escaping, Slack's limits
with maximum-length inputs, and golden snapshots (regenerate with UPDATE_GOLDEN=1)."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from slack_sdk.models.blocks import Block as SdkBlock

from bot.domain.errors import (
    AllowanceExhausted,
    InvalidRecipients,
    ReasonTooShort,
    SelfRecognition,
    UnknownRecipients,
)
from bot.domain.home import HomePage
from bot.domain.model import Kind, PersonStats, Received, StoryCard, StoryShared, TeamStats
from bot.domain.principles import Principle
from bot.domain.stories import FormContext, Problem, StoryInvalid
from bot.slack.ids import Action, Block, View
from bot.slack.parsing.prefill import KudosPrefill, StoryPrefill
from bot.slack.views.home import balance, build_home, build_intro
from bot.slack.views.modal_errors import (
    build_generic_modal_error,
    build_modal_errors,
    people_in,
)
from bot.slack.views.modals import (
    build_kudos_modal,
    build_story_modal,
    build_story_shared,
    metadata,
)
from bot.slack.views.stories import build_story_card, build_story_dm, safe_link

GOLDEN = Path(__file__).parent / "golden"
HOSTILE = "Told <!channel> & <!here> about <@U0SPY> and <https://evil.example|a link> <#C1>"
WHEN = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
PERMALINK = "https://acme.slack.com/archives/C0SUPPORT/p1789990000000100"

CARD = StoryCard(
    id=7,
    author="U0GIVER",
    title="Saved the Jansen renewal",
    body="They were about to cancel.\nBo & Cy called back within the hour <3",
    kind=Kind.SUCCESS,
    created_at=WHEN,
    language="en",
    customer="Jansen BV",
    teammates=("U0BO", "U0CY"),
    principles=("care", "consistency"),
    channel_id="C0STORIES",
    message_channel="C0STORIES",
    message_ts="1790000001.000100",
    permalink="https://acme.slack.com/archives/C0STORIES/p1790000001000100",
    source_permalink=PERMALINK,
    applause=3,
)
PRINCIPLES = (
    Principle("care", "Care and attention come first", "Good service starts…", "Do X.", None),
    Principle("consistency", "Consistency beats the occasional wow", "Customers…", None, None),
)
CONTEXT = FormContext(language="en", principles=PRINCIPLES, stories_channel="C0STORIES")
SHARED = StoryShared(
    story_id=7,
    author="U0GIVER",
    teammates=("U0BO", "U0CY"),
    kind=Kind.RECOVERY,
    channel_id="C0STORIES",
    language="en",
)
PAGE = HomePage(
    user="U0BO",
    language="en",
    month=PersonStats(received=3, received_success=2, given=4, stories=1),
    all_time=PersonStats(received=10, received_success=7, given=9, stories=2),
    recent=(
        Received("U0GIVER", Kind.SUCCESS, "Saved the Jansen renewal", WHEN, story=True),
        Received("U0CY", Kind.RECOVERY, "fixed the export & <b>more</b>", WHEN),
    ),
    principle=PRINCIPLES[0],
    applause_emoji="clap",
)
TEAM = TeamStats(recognitions=12, success=4, recovery=8, shoutouts=7, stories=2, people=5, givers=6)

MAX_MODAL_BLOCKS, MAX_MESSAGE_BLOCKS = 100, 50
TITLE_24, METADATA, SECTION, HEADER, BUTTON_TEXT, BUTTON_VALUE = 24, 3000, 3000, 150, 75, 2000
LABEL, HINT, PLACEHOLDER, OPTION_TEXT, OPTION_VALUE, OPTIONS = 2000, 2000, 150, 75, 150, 100


def text_of(obj) -> str:
    return obj["text"] if isinstance(obj, dict) else obj


def assert_blocks_within_limits(blocks: list[dict], maximum: int) -> None:
    assert 0 < len(blocks) <= maximum
    for block in blocks:
        parsed = SdkBlock.parse(block)
        parsed.validate_json()
        kind = block["type"]
        if kind == "section":
            if "text" in block:
                assert len(block["text"]["text"]) <= SECTION
            assert len(block.get("fields", [])) <= 10
            for field in block.get("fields", []):
                assert len(field["text"]) <= 2000
        if kind == "header":
            assert len(block["text"]["text"]) <= HEADER
        if kind == "context":
            assert len(block["elements"]) <= 10
            for element in block["elements"]:
                assert len(element["text"]) <= 3000
        if kind == "actions":
            for button in block["elements"]:
                assert len(button["text"]["text"]) <= BUTTON_TEXT
                assert len(button.get("value", "")) <= BUTTON_VALUE
        if kind == "input":
            assert len(block["label"]["text"]) <= LABEL
            assert len(text_of(block.get("hint", ""))) <= HINT
            element = block["element"]
            assert len(text_of(element.get("placeholder", ""))) <= PLACEHOLDER
            options = element.get("options", [])
            assert len(options) <= OPTIONS
            for option in options:
                assert len(option["text"]["text"]) <= OPTION_TEXT
                assert len(option["value"]) <= OPTION_VALUE
            if "initial_value" in element:
                assert len(element["initial_value"]) <= element.get("max_length", 3000)


def assert_view_within_limits(view: dict) -> None:
    for key in ("title", "submit", "close"):
        if key in view:
            assert len(view[key]["text"]) <= TITLE_24, key
    assert len(view.get("private_metadata", "")) <= METADATA
    assert_blocks_within_limits(view["blocks"], MAX_MODAL_BLOCKS)


def block(blocks: list[dict], block_id: str) -> dict:
    return next(b for b in blocks if b.get("block_id") == block_id)


# the story card and DM ----------------------------------------------------------------------


def test_story_card_has_title_byline_story_credits_tags_source_and_applaud_button():
    text, blocks = build_story_card(CARD)
    assert [b["type"] for b in blocks] == [
        "section",
        "context",
        "section",
        "section",
        "context",
        "actions",
    ]
    assert blocks[0]["block_id"] == Block.STORY_CARD
    assert blocks[0]["text"]["text"] == ":sparkles: *Saved the Jansen renewal*"
    assert blocks[1]["elements"][0]["text"] == (
        "A customer success story from <@U0GIVER> · Customer: Jansen BV · :sparkles: success"
    )
    assert blocks[2]["text"]["text"] == (
        "> They were about to cancel.\n> Bo &amp; Cy called back within the hour &lt;3"
    )
    assert blocks[3]["text"]["text"] == ":raised_hands: Credited: <@U0BO> and <@U0CY>"
    assert [e["text"] for e in blocks[4]["elements"]] == [
        "`#care` `#consistency`",
        f"<{PERMALINK}|The original message>",
    ]
    button = block(blocks, Block.STORY_APPLAUSE)["elements"][0]
    assert (button["action_id"], button["value"]) == (Action.APPLAUD, "7")
    assert button["text"]["text"] == ":clap: Applaud · 3"
    assert text == "<@U0GIVER> shared a customer success story: Saved the Jansen renewal"


def test_story_card_leaves_out_what_the_story_does_not_have():
    card = replace(
        CARD, customer=None, teammates=(), principles=(), source_permalink=None, applause=0
    )
    _, blocks = build_story_card(card)
    assert [b["type"] for b in blocks] == ["section", "context", "section", "actions"]
    assert "Customer" not in blocks[1]["elements"][0]["text"]
    assert blocks[-1]["elements"][0]["text"]["text"] == ":clap: Applaud"


def test_story_dm_names_the_author_the_channel_and_links_the_card():
    text, blocks = build_story_dm(CARD)
    assert blocks[0]["text"]["text"] == (
        ":tada: <@U0GIVER> credited you in a customer success story in <#C0STORIES>: "
        "*Saved the Jansen renewal*"
    )
    assert blocks[1]["text"]["text"].startswith("> They were about to cancel.")
    assert CARD.permalink in blocks[2]["elements"][0]["text"]
    assert text.startswith("<@U0GIVER> credited you")


def test_never_echoes_story_text_as_live_mentions_or_links():
    card = replace(CARD, title=HOSTILE[:150], body=HOSTILE, customer=HOSTILE[:150])
    dumped = json.dumps([build_story_card(card), build_story_dm(card)])
    for live in ("<!channel>", "<!here>", "<@U0SPY>", "<https://evil", "<#C1>"):
        assert live not in dumped


def test_only_https_links_without_markup_are_linked():
    assert safe_link("https://acme.slack.com/archives/C1/p1", "x") == (
        "<https://acme.slack.com/archives/C1/p1|x>"
    )
    for bad in ("javascript:alert(1)", "https://x.example|<!channel>", "http://x", None, ""):
        assert safe_link(bad, "x") is None


# the modals ---------------------------------------------------------------------------------


def test_story_modal_has_every_field_with_its_limits():
    view = build_story_modal(
        CONTEXT,
        StoryPrefill(
            body="called back within the hour",
            teammates=("U0BO",),
            principles=("care",),
            kind=Kind.RECOVERY,
            origin_channel="C0SUPPORT",
        ),
    )
    assert view["callback_id"] == View.STORY and view["type"] == "modal"
    ids = [b.get("block_id") for b in view["blocks"]]
    assert ids == [
        Block.STORY_TITLE,
        Block.STORY_CUSTOMER,
        Block.STORY_BODY,
        Block.STORY_TEAMMATES,
        Block.STORY_PRINCIPLES,
        Block.STORY_KIND,
        Block.STORY_CHANNEL,
    ]
    blocks = view["blocks"]
    assert block(blocks, Block.STORY_TITLE)["element"]["max_length"] == 150
    assert "optional" not in block(blocks, Block.STORY_TITLE)
    assert block(blocks, Block.STORY_CUSTOMER)["optional"] is True
    body = block(blocks, Block.STORY_BODY)["element"]
    assert (body["min_length"], body["max_length"], body["multiline"]) == (20, 3000, True)
    assert body["initial_value"] == "called back within the hour"
    assert block(blocks, Block.STORY_TEAMMATES)["element"]["max_selected_items"] == 20
    principles = block(blocks, Block.STORY_PRINCIPLES)["element"]
    assert principles["max_selected_items"] == 3
    assert [o["value"] for o in principles["initial_options"]] == ["care"]
    assert block(blocks, Block.STORY_KIND)["element"]["initial_option"]["value"] == "recovery"
    channel = block(blocks, Block.STORY_CHANNEL)["element"]
    assert channel["initial_conversation"] == "C0STORIES"
    assert channel["response_url_enabled"] is True
    assert json.loads(view["private_metadata"]) == {"channel": "C0SUPPORT", "permalink": None}
    for element_id in {b["element"]["action_id"] for b in blocks}:
        assert element_id == Action.FIELD


def test_story_modal_without_a_stories_channel_defaults_to_the_current_one_and_says_so():
    view = build_story_modal(replace(CONTEXT, stories_channel=None), StoryPrefill())
    channel = block(view["blocks"], Block.STORY_CHANNEL)
    assert channel["element"]["default_to_current_conversation"] is True
    assert "No stories channel is set up yet" in channel["hint"]["text"]


def test_story_modal_from_a_message_says_so_and_keeps_the_permalink():
    view = build_story_modal(CONTEXT, StoryPrefill(source_permalink=PERMALINK))
    assert view["blocks"][0]["type"] == "context"
    assert json.loads(view["private_metadata"])["permalink"] == PERMALINK


def test_kudos_modal_has_recipients_reason_principles_kind_and_channel():
    view = build_kudos_modal(CONTEXT, KudosPrefill(principles=("consistency",)))
    assert view["callback_id"] == View.KUDOS
    ids = [b["block_id"] for b in view["blocks"]]
    assert ids == [
        Block.KUDOS_RECIPIENTS,
        Block.KUDOS_REASON,
        Block.KUDOS_PRINCIPLES,
        Block.KUDOS_KIND,
        Block.KUDOS_CHANNEL,
    ]
    blocks = view["blocks"]
    assert block(blocks, Block.KUDOS_RECIPIENTS)["element"]["max_selected_items"] == 25
    reason = block(blocks, Block.KUDOS_REASON)["element"]
    assert (reason["min_length"], reason["max_length"]) == (10, 1000)
    principles = block(blocks, Block.KUDOS_PRINCIPLES)["element"]
    assert [o["value"] for o in principles["initial_options"]] == ["consistency"]
    assert block(blocks, Block.KUDOS_CHANNEL)["element"]["default_to_current_conversation"]


def test_a_workspace_without_principles_gets_no_principles_field():
    view = build_kudos_modal(replace(CONTEXT, principles=()), KudosPrefill())
    assert Block.KUDOS_PRINCIPLES not in [b["block_id"] for b in view["blocks"]]


def test_story_shared_says_where_who_and_what_kind():
    view = build_story_shared(SHARED)
    text = view["blocks"][0]["text"]["text"]
    assert "posted in <#C0STORIES>" in text and "<@U0BO> and <@U0CY>" in text
    assert "*recovery*" in text
    assert "submit" not in view and view["close"]["text"] == "Done"
    notes = build_story_shared(replace(SHARED, dropped_self=True, no_stories_channel=True))
    context = json.dumps(notes["blocks"][1])
    assert "left out" in context and "/bravo set stories-channel" in context
    again = build_story_shared(replace(SHARED, duplicate=True))
    assert "already shared" in again["blocks"][0]["text"]["text"]


# inline errors ------------------------------------------------------------------------------


def test_story_problems_land_under_their_fields_as_plain_text():
    error = StoryInvalid(
        {
            "title": Problem("story.error.title_missing"),
            "body": Problem("story.error.body_short", {"minimum": 20, "length": 3}),
            "teammates": Problem("story.error.teammates_invalid", {"people": ("Help Bot", "Ex")}),
            "channel": Problem("story.error.no_channel"),
        }
    )
    errors = build_modal_errors(error, {"callback_id": View.STORY}, "en")
    assert errors == {
        Block.STORY_TITLE: "Give the story a title.",
        Block.STORY_BODY: "Tell a bit more: at least 20 characters (this is 3).",
        Block.STORY_TEAMMATES: "Help Bot and Ex can't be credited: bots, apps and deactivated "
        "accounts don't count.",
        Block.STORY_CHANNEL: "Pick a channel to share the story in (there is no stories "
        "channel yet).",
    }


@pytest.mark.parametrize(
    ("error", "block_id", "phrase"),
    [
        (ReasonTooShort(minimum=10, length=3), Block.KUDOS_REASON, "at least 10"),
        (SelfRecognition(), Block.KUDOS_RECIPIENTS, "yourself"),
        (
            InvalidRecipients(bots=["UBOT"], deactivated=["UGONE"]),
            Block.KUDOS_RECIPIENTS,
            "Help Bot and Gone Person can't receive kudos",
        ),
        (UnknownRecipients(users=["U404"]), Block.KUDOS_RECIPIENTS, "doesn't know U404"),
        (
            AllowanceExhausted(allowance=5, remaining=2, requested=3, resets_at=WHEN),
            Block.KUDOS_RECIPIENTS,
            "2 of your 5 daily kudos left",
        ),
    ],
    ids=lambda v: type(v).__name__ if not isinstance(v, str) else None,
)
def test_kudos_refusals_land_under_the_right_field_naming_people(error, block_id, phrase):
    names = {"UBOT": "Help Bot", "UGONE": "Gone Person"}
    errors = build_modal_errors(error, {"callback_id": View.KUDOS}, "en", names)
    assert list(errors) == [block_id]
    assert phrase in errors[block_id]
    assert "<@" not in errors[block_id] and "<!date" not in errors[block_id]


def test_people_named_by_a_refusal_are_the_ones_looked_up():
    assert people_in(InvalidRecipients(bots=["UBOT"], deactivated=["UGONE"])) == ["UBOT", "UGONE"]
    assert people_in(UnknownRecipients(users=["U404"])) == ["U404"]
    assert people_in(SelfRecognition()) == []


def test_an_unexpected_failure_shows_on_the_first_input():
    view = build_story_modal(CONTEXT, StoryPrefill())
    assert build_generic_modal_error(view, "Something went wrong (ref abc)") == {
        Block.STORY_TITLE: "Something went wrong (ref abc)"
    }


# App Home and the intro ---------------------------------------------------------------------


def test_home_shows_numbers_recent_thanks_principle_and_buttons():
    view = build_home(PAGE)
    assert view["type"] == "home"
    blocks = view["blocks"]
    actions = block(blocks, Block.HOME_ACTIONS)["elements"]
    assert [a["action_id"] for a in actions] == [Action.GIVE_KUDOS, Action.SHARE_STORY]
    dumped = json.dumps(blocks)
    assert "*Kudos received*\\n3" in dumped and "67% success \\u00b7 33% recovery" in dumped
    assert "<@U0GIVER> credited you in a story: *Saved the Jansen renewal*" in dumped
    assert "fixed the export &amp; &lt;b&gt;more&lt;/b&gt;" in dumped
    assert "Care and attention come first" in dumped and "Try today" in dumped
    assert "Your team this month" not in dumped


def test_home_for_a_manager_adds_the_teams_month_and_a_nudge_when_recovery_leads():
    dumped = json.dumps(build_home(replace(PAGE, team=TEAM)))
    assert "Your team this month" in dumped and "*Shout-outs*\\n7" in dumped
    assert "Most thanks this month were for fixing problems" in dumped
    calm = json.dumps(build_home(replace(PAGE, team=replace(TEAM, success=8, recovery=4))))
    assert "fixing problems" not in calm


def test_home_for_someone_new_invites_rather_than_shows_zeros_only():
    page = replace(PAGE, month=PersonStats(), all_time=PersonStats(), recent=(), principle=None)
    dumped = json.dumps(build_home(page))
    assert "Nothing yet" in dumped and "nothing yet" in dumped
    assert "Today's principle" not in dumped


def test_balance_reads_as_shares_of_success_and_recovery():
    assert balance(3, 1, "en") == "75% success · 25% recovery"
    assert balance(0, 0, "en") == "nothing yet"


def test_intro_says_how_to_use_bravo_with_the_workspaces_emoji():
    text, blocks = build_intro("en", "raised_hands")
    assert "Bravo" in text
    assert "/kudos @person" in json.dumps(blocks) and ":raised_hands:" in json.dumps(blocks)


# limits with maximum-length inputs ----------------------------------------------------------

MANY_PEOPLE = tuple(f"U{i:010d}" for i in range(25))
LONG_SLUGS = tuple("s" * 63 + str(i) for i in range(3))
MANY_PRINCIPLES = tuple(
    Principle(f"p{i}-" + "x" * 60, "T" * 200, "E" * 500, "Y" * 200, None) for i in range(150)
)


def test_story_card_and_dm_stay_within_limits_with_maximum_inputs():
    card = replace(
        CARD,
        title="&" * 150,
        customer="&" * 150,
        body="&<>" * 1000,
        teammates=MANY_PEOPLE[:20],
        principles=LONG_SLUGS,
        source_permalink="https://acme.slack.com/" + "p" * 2000,
        permalink="https://acme.slack.com/" + "p" * 2000,
        id=2**63 - 1,
        applause=10**9,
    )
    text, blocks = build_story_card(card)
    assert_blocks_within_limits(blocks, MAX_MESSAGE_BLOCKS)
    assert len(text) <= 4000
    assert_blocks_within_limits(build_story_dm(card)[1], MAX_MESSAGE_BLOCKS)


def test_modals_stay_within_limits_with_maximum_inputs():
    context = FormContext(language="en", principles=MANY_PRINCIPLES, stories_channel="C0X")
    prefill = StoryPrefill(
        title="t" * 500,
        body="b" * 5000,
        teammates=MANY_PEOPLE,
        principles=tuple(p.slug for p in MANY_PRINCIPLES[:5]),
        kind=Kind.SUCCESS,
        origin_channel="C" + "0" * 31,
        source_permalink="https://acme.slack.com/" + "p" * 5000,
    )
    story = build_story_modal(context, prefill)
    assert_view_within_limits(story)
    assert json.loads(story["private_metadata"]) == {"channel": "C" + "0" * 31}
    kudos = build_kudos_modal(
        context, KudosPrefill(recipients=MANY_PEOPLE * 2, principles=LONG_SLUGS)
    )
    assert_view_within_limits(kudos)
    shared = replace(SHARED, teammates=MANY_PEOPLE[:20], dropped_self=True, no_stories_channel=True)
    assert_view_within_limits(build_story_shared(shared))


def test_inline_errors_stay_short_with_maximum_inputs():
    error = StoryInvalid(
        {"teammates": Problem("story.error.teammates_invalid", {"people": ("N" * 255,) * 20})}
    )
    errors = build_modal_errors(error, {"callback_id": View.STORY}, "en")
    assert all(len(message) <= 2000 for message in errors.values())


def test_home_stays_within_limits_with_maximum_inputs():
    big = PersonStats(10**9, 10**9 // 2, 10**9, 10**9)
    page = HomePage(
        user="U" + "0" * 31,
        language="en",
        month=big,
        all_time=big,
        recent=tuple(Received("U0GIVER", Kind.RECOVERY, "&" * 1000, WHEN) for _ in range(50)),
        principle=MANY_PRINCIPLES[0],
        applause_emoji="x" * 60,
        team=TeamStats(*(10**9,) * 7),
    )
    assert_view_within_limits(build_home(page))


def test_metadata_keeps_the_channel_when_a_permalink_would_not_fit():
    assert len(metadata("C1", "https://x/" + "p" * 4000)) <= 3000
    assert json.loads(metadata("C1", "https://x/p")) == {
        "channel": "C1",
        "permalink": "https://x/p",
    }


# golden snapshots ---------------------------------------------------------------------------


def _card() -> dict:
    text, blocks = build_story_card(CARD)
    return {"text": text, "blocks": blocks}


def _dm() -> dict:
    text, blocks = build_story_dm(CARD)
    return {"text": text, "blocks": blocks}


def _intro() -> dict:
    text, blocks = build_intro("en", "clap")
    return {"text": text, "blocks": blocks}


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("story_card", _card),
        ("story_dm", _dm),
        ("story_modal", lambda: build_story_modal(CONTEXT, StoryPrefill(origin_channel="C1"))),
        ("kudos_modal", lambda: build_kudos_modal(CONTEXT, KudosPrefill(origin_channel="C1"))),
        ("story_shared", lambda: build_story_shared(SHARED)),
        ("home_member", lambda: build_home(PAGE)),
        ("home_manager", lambda: build_home(replace(PAGE, team=TEAM))),
        ("channel_intro", _intro),
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
