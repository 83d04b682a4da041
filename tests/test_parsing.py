"""`/kudos` text and the kind switch button, parsed from literal Slack payloads (no HTTP)."""

from __future__ import annotations

import pytest

from bot.domain.model import Kind, Source, TeamRef
from bot.slack.parsing.kudos import SwitchKind, parse_kudos_command, parse_switch_kind

# Modelled on ../shared/slack-payloads/slash_command.form.txt, decoded.
PAYLOAD = {
    "token": "verification_token",
    "team_id": "T111",
    "team_domain": "test-domain",
    "channel_id": "C111",
    "channel_name": "random",
    "user_id": "W111",
    "user_name": "primary-owner",
    "command": "/kudos",
    "text": "",
    "enterprise_id": "E111",
    "enterprise_name": "Org Name",
    "response_url": "https://hooks.slack.com/commands/T111/111/xxxxx",
    "trigger_id": "111.111.xxx",
    "api_app_id": "A111",
    "is_enterprise_install": "false",
}
PRINCIPLES = {"care", "listen-first", "general"}


def kudos(text: str, principles=PRINCIPLES, **fields: str):
    return parse_kudos_command({**PAYLOAD, **fields, "text": text}, principles=principles)


def test_keeps_who_where_and_which_workspace_from_the_payload():
    cmd = kudos("<@U123> for a calm call with an upset customer")
    assert cmd.team == TeamRef("T111", "E111")
    assert cmd.giver == "W111"
    assert cmd.channel_id == "C111"
    assert cmd.reply_url == PAYLOAD["response_url"]
    assert cmd.source is Source.COMMAND


def test_reads_a_workspace_outside_enterprise_grid_without_enterprise_id():
    assert kudos("<@U1> thanks a lot", enterprise_id="").team == TeamRef("T111", None)
    payload = {k: v for k, v in PAYLOAD.items() if k != "enterprise_id"}
    cmd = parse_kudos_command({**payload, "text": "<@U1> thanks a lot"})
    assert cmd.team.enterprise_id is None


@pytest.mark.parametrize(
    "text",
    [
        "<@U123> for staying late with the customer",
        "<@U123|maria> for staying late with the customer",
        "for staying late <@U123> with the customer",
        "for staying late with the customer <@U123|maria.j>",
    ],
)
def test_finds_a_recipient_anywhere_in_the_text(text):
    cmd = kudos(text)
    assert cmd.user_ids == ("U123",)
    assert cmd.reason == "for staying late with the customer"


def test_accepts_enterprise_w_prefixed_user_ids():
    cmd = kudos("<@W0DEE> and <@U0BO|bo> for the migration")
    assert cmd.user_ids == ("W0DEE", "U0BO")
    assert cmd.reason == "and for the migration"


def test_counts_a_repeated_recipient_once_in_first_mention_order():
    cmd = kudos("<@U2> <@U1|a> <@U2|b> <@U1> great teamwork")
    assert cmd.user_ids == ("U2", "U1")


def test_takes_user_groups_as_groups_not_as_text():
    cmd = kudos("<!subteam^S0SUPPORT|@support> <!subteam^S0SUPPORT> <!subteam^S2> for the launch")
    assert cmd.group_ids == ("S0SUPPORT", "S2")
    assert cmd.user_ids == ()
    assert cmd.reason == "for the launch"


@pytest.mark.parametrize(
    ("token", "plain"),
    [
        ("<!here>", "@here"),
        ("<!channel>", "@channel"),
        ("<!everyone>", "@everyone"),
        ("<!here|here>", "@here"),
        ("<!channel|@channel>", "@channel"),
        ("<!everyone|everyone>", "@everyone"),
    ],
)
def test_turns_broadcast_mentions_into_plain_text(token, plain):
    cmd = kudos(f"<@U1> told {token} about the fix")
    assert cmd.reason == f"told {plain} about the fix"
    assert "<!" not in cmd.reason
    assert cmd.user_ids == ("U1",) and cmd.group_ids == ()


def test_keeps_a_channel_link_as_hash_text():
    cmd = kudos("<@U1> for the write-up in <#C999|support-escalations>")
    assert cmd.reason == "for the write-up in #support-escalations"
    assert cmd.principles == ()


def test_takes_a_channel_named_like_a_known_principle_as_a_tag():
    cmd = kudos("<@U1> for the write-up <#C5|general>")
    assert cmd.principles == ("general",)
    assert cmd.reason == "for the write-up"


def test_uses_the_label_of_a_link():
    cmd = kudos("<@U1> for <https://docs.example.com/faq|the FAQ page> and <https://x.io>")
    assert cmd.reason == "for the FAQ page and https://x.io"


def test_does_not_read_tags_inside_link_labels():
    cmd = kudos("<@U1> wrote <https://x.io/#care|about #recovery> today")
    assert cmd.kind is None
    assert cmd.principles == ()
    assert cmd.reason == "wrote about #recovery today"


def test_unescapes_entities_only_after_taking_tokens_out():
    cmd = kudos("<@U1> for R&amp;D work on &lt;@U9&gt; and &lt;!channel&gt; 3 &gt; 2")
    assert cmd.user_ids == ("U1",)
    assert cmd.reason == "for R&D work on <@U9> and <!channel> 3 > 2"


def test_unescapes_an_escaped_entity_only_once():
    assert kudos("<@U1> typed &amp;lt; literally").reason == "typed &lt; literally"


@pytest.mark.parametrize(
    ("tag", "kind"),
    [
        ("#success", Kind.SUCCESS),
        ("#recovery", Kind.RECOVERY),
        ("#succes", Kind.SUCCESS),
        ("#herstel", Kind.RECOVERY),
        ("#Recovery", Kind.RECOVERY),
    ],
)
def test_reads_kind_tags_in_english_and_dutch(tag, kind):
    cmd = kudos(f"<@U1> {tag} for calling the customer back")
    assert cmd.kind is kind
    assert cmd.reason == "for calling the customer back"


def test_leaves_the_kind_open_without_a_tag():
    assert kudos("<@U1> for calling the customer back").kind is None


def test_takes_known_principle_tags_and_keeps_unknown_hashtags_in_the_reason():
    cmd = kudos("<@U1> #care for the #1 reply on #friday #listen-first #care")
    assert cmd.principles == ("care", "listen-first")
    assert cmd.reason == "for the #1 reply on #friday"


def test_keeps_every_hashtag_as_text_when_no_principles_are_known():
    cmd = kudos("<@U1> for #care and more", principles=())
    assert cmd.principles == ()
    assert cmd.reason == "for #care and more"


def test_does_not_take_a_longer_word_for_a_tag():
    cmd = kudos("<@U1> for the #success-story and #caring words")
    assert cmd.kind is None and cmd.principles == ()
    assert cmd.reason == "for the #success-story and #caring words"


def test_collapses_whitespace_left_by_tokens_and_newlines():
    cmd = kudos("  <@U1>\n\n for\tthe   <@U2>  calm\n call   #success  ")
    assert cmd.reason == "for the calm call"


def test_gives_an_empty_reason_for_mentions_only():
    cmd = kudos("<@U1> <@U2|bo> #recovery")
    assert cmd.reason == ""
    assert cmd.user_ids == ("U1", "U2")


def test_reads_missing_text_as_empty():
    payload = {k: v for k, v in PAYLOAD.items() if k != "text"}
    cmd = parse_kudos_command(payload)
    assert (cmd.user_ids, cmd.group_ids, cmd.reason) == ((), (), "")


# The switch button on the giver's confirmation; modelled on slack-payloads/block_actions.json.
def block_actions(value: str, *, team: dict | None) -> dict:
    body = {
        "type": "block_actions",
        "user": {"id": "W111", "username": "primary-owner", "team_id": "T111"},
        "api_app_id": "A111",
        "container": {"type": "message", "message_ts": "111.222", "is_ephemeral": True},
        "response_url": "https://hooks.slack.com/actions/T111/111/random-value",
        "actions": [
            {
                "action_id": "kudos_switch_kind",
                "block_id": "b",
                "value": value,
                "type": "button",
                "action_ts": "1596530385.194939",
            }
        ],
    }
    if team is not None:
        body["team"] = team
    return body


def test_reads_the_shoutout_and_new_kind_from_the_switch_button():
    body = block_actions("42:recovery", team={"id": "T111", "enterprise_id": "E111"})
    assert parse_switch_kind(body) == SwitchKind(TeamRef("T111", "E111"), "W111", 42, Kind.RECOVERY)


def test_falls_back_to_the_users_team_when_the_payload_has_none():
    switch = parse_switch_kind(block_actions("7:success", team=None))
    assert switch.team == TeamRef("T111", None)
    assert switch.kind is Kind.SUCCESS


def test_refuses_a_switch_to_an_unknown_kind():
    with pytest.raises(ValueError):
        parse_switch_kind(block_actions("7:wow", team={"id": "T111"}))
