"""Failures after the ack reach the user: the HTTP answer stays the 200 ack, and the user hears
about it through the response_url (or an ephemeral), never silence or a 404."""

from __future__ import annotations

import time

import pytest

from tests.conftest import BO, CY, GIVER

FORM_UNAVAILABLE = "Slack would not let Bravo open the form just now"


def stored(bravo) -> int:
    return sum(
        bravo.db.scalar(f"SELECT count(*) FROM {table}")
        for table in ("recognitions", "shoutouts", "stories", "outbox")
    )


@pytest.mark.parametrize(
    "command,text",
    [
        ("/kudos", ""),
        ("/story", ""),
        ("/story", "Saved the Jansen renewal"),
        ("/bravo", "settings"),
    ],
    ids=["kudos-modal", "story", "story-prefilled", "bravo-settings"],
)
def test_a_modal_slack_refuses_to_open_is_reported_to_the_user(bravo, command, text):
    bravo.slack.fail("views.open", "expired_trigger_id")
    reply = bravo.client.command(command, text, user=GIVER)
    assert reply.status == 200 and reply.seconds < 3
    said = bravo.slack.wait_for("response_url", response_url_name="cmd")
    assert said, [c.method for c in bravo.slack.calls]
    assert FORM_UNAVAILABLE in said[0].args["text"]
    assert said[0].args["response_type"] == "ephemeral"
    assert bravo.slack.calls_to("views.open")  # it did try
    assert stored(bravo) == 0
    assert bravo.errors() == []  # a Slack refusal, not a crash: no ERROR with a traceback


def test_the_form_message_is_in_the_workspace_language(bravo):
    bravo.client.command("/bravo", "set language nl", user=GIVER)
    bravo.slack.reset()
    bravo.slack.fail("views.open", "expired_trigger_id")
    assert bravo.client.kudos("", user=GIVER).status == 200
    said = bravo.slack.wait_for("response_url", response_url_name="cmd")
    assert said and "Slack liet Bravo het formulier net niet openen" in said[0].args["text"]


def test_a_refused_button_press_is_answered_in_time_and_visibly(bravo):
    reply = bravo.client.kudos(f"<@{BO}> solved the outage for the Jansen account", user=GIVER)
    button = reply.json()["blocks"][1]["accessory"]
    payload = {
        "type": "block_actions",
        "team": {"id": "T0001"},
        "user": {"id": CY, "team_id": "T0001"},
        "channel": {"id": "C0SUPPORT"},
        "response_url": bravo.slack.response_url("refused"),
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
    for _ in range(5):  # the ack used to be lost now and then: 404 after 3 s
        started = time.perf_counter()
        pressed = bravo.client.interaction(payload)
        assert pressed.status == 200 and time.perf_counter() - started < 2.5
    said = bravo.slack.wait_for("response_url", 5, response_url_name="refused")
    assert len(said) == 5
    assert all("Only the person who gave these kudos" in c.args["text"] for c in said)
    assert all(c.args.get("replace_original") is False for c in said)
