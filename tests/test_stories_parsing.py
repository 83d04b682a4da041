"""Payloads for stories, modals, applause and App Home in; typed requests out (literal payloads)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.domain.model import Kind, Source, TeamRef
from bot.slack.parsing.applause import parse_applaud, parse_reaction
from bot.slack.parsing.kudos import kudos_prefill, parse_kudos_submission
from bot.slack.parsing.payloads import origin_of, team_of
from bot.slack.parsing.stories import (
    message_of,
    parse_story_command,
    parse_story_message,
    parse_story_submission,
    story_prefill,
)
from bot.slack.parsing.tokens import readable
from bot.slack.views.modals import metadata

STORY_VIEW_SUBMISSION = {
    "type": "view_submission",
    "team": {"id": "T111", "domain": "acme", "enterprise_id": "E111"},
    "user": {"id": "W111", "username": "ana", "team_id": "T111"},
    "api_app_id": "A111",
    "trigger_id": "111.222.valid",
    "view": {
        "id": "V111",
        "team_id": "T111",
        "type": "modal",
        "callback_id": "bravo_story",
        "private_metadata": '{"channel":"C111","permalink":"https://acme.slack.com/archives/C111/p1"}',
        "state": {
            "values": {
                "story_title": {"field": {"type": "plain_text_input", "value": " Saved  it "}},
                "story_customer": {"field": {"type": "plain_text_input", "value": None}},
                "story_body": {"field": {"type": "plain_text_input", "value": "Line one\nTwo"}},
                "story_teammates": {
                    "field": {"type": "multi_users_select", "selected_users": ["U1", "W2"]}
                },
                "story_principles": {
                    "field": {
                        "type": "multi_static_select",
                        "selected_options": [
                            {"value": "care", "text": {"type": "plain_text", "text": "Care"}}
                        ],
                    }
                },
                "story_kind": {"field": {"type": "radio_buttons", "selected_option": None}},
                "story_channel": {
                    "field": {"type": "conversations_select", "selected_conversation": "C222"}
                },
            }
        },
    },
    "response_urls": [
        {
            "block_id": "story_channel",
            "action_id": "field",
            "channel_id": "C222",
            "response_url": "https://hooks.slack.com/app/T111/1/abc",
        }
    ],
}


def test_team_of_reads_interactions_and_event_envelopes():
    assert team_of(STORY_VIEW_SUBMISSION) == TeamRef("T111", "E111")
    assert team_of({"team_id": "T1", "enterprise_id": "E1", "event": {}}) == TeamRef("T1", "E1")
    assert team_of({"team_id": "T1", "command": "/story"}) == TeamRef("T1", None)
    assert team_of({"user": {"id": "U1", "team_id": "T9"}}) == TeamRef("T9", None)


def test_story_submission_becomes_a_draft():
    draft = parse_story_submission(STORY_VIEW_SUBMISSION)
    assert draft.team == TeamRef("T111", "E111")
    assert (draft.author, draft.view_id) == ("W111", "V111")
    assert (draft.title, draft.customer, draft.body) == (" Saved  it ", "", "Line one\nTwo")
    assert draft.teammates == ("U1", "W2") and draft.principles == ("care",)
    assert draft.kind is None
    assert (draft.channel_id, draft.origin_channel) == ("C222", "C111")
    assert draft.source_permalink == "https://acme.slack.com/archives/C111/p1"
    assert draft.reply_url == "https://hooks.slack.com/app/T111/1/abc"


def test_a_story_submission_with_nothing_chosen_and_bad_metadata_still_parses():
    body = json.loads(json.dumps(STORY_VIEW_SUBMISSION))
    body["view"]["state"]["values"] = {}
    body["view"]["private_metadata"] = "not json"
    body["response_urls"] = []
    draft = parse_story_submission(body)
    assert (draft.title, draft.body, draft.teammates, draft.channel_id) == ("", "", (), None)
    assert (draft.origin_channel, draft.reply_url) == (None, None)


def test_kudos_submission_becomes_the_same_command_as_the_slash_path():
    body = json.loads(json.dumps(STORY_VIEW_SUBMISSION))
    body["view"]["callback_id"] = "bravo_kudos"
    body["view"]["state"]["values"] = {
        "kudos_recipients": {"field": {"selected_users": ["U1", "U2", "U1"]}},
        "kudos_reason": {"field": {"value": "  stayed   late\nfor the customer "}},
        "kudos_principles": {"field": {"selected_options": []}},
        "kudos_kind": {"field": {"selected_option": {"value": "recovery"}}},
        "kudos_channel": {"field": {"selected_conversation": None}},
    }
    cmd = parse_kudos_submission(body)
    assert cmd.user_ids == ("U1", "U2") and cmd.group_ids == ()
    assert cmd.reason == "stayed late for the customer"
    assert cmd.kind is Kind.RECOVERY and cmd.source is Source.MODAL
    assert cmd.channel_id is None and cmd.giver == "W111"
    assert origin_of(body["view"]) == "C111"


def test_story_command_text_prefills_teammates_body_principles_and_kind():
    prefill = parse_story_command(
        {
            "team_id": "T1",
            "user_id": "U0ANA",
            "channel_id": "C0SUPPORT",
            "text": "<@U0BO|bo> <@U0ANA> saved the renewal &amp; more #care #recovery #other",
        },
        principles={"care"},
    )
    assert prefill.teammates == ("U0BO",)
    assert prefill.body == "saved the renewal & more #other"
    assert prefill.principles == ("care",) and prefill.kind is Kind.RECOVERY
    assert prefill.origin_channel == "C0SUPPORT"


def test_message_text_becomes_readable_with_line_breaks_and_names():
    text = (
        "Thanks <@U0BO> &amp; <@W0DEE|dee>! See <https://x.example/a|the ticket> in <#C1|support>"
        "\n<!here> <mailto:a@b.example|a@b.example> &lt;3 <!date^1790000000^{date}|Nov 1>"
    )
    body, users = readable(text, {"U0BO": "Bo Berg"})
    assert body == (
        "Thanks @Bo Berg & @dee! See the ticket in #support\n@here a@b.example <3 Nov 1"
    )
    assert users == ("U0BO", "W0DEE")


def test_message_shortcut_prefills_the_story_and_keeps_its_permalink():
    body = {
        "type": "message_action",
        "team": {"id": "T111"},
        "user": {"id": "U0BO"},
        "channel": {"id": "C111"},
        "message_ts": "1583636382.000300",
        "message": {"text": "<@U0BO> <@U0CY> fixed it", "ts": "1583636382.000300"},
        "trigger_id": "1",
    }
    assert message_of(body) == ("C111", "1583636382.000300", "<@U0BO> <@U0CY> fixed it")
    prefill = parse_story_message(body, permalink="https://acme.slack.com/p1")
    assert prefill.teammates == ("U0CY",)  # the person saving it is the author, not a teammate
    assert prefill.body == "@U0BO @U0CY fixed it"
    assert (prefill.origin_channel, prefill.source_permalink) == (
        "C111",
        "https://acme.slack.com/p1",
    )


def test_open_buttons_carry_a_principle_and_the_channel_they_were_pressed_in():
    pressed = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "U1"},
        "channel": {"id": "C0LOVE"},
        "container": {"type": "message", "channel_id": "C0LOVE"},
        "actions": [{"action_id": "open_kudos_modal", "value": "care"}],
    }
    assert kudos_prefill(pressed).principles == ("care",)
    assert kudos_prefill(pressed).origin_channel == "C0LOVE"
    home = {"type": "block_actions", "user": {"id": "U1"}, "actions": [{"action_id": "x"}]}
    assert story_prefill(home).principles == () and story_prefill(home).origin_channel is None


def test_reaction_events_become_reactions_with_slacks_time():
    envelope = {
        "team_id": "T0JFD6M53",
        "event_id": "Ev1",
        "event": {
            "type": "reaction_removed",
            "user": "U27FFLNF4",
            "item": {"type": "message", "channel": "C2AQCJCQ2", "ts": "1477958101.000004"},
            "reaction": "clap::skin-tone-2",
            "item_user": "U299ATJ2X",
            "event_ts": "1477958240.864741",
        },
    }
    reaction = parse_reaction(envelope)
    assert reaction.added is False and reaction.emoji == "clap::skin-tone-2"
    assert (reaction.channel, reaction.ts) == ("C2AQCJCQ2", "1477958101.000004")
    assert reaction.event_id == "Ev1" and reaction.item_user == "U299ATJ2X"
    assert reaction.at == datetime.fromtimestamp(1477958240.864741, UTC)


def test_applaud_button_is_identified_by_the_message_it_sits_on():
    body = {
        "type": "block_actions",
        "team": {"id": "T111"},
        "user": {"id": "W111", "team_id": "T111"},
        "container": {"type": "message", "message_ts": "111.222", "channel_id": "C111"},
        "actions": [{"action_id": "applaud", "value": "7"}],
    }
    press = parse_applaud(body)
    assert (press.user, press.channel, press.ts) == ("W111", "C111", "111.222")


def test_metadata_round_trips_through_the_view():
    view = {"private_metadata": metadata("C1", "https://acme.slack.com/p1")}
    assert origin_of(view) == "C1"
