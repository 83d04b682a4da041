"""/kudos end to end: signed requests into `bravo serve` (gunicorn), the stand-in recording Slack."""

from __future__ import annotations

import json
import time

import pytest

from tests.conftest import BIG_GROUP, BO, BOT, CY, DEE, GIVER, GONE, SUPPORT_GROUP
from tests.story_payloads import eventually


def recognitions(bravo) -> list[tuple[str, str, str]]:
    return [
        tuple(r)
        for r in bravo.db.rows("SELECT giver_id, recipient_id, kind FROM recognitions ORDER BY id")
    ]


def assert_refused(bravo, reply, *phrases: str) -> None:
    """The refusal is the ack, sent once the listener's service refused: the listener is done,
    and anything it meant to post would be in the outbox."""
    assert reply.status == 200
    assert reply.json()["response_type"] == "ephemeral"
    for phrase in phrases:
        assert phrase in reply.text, reply.text
    assert bravo.db.scalar("SELECT count(*) FROM recognitions") == 0
    assert bravo.db.scalar("SELECT count(*) FROM shoutouts") == 0
    assert bravo.db.scalar("SELECT count(*) FROM outbox") == 0
    assert bravo.slack.calls_to("chat.postMessage") == []


def test_shout_out_to_two_people_is_stored_announced_and_dmed(bravo):
    reply = bravo.client.kudos(
        f"<@{BO}|bo> <@{CY}> for calming an upset customer and solving it the same day #care"
    )
    assert reply.status == 200 and reply.seconds < 3
    assert reply.json()["response_type"] == "ephemeral"
    assert f"Kudos recorded for <@{BO}> and <@{CY}>" in reply.text
    assert "recovery" in reply.text  # "upset" decided it, and the button offers success
    assert "You can give 3 more today (5 a day)" in reply.text
    assert "`#care`" in reply.text

    assert recognitions(bravo) == [(GIVER, BO, "recovery"), (GIVER, CY, "recovery")]
    assert (
        bravo.db.scalar("SELECT count(*) FROM recognition_principles WHERE principle='care'") == 2
    )

    posts = bravo.slack.wait_for("chat.postMessage", 3)
    announcements = [c for c in posts if c.channel == "C0SUPPORT"]
    assert len(announcements) == 1
    assert f"<@{BO}> and <@{CY}>" in announcements[0].args["text"]
    assert announcements[0].authorization == "Bearer xoxb-test-token"
    assert sorted(c.channel for c in posts if c.channel != "C0SUPPORT") == sorted([BO, CY])
    # The outbox records each result just after Slack answers: wait for it.
    assert eventually(lambda: bravo.db.scalar("SELECT message_ts FROM shoutouts"))
    assert eventually(
        lambda: bravo.db.scalar("SELECT count(*) FROM outbox WHERE status='sent'") == 3
    )


def test_giver_among_recipients_is_dropped_and_told(bravo):
    reply = bravo.client.kudos(
        f"<@{BO}> <@{GIVER}> <@{CY}> for calming an upset customer and solving it the same day"
    )
    assert "You were left out" in reply.text
    assert recognitions(bravo) == [(GIVER, BO, "recovery"), (GIVER, CY, "recovery")]


def test_duplicate_recipients_count_once(bravo):
    reply = bravo.client.kudos(f"<@{BO}> <@{BO}|bo> thanks for the thoughtful onboarding call")
    assert "You can give 4 more today" in reply.text
    assert recognitions(bravo) == [(GIVER, BO, "success")]


def test_user_group_expands_to_members_without_the_giver(bravo):
    reply = bravo.client.kudos(
        f"<!subteam^{SUPPORT_GROUP}|@support> for a record CSAT week #success"
    )
    assert reply.status == 200
    assert recognitions(bravo) == [(GIVER, BO, "success"), (GIVER, CY, "success")]
    announcement = bravo.slack.wait_for("chat.postMessage", channel="C0SUPPORT")[0]
    assert "subteam" not in json.dumps(announcement.args)  # named person by person
    assert f"<@{BO}> and <@{CY}>" in announcement.args["text"]


def test_refuses_self_recognition(bravo):
    assert_refused(
        bravo,
        bravo.client.kudos(f"<@{GIVER}> for handling the queue all by myself"),
        "can't give them to yourself",
    )


def test_refuses_bots_and_apps(bravo):
    assert_refused(
        bravo,
        bravo.client.kudos(f"<@{BO}> <@{BOT}> for answering every ticket today"),
        f"<@{BOT}> can't receive kudos",
        "Nothing was recorded",
    )


def test_refuses_deactivated_people(bravo):
    assert_refused(
        bravo,
        bravo.client.kudos(f"<@{GONE}> for years of great customer care"),
        "deactivated",
        "Nothing was recorded",
    )


def test_refuses_people_slack_does_not_know(bravo):
    assert_refused(
        bravo, bravo.client.kudos("<@U0NOBODY> for a wonderful save on the phone"), "doesn't know"
    )


def test_refuses_a_missing_reason(bravo):
    assert_refused(bravo, bravo.client.kudos(f"<@{BO}>  thanks "), "at least 10 characters")


def test_refuses_a_reason_over_1000_characters(bravo):
    assert_refused(bravo, bravo.client.kudos(f"<@{BO}> " + "great work " * 100), "limit is 1000")


def test_refuses_without_recipients(bravo):
    assert_refused(
        bravo,
        bravo.client.kudos("for being wonderful with customers"),
        "Mention at least one teammate",
    )


def test_refuses_a_user_group_over_25_people(bravo):
    assert_refused(
        bravo,
        bravo.client.kudos(f"<!subteam^{BIG_GROUP}|@everyone-team> for a great quarter"),
        "30 people",
        "at most 25",
    )


def test_refuses_an_unknown_user_group(bravo):
    assert_refused(
        bravo,
        bravo.client.kudos("<!subteam^S0NOPE|@ghosts> for a great quarter"),
        "couldn't find that user group",
    )


def test_daily_allowance_refuses_and_says_when_it_resets(bravo):
    first = bravo.client.kudos(f"<@{BO}> <@{CY}> <@{DEE}> for the smooth migration weekend")
    assert "2 more today" in first.text
    over = bravo.client.kudos(f"<@{BO}> <@{CY}> <@{DEE}> for covering the late shift together")
    assert over.json()["response_type"] == "ephemeral"
    assert "You have 2 kudos left today and this would give 3" in over.text
    assert "resets at midnight your time (<!date^" in over.text
    assert bravo.db.scalar("SELECT count(*) FROM recognitions") == 3
    bravo.client.kudos(f"<@{BO}> <@{CY}> for covering the late shift together")
    used_up = bravo.client.kudos(f"<@{DEE}> for covering the late shift together")
    assert "You've given all 5 kudos for today" in used_up.text
    assert bravo.db.scalar("SELECT count(*) FROM recognitions") == 5


def test_broadcast_mentions_in_a_reason_are_never_posted_live(bravo):
    bravo.client.kudos(
        f"<@{BO}> told <!channel> &amp; <!here|here> about the fix &lt;3 <!everyone>"
    )
    posts = bravo.slack.wait_for("chat.postMessage", 2)
    sent = json.dumps([c.args for c in posts])
    for live in ("<!channel>", "<!here", "<!everyone>"):
        assert live not in sent
    assert "@channel" in sent and "&amp;" in sent and "&lt;3" in sent
    assert bravo.db.scalar("SELECT reason FROM shoutouts") == (
        "told @channel & @here about the fix <3 @everyone"
    )


def test_announces_through_response_url_where_the_bot_cannot_post(bravo):
    bravo.slack.fail("chat.postMessage", "channel_not_found", channel="G0PRIVATE")
    bravo.client.kudos(f"<@{BO}> for rescuing the demo with a spare laptop", channel="G0PRIVATE")
    replies = bravo.slack.wait_for("response_url")
    assert len(replies) == 1 and replies[0].args["response_type"] == "in_channel"
    assert f"<@{BO}>" in replies[0].args["text"]
    assert bravo.slack.wait_for("chat.postMessage", channel=BO)


def test_explicit_kind_tag_wins_over_keywords(bravo):
    reply = bravo.client.kudos(f"<@{BO}> fixed the billing bug before anyone noticed #success")
    assert "Counted as *success* (you tagged it)" in reply.text
    assert recognitions(bravo) == [(GIVER, BO, "success")]


def test_kind_switch_button_changes_the_stored_kind(bravo):
    reply = bravo.client.kudos(f"<@{BO}> <@{CY}> solved the outage for the Jansen account")
    assert recognitions(bravo)[0][2] == "recovery"
    button = reply.json()["blocks"][1]["accessory"]
    payload = {
        "type": "block_actions",
        "team": {"id": "T0001", "domain": "acme"},
        "user": {"id": GIVER, "team_id": "T0001"},
        "api_app_id": "A0BRAVO",
        "container": {"type": "message", "is_ephemeral": True},
        "trigger_id": "1.2.3",
        "response_url": bravo.slack.response_url("switch"),
        "actions": [
            {
                "type": "button",
                "action_id": button["action_id"],
                "block_id": "b",
                "value": button["value"],
                "action_ts": "1.2",
            }
        ],
    }
    assert bravo.client.interaction(payload).status == 200
    replaced = bravo.slack.wait_for("response_url", response_url_name="switch")
    assert replaced and "Now counted as *success*" in json.dumps(replaced[0].args)
    assert [r[2] for r in recognitions(bravo)] == ["success", "success"]
    assert bravo.db.scalar("SELECT kind_source FROM shoutouts") == "choice"


def test_only_the_giver_may_switch_the_kind(bravo):
    reply = bravo.client.kudos(f"<@{BO}> solved the outage for the Jansen account")
    button = reply.json()["blocks"][1]["accessory"]
    payload = {
        "type": "block_actions",
        "team": {"id": "T0001"},
        "user": {"id": CY, "team_id": "T0001"},
        "response_url": bravo.slack.response_url("other"),
        "trigger_id": "1.2.3",
        "actions": [
            {
                "type": "button",
                "action_id": button["action_id"],
                "value": button["value"],
                "block_id": "b",
                "action_ts": "1.2",
            }
        ],
    }
    bravo.client.interaction(payload)
    said = bravo.slack.wait_for("response_url", response_url_name="other")
    assert said and "Only the person who gave these kudos" in said[0].args["text"]
    assert recognitions(bravo)[0][2] == "recovery"


def test_empty_kudos_opens_the_kudos_modal(bravo):
    reply = bravo.client.kudos("")
    assert reply.status == 200
    opened = bravo.slack.wait_for("views.open")
    assert opened and opened[0].args["view"]["callback_id"] == "bravo_kudos"
    assert bravo.db.scalar("SELECT count(*) FROM recognitions") == 0


@pytest.mark.parametrize("case", ["bad signature", "stale timestamp"])
def test_unsigned_or_stale_requests_get_401_and_store_nothing(bravo, case):
    if case == "bad signature":
        reply = bravo.client.kudos(
            f"<@{BO}> for a great save with the Jansen account", signature="v0=" + "0" * 64
        )
    else:
        reply = bravo.client.kudos(
            f"<@{BO}> for a great save with the Jansen account", timestamp=int(time.time()) - 600
        )
    assert reply.status == 401
    assert bravo.db.scalar("SELECT count(*) FROM recognitions") == 0
    assert bravo.slack.calls_to("chat.postMessage") == []


def test_healthz_reports_the_database(bravo):
    import urllib.request

    with urllib.request.urlopen(bravo.url + "/healthz") as response:
        assert response.status == 200 and json.loads(response.read()) == {"ok": True}
