"""`/bravo forget` and `/bravo me export` end to end: signed requests into `bravo serve`, the
stand-in recording what Bravo asked of Slack."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import String, Text, func, select

from storage.models import Base
from tests.conftest import BO, CY, DEE, GIVER

BO_NAME = "Bo Berg"


def press(bravo, button: dict, user: str, name: str = "forget") -> dict:
    """A block action as Slack sends it when `user` presses `button` on the ephemeral answer."""
    return {
        "type": "block_actions",
        "team": {"id": "T0001", "domain": "acme"},
        "user": {"id": user, "team_id": "T0001"},
        "api_app_id": "A0BRAVO",
        "container": {"type": "message", "is_ephemeral": True},
        "trigger_id": "1.2.3",
        "response_url": bravo.slack.response_url(name),
        "actions": [
            {
                "type": "button",
                "action_id": button["action_id"],
                "block_id": "bravo_forget_actions",
                "value": button.get("value", ""),
                "action_ts": "1.2",
            }
        ],
    }


def buttons(reply) -> dict[str, dict]:
    blocks = reply.json().get("blocks") or []
    found = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    return {e["action_id"]: e for e in found}


def seed(bravo) -> None:
    """Ana thanks Bo and Cy, Bo thanks Cy, Dee thanks Ana; every DM sent."""
    for giver, text in (
        (GIVER, f"<@{BO}> <@{CY}> for a warm welcome call with the Jansen team"),
        (BO, f"<@{CY}> for the secret recipe of the Friday handover"),
        (DEE, f"<@{GIVER}> for untangling the invoice mix-up"),
    ):
        assert "Kudos recorded" in bravo.client.kudos(text, user=giver).text
    assert len(bravo.slack.wait_for("chat.postMessage", 7, timeout=10)) == 7


def holding(bravo, needle: str) -> list[str]:
    found = []
    with bravo.db.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, String | Text):
                    query = select(func.count()).select_from(table).where(column.contains(needle))
                    if connection.execute(query).scalar():
                        found.append(f"{table.name}.{column.name}")
    return found


def totals(bravo) -> dict[str, tuple]:
    rows = bravo.db.rows("SELECT user_id, received, given FROM recognition_totals")
    return {r[0]: (r[1], r[2]) for r in rows if r[1] or r[2]}


def test_an_admin_forgets_a_person_after_a_confirmation_once(bravo):
    seed(bravo)
    before = totals(bravo)
    reply = bravo.client.command("/bravo", f"forget <@{BO}|bo>", user=GIVER)
    assert reply.json()["response_type"] == "ephemeral"
    said = json.dumps(reply.json()["blocks"])
    assert f"Forget <@{BO}> ({BO_NAME})?" in reply.text
    assert "Shout-outs they gave: 1." in said and "Recognitions they received: 1." in said
    assert "This cannot be undone." in said and "stay the same for everyone else" in said
    forget = buttons(reply)["bravo_forget_confirm"]
    assert forget["style"] == "danger" and forget["confirm"]["style"] == "danger"
    assert forget["text"]["text"] == f"Forget {BO_NAME}"
    assert holding(bravo, BO)  # nothing changed before the button

    assert bravo.client.interaction(press(bravo, forget, GIVER)).status == 200
    [done] = bravo.slack.wait_for("response_url", response_url_name="forget")
    assert done.args["replace_original"] is True
    assert "Bravo has forgotten this person" in done.args["text"]
    assert "Shout-outs they gave: 1." in done.args["text"]
    assert holding(bravo, BO) == [] and holding(bravo, BO_NAME) == []
    [(alias, detail)] = bravo.db.rows(
        "SELECT subject, detail FROM audit_log WHERE action = 'forget'"
    )
    assert json.loads(detail)["received"] == 1
    after = totals(bravo)
    assert after.pop(alias) == before.pop(BO) and after == before
    reason = bravo.db.scalar("SELECT reason FROM shoutouts WHERE giver_id = :a", a=alias)
    assert "secret recipe" not in reason and "forget them" in reason

    assert bravo.client.interaction(press(bravo, forget, GIVER, "again")).status == 200
    [again] = bravo.slack.wait_for("response_url", response_url_name="again")
    assert "already forgotten" in again.args["text"]
    assert bravo.db.scalar("SELECT count(*) FROM audit_log") == 1
    assert bravo.errors() == []


def test_a_member_may_not_forget_anyone(bravo):
    seed(bravo)
    reply = bravo.client.command("/bravo", f"forget <@{CY}>", user=BO)
    assert "Only workspace admins and owners can make Bravo forget someone." in reply.text
    assert "blocks" not in reply.json() and holding(bravo, CY)


def test_the_confirmation_pressed_by_a_member_forgets_nobody(bravo):
    seed(bravo)
    reply = bravo.client.command("/bravo", f"forget <@{CY}>", user=GIVER)
    forget = buttons(reply)["bravo_forget_confirm"]
    assert bravo.client.interaction(press(bravo, forget, BO)).status == 200
    [said] = bravo.slack.wait_for("response_url", response_url_name="forget")
    assert "Only workspace admins and owners" in said.args["text"]
    assert said.args["replace_original"] is False
    assert holding(bravo, CY) and bravo.db.scalar("SELECT count(*) FROM audit_log") == 0


def test_cancel_forgets_nothing(bravo):
    seed(bravo)
    reply = bravo.client.command("/bravo", f"forget <@{BO}>", user=GIVER)
    cancel = buttons(reply)["bravo_forget_cancel"]
    assert bravo.client.interaction(press(bravo, cancel, GIVER)).status == 200
    [said] = bravo.slack.wait_for("response_url", response_url_name="forget")
    assert said.args["text"] == "Nothing was forgotten." and said.args["replace_original"]
    assert holding(bravo, BO_NAME) and bravo.db.scalar("SELECT count(*) FROM audit_log") == 0


def test_forget_without_a_person_or_with_a_stranger_explains(bravo):
    usage = bravo.client.command("/bravo", "forget", user=GIVER)
    assert "Usage: `/bravo forget @person`" in usage.text
    stranger = bravo.client.command("/bravo", "forget <@U0NOBODY>", user=GIVER)
    assert "Bravo doesn't know <@U0NOBODY>" in stranger.text


def test_me_export_sends_my_data_as_json_and_csv_to_my_dm(bravo):
    seed(bravo)
    reply = bravo.client.command("/bravo", "me export", user=BO)
    assert reply.json()["response_type"] == "ephemeral" and "Gathering your data" in reply.text
    [done] = bravo.slack.wait_for("files.completeUploadExternal", timeout=15)
    assert done.args["channel_id"] == "D0BO" and len(json.loads(done.args["files"])) == 2
    uploads = [bytes(c.args["bytes"]).decode("utf-8") for c in bravo.slack.calls_to("file.upload")]
    [document] = [json.loads(u) for u in uploads if u.startswith("{")]
    [table] = [list(csv.DictReader(io.StringIO(u))) for u in uploads if u.startswith("section")]
    assert document["user_id"] == BO and document["profile"]["name"] == BO_NAME
    assert [g["reason"] for g in document["shoutouts_given"]] == [
        "for the secret recipe of the Friday handover"
    ]
    assert [r["giver"] for r in document["recognitions_received"]] == [GIVER]
    assert [r["section"] for r in table] == ["profile", "given", "received"]
    assert "untangling the invoice" not in json.dumps(document)  # Dee's thanks to Ana
    said = bravo.slack.wait_for("response_url", response_url_name="cmd")
    assert said and "Sent to your DMs" in said[0].args["text"]


def test_help_mentions_forget_and_me_export(bravo):
    reply = bravo.client.command("/bravo", "help", user=BO)
    assert "`/bravo me export`" in reply.text and "`/bravo forget @person`" in reply.text
