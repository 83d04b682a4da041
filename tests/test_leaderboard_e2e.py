"""/leaderboard end to end: signed requests into `bravo serve`, the stand-in recording Slack."""

from __future__ import annotations

import csv
import io
import json

from tests.conftest import BO, CY, DEE, EVA, GIVER


def seed(bravo) -> None:
    """This month: Bo 3 (2 success, 1 recovery), Cy 2; five recognitions in all."""
    shout_outs = [
        (GIVER, f"<@{BO}> <@{CY}> for a warm welcome call with the Jansen team #care"),
        (DEE, f"<@{BO}> for remembering every customer's birthday"),
        (EVA, f"<@{BO}> fixed the outage for Acme before lunch"),
        (BO, f"<@{CY}> for turning a cancellation into a renewal #success"),
    ]
    for giver, text in shout_outs:
        assert "Kudos recorded" in bravo.client.kudos(text, user=giver).text
    assert bravo.db.scalar("SELECT count(*) FROM recognitions") == 5


def export_click(bravo, button: dict, user: str) -> dict:
    return {
        "type": "block_actions",
        "team": {"id": "T0001", "domain": "acme"},
        "user": {"id": user, "team_id": "T0001"},
        "api_app_id": "A0BRAVO",
        "container": {"type": "message", "is_ephemeral": True},
        "trigger_id": "1.2.3",
        "response_url": bravo.slack.response_url("export"),
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


def buttons(reply) -> list[dict]:
    blocks = reply.json().get("blocks") or []
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def test_signed_leaderboard_month_returns_the_ranking(bravo):
    seed(bravo)
    reply = bravo.client.command("/leaderboard", "month", user=CY)
    assert reply.status == 200 and reply.seconds < 3
    assert reply.json()["response_type"] == "ephemeral"
    text = reply.text
    assert f"1. <@{BO}>: 3 (2 success, 1 recovery)" in text
    assert f"2. <@{CY}>: 2 (2 success, 0 recovery)" in text
    assert text.index(f"<@{BO}>: 3") < text.index(f"<@{CY}>: 2")
    assert "*You:* number 2 of 2, with 2" in text
    assert "80% success, 20% recovery (5 recognitions, 2 people recognised)" in text
    assert buttons(reply) == []  # Cy is no manager


def test_a_managers_export_button_uploads_the_csv_and_chart_to_their_dm(bravo):
    seed(bravo)
    reply = bravo.client.command("/leaderboard", "", user=GIVER)  # Ana is a workspace admin
    assert "full ranking" in reply.text
    [button] = buttons(reply)
    assert bravo.client.interaction(export_click(bravo, button, GIVER)).status == 200

    uploads = bravo.slack.wait_for("file.upload", 2, timeout=15)
    files = {bytes(c.args["bytes"])[:8]: bytes(c.args["bytes"]) for c in uploads}
    png = files.pop(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 1000
    [csv_bytes] = files.values()
    rows = list(csv.DictReader(io.StringIO(csv_bytes.decode("utf-8"))))
    assert sorted((r["giver_id"], r["recipient_id"], r["kind"]) for r in rows) == sorted(
        [
            (GIVER, BO, "success"),
            (GIVER, CY, "success"),
            (DEE, BO, "success"),
            (EVA, BO, "recovery"),
            (BO, CY, "success"),
        ]
    )
    assert rows[0]["principles"] == "care" and rows[0]["giver"] == "Ana Giver"
    assert "warm welcome call" in rows[0]["reason"]

    [done] = bravo.slack.wait_for("files.completeUploadExternal")
    assert done.args["channel_id"] == "D0GIVER"
    assert len(json.loads(done.args["files"])) == 2
    said = bravo.slack.wait_for("response_url", response_url_name="export")
    assert said and "Sent to your DM: 5 recognitions" in said[0].args["text"]


def test_a_non_manager_gets_no_manager_view_and_no_file(bravo):
    seed(bravo)
    reply = bravo.client.command("/leaderboard", "all", user=DEE)
    assert "*Most recognised*" in reply.text and "full ranking" not in reply.text
    assert buttons(reply) == []
    forged = {"action_id": "leaderboard_export", "value": json.dumps({"p": "all"})}
    assert bravo.client.interaction(export_click(bravo, forged, DEE)).status == 200
    said = bravo.slack.wait_for("response_url", response_url_name="export")
    assert said and "Only workspace admins and Bravo managers" in said[0].args["text"]
    assert not [c for c in bravo.slack.calls if c.method.startswith("file")]
    assert bravo.slack.calls_to("conversations.open") == []


def test_with_managers_only_visibility_others_see_their_own_stats(bravo):
    seed(bravo)
    with bravo.db.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE workspaces SET leaderboard_visibility = 'managers'")
    reply = bravo.client.command("/leaderboard", f"month <@{BO}>", user=CY)
    text = reply.text
    assert "Only Bravo managers can look up other people's stats" in text
    assert f"Stats for <@{CY}>" in text and "*Received:* 2" in text
    assert "*Most recognised*" not in text and "Rank" not in text and f"<@{BO}>" not in text


def test_bad_arguments_get_the_usage_text(bravo):
    reply = bravo.client.command("/leaderboard", "last-month", user=CY)
    assert reply.json()["response_type"] == "ephemeral"
    assert "I didn't understand `last-month`." in reply.text
    assert "/leaderboard [today|week|month" in reply.text


def test_a_double_click_on_export_sends_the_file_once_and_a_later_press_again(bravo):
    seed(bravo)
    [button] = buttons(bravo.client.command("/leaderboard", "", user=GIVER))
    first, second, later = (export_click(bravo, button, GIVER) for _ in range(3))
    second["actions"][0]["action_ts"] = "1.9"  # 0.7 s after the first by Slack's clock
    later["actions"][0]["action_ts"] = "12.2"  # 11 s later: a new export
    assert bravo.client.interaction(first).status == 200
    assert bravo.slack.wait_for("response_url", response_url_name="export", timeout=15)
    assert bravo.client.interaction(second).status == 200
    assert bravo.client.interaction(later).status == 200
    # The later press is answered (the marker); a double click's second press would have
    # been answered too by now, making three.
    said = bravo.slack.wait_for("response_url", 3, timeout=5, response_url_name="export")
    assert len(said) == 2
    assert len(bravo.slack.calls_to("files.completeUploadExternal")) == 2
