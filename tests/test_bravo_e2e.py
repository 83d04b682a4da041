"""/bravo and the clock end to end: signed requests into `bravo serve`, then `bravo run-job`."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import BO, GIVER, SECRET, TOKEN


def run_job(bravo, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BRAVO_"))}
    env.update(
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=bravo.slack.api_url,
        DATABASE_URL=bravo.db.url,
        LOG_LEVEL="WARNING",
    )
    return subprocess.run(
        [sys.executable, "-m", "bot.entrypoints.cli", "run-job", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_admin_sets_the_principle_channel_and_run_job_posts_once(bravo):
    reply = bravo.client.command(
        "/bravo", "set principle-channel <#C0LOVE|customer-love>", user=GIVER
    )
    assert reply.json()["response_type"] == "ephemeral"
    assert "`principle-channel` is now <#C0LOVE>" in reply.text

    monday_nine = "2026-11-23T09:00:00+01:00"
    first = run_job(bravo, "principle", "--team", "T0001", "--at", monday_nine)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "principle for C0LOVE (2026-11-23): sent" in first.stdout
    posts = bravo.slack.calls_to("chat.postMessage")
    assert [c.channel for c in posts] == ["C0LOVE"]
    blocks = json.dumps(posts[0].args["blocks"])
    assert "Principle of the day" in blocks and "Try today" in blocks

    again = run_job(bravo, "principle", "--team", "T0001", "--at", monday_nine)
    assert again.returncode == 0 and "nothing to post" in again.stdout
    assert len(bravo.slack.calls_to("chat.postMessage")) == 1


def test_a_member_who_is_not_a_manager_cannot_change_settings(bravo):
    reply = bravo.client.command("/bravo", "set allowance 50", user=BO)
    assert "Only workspace admins and Bravo managers" in reply.text
    assert bravo.db.scalar("SELECT count(*) FROM workspaces WHERE allowance <> 5") == 0


def test_a_bad_value_gets_a_hint_and_changes_nothing(bravo):
    reply = bravo.client.command("/bravo", "set principle-time 25:00", user=GIVER)
    assert "That value doesn't work for `principle-time`" in reply.text and "09:00" in reply.text
    assert bravo.db.scalar("SELECT count(*) FROM targets") == 0


def test_bravo_help_lists_the_commands(bravo):
    reply = bravo.client.command("/bravo", "", user=BO)
    assert "/kudos @person" in reply.text and "/bravo settings" in reply.text


def test_settings_modal_opens_for_an_admin(bravo):
    reply = bravo.client.command("/bravo", "settings", user=GIVER)
    assert reply.status == 200
    opened = bravo.slack.wait_for("views.open")
    assert opened and opened[0].args["view"]["callback_id"] == "bravo_settings"


def test_own_principles_can_be_tagged_and_switched_off_ones_cannot(bravo):
    added = bravo.client.command(
        "/bravo", "principle add Follow up :: Call back the next day", user=GIVER
    )
    assert "`#follow-up`" in added.text
    bravo.client.command("/bravo", "principle off care", user=GIVER)
    reply = bravo.client.kudos(f"<@{BO}> called Jansen back the next morning #follow-up #care")
    assert "`#follow-up`" in reply.text and "`#care`" not in reply.text
    assert (
        bravo.db.scalar("SELECT reason FROM shoutouts")
        == "called Jansen back the next morning #care"
    )
    principles = bravo.client.command("/bravo", "principles", user=BO)
    assert "#care" in principles.text and "(switched off)" in principles.text


def test_bravo_me_shows_your_own_numbers(bravo):
    bravo.client.kudos(f"<@{BO}> for a calm and friendly handover to the night shift", user=GIVER)
    reply = bravo.client.command("/bravo", "me", user=BO)
    assert reply.json()["response_type"] == "ephemeral"
    assert f"<@{BO}>" in reply.text and "1" in reply.text


def test_bravo_export_sends_a_manager_the_csv(bravo):
    bravo.client.kudos(f"<@{BO}> for a calm and friendly handover to the night shift", user=GIVER)
    reply = bravo.client.command("/bravo", "export month", user=GIVER)
    assert "Preparing your export" in reply.text
    uploads = bravo.slack.wait_for("files.completeUploadExternal", timeout=15)
    assert uploads
    csv = [c for c in bravo.slack.calls_to("file.upload") if b"recipient" in c.args["bytes"]]
    assert csv and b"calm and friendly handover" in csv[0].args["bytes"]


def test_bravo_export_is_for_managers_only(bravo):
    reply = bravo.client.command("/bravo", "export month", user=BO)
    said = bravo.slack.wait_for("response_url", timeout=10)
    assert "Preparing" in reply.text and said
    assert bravo.slack.calls_to("files.completeUploadExternal") == []


def test_bravo_export_with_a_bad_period_explains(bravo):
    reply = bravo.client.command("/bravo", "export someday", user=GIVER)
    assert "`someday` is not a period" in reply.text


def test_switching_to_dutch_changes_what_bravo_says(bravo):
    reply = bravo.client.command("/bravo", "set language nl", user=GIVER)
    assert "`language`" in reply.text and "nl" in reply.text
    kudos = bravo.client.kudos(f"<@{BO}> voor het geduldig uitleggen van de nieuwe factuur")
    from bot.i18n import translator

    expected = translator("nl")("kudos.confirm.title", recipients=f"<@{BO}>")
    assert expected in kudos.text and expected != translator("en")(
        "kudos.confirm.title", recipients=f"<@{BO}>"
    )


def test_an_unknown_setting_is_named_and_changes_nothing(bravo):
    reply = bravo.client.command("/bravo", "set colour blue", user=GIVER)
    assert "There is no setting `colour`" in reply.text and "principle-channel" in reply.text
    assert bravo.db.scalar("SELECT count(*) FROM targets") == 0


def test_a_principle_cannot_be_added_twice(bravo):
    first = bravo.client.command(
        "/bravo", "principle add Follow up :: Call back the next day", user=GIVER
    )
    again = bravo.client.command("/bravo", "principle add Follow up :: Call back again", user=GIVER)
    assert "`#follow-up`" in first.text
    assert "There is already a principle `#follow-up`" in again.text
    assert (
        bravo.db.scalar("SELECT explanation FROM workspace_principles") == "Call back the next day"
    )


def test_a_principle_needs_an_explanation(bravo):
    reply = bravo.client.command("/bravo", "principle add Follow up", user=GIVER)
    assert "Usage: `/bravo principle add Title" in reply.text
    assert bravo.db.scalar("SELECT count(*) FROM workspace_principles") == 0
