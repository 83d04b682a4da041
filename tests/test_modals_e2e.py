"""The kudos modal end to end: opened by `/kudos`, the shortcut and buttons; submitted under the
same rules as the slash path, refusals shown inline."""

from __future__ import annotations

import json

from tests.conftest import BO, BOT, CY, GIVER
from tests.slack_standin import blocks_text
from tests.story_payloads import button, kudos_values, opened_view, shortcut, submission


def kudos_modal(bravo) -> dict:
    bravo.client.kudos("")
    return opened_view(bravo)


def give(bravo, view, *, user=GIVER, view_id="V0KUDOS0001", **values):
    return bravo.client.interaction(submission(view, user, kudos_values(**values), view_id=view_id))


def element(view: dict, block_id: str) -> dict:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)["element"]


def test_the_give_kudos_shortcut_opens_the_kudos_modal(bravo):
    assert bravo.client.interaction(shortcut("give_kudos", BO)).status == 200
    view = opened_view(bravo)
    assert view["callback_id"] == "bravo_kudos"
    assert element(view, "kudos_recipients")["max_selected_items"] == 25
    assert element(view, "kudos_reason")["min_length"] == 10


def test_a_give_kudos_button_pre_tags_the_principle_it_carries(bravo):
    bravo.client.interaction(button("open_kudos_modal", BO, value="care"))
    view = opened_view(bravo)
    assert [o["value"] for o in element(view, "kudos_principles")["initial_options"]] == ["care"]


def test_submitting_the_kudos_modal_records_announces_and_confirms(bravo):
    view = kudos_modal(bravo)
    reply = give(bravo, view, recipients=(BO, CY), principles=("care",), kind="success")
    assert reply.status == 200 and reply.seconds < 3
    assert not reply.body or reply.json() in (None, {})  # the modal closes
    rows = bravo.db.rows("SELECT recipient_id, kind, source FROM recognitions ORDER BY id")
    assert [tuple(r) for r in rows] == [(BO, "success", "modal"), (CY, "success", "modal")]
    assert bravo.db.scalar("SELECT kind_source FROM shoutouts") == "choice"
    posts = bravo.slack.wait_for("chat.postMessage", 3)
    assert sorted(c.channel for c in posts) == sorted(["C0SUPPORT", BO, CY])
    confirmation = bravo.slack.wait_for("chat.postEphemeral", user=GIVER)
    assert confirmation and confirmation[0].channel == "C0SUPPORT"
    assert "Kudos recorded" in blocks_text(confirmation[0].args["blocks"])


def test_the_kudos_modal_infers_the_kind_when_none_is_chosen(bravo):
    view = kudos_modal(bravo)
    give(bravo, view, recipients=(BO,), reason="fixed the outage for the Jansen account")
    assert bravo.db.scalar("SELECT kind FROM recognitions") == "recovery"
    assert bravo.db.scalar("SELECT kind_source FROM shoutouts") == "keyword"


def test_a_refused_kudos_modal_shows_the_rule_inline_and_stores_nothing(bravo):
    view = kudos_modal(bravo)
    short = give(bravo, view, recipients=(BO,), reason="thanks!!")
    assert short.json()["response_action"] == "errors"
    assert "at least 10 characters" in short.json()["errors"]["kudos_reason"]
    bot = give(bravo, view, recipients=(BO, BOT))
    assert "Help Bot can't receive kudos" in bot.json()["errors"]["kudos_recipients"]
    itself = give(bravo, view, recipients=(GIVER,))
    assert "yourself" in itself.json()["errors"]["kudos_recipients"]
    assert bravo.db.scalar("SELECT count(*) FROM recognitions") == 0
    assert bravo.db.scalar("SELECT count(*) FROM outbox") == 0
    assert bravo.slack.calls_to("chat.postMessage") == []


def test_the_kudos_modal_counts_against_the_same_daily_allowance(bravo):
    bravo.client.kudos(f"<@{BO}> <@{CY}> for the smooth migration weekend together")
    view = kudos_modal(bravo)
    recipients = tuple(f"U0M{i:03d}" for i in range(4))
    reply = give(bravo, view, recipients=recipients)
    assert reply.json()["response_action"] == "errors"
    assert "3 of your 5 daily kudos left" in json.dumps(reply.json()["errors"])
    assert bravo.db.scalar("SELECT count(*) FROM recognitions") == 2
