"""Stories end to end: signed requests into `bravo serve` (gunicorn), the stand-in recording Slack."""

from __future__ import annotations

import json
import threading

from tests.conftest import BO, BOT, CY, DEE, EVA, GIVER
from tests.story_payloads import (
    eventually,
    message_shortcut,
    opened_view,
    shortcut,
    story_values,
    submission,
)


def open_story_modal(bravo, text: str = "") -> dict:
    reply = bravo.client.command("/story", text, trigger_id="1337.42.abcdef")
    assert reply.status == 200 and reply.seconds < 3
    return opened_view(bravo)


def share(bravo, view: dict, *, user: str = GIVER, view_id: str = "V0STORY0001", **values):
    return bravo.client.interaction(submission(view, user, story_values(**values), view_id=view_id))


def stored(bravo, sql: str, **params):
    return bravo.db.scalar(sql, **params)


def element(view: dict, block_id: str) -> dict:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)["element"]


def test_story_command_opens_the_story_modal_prefilled_with_the_text(bravo):
    view = open_story_modal(
        bravo, f"<@{BO}|bo> called back within the hour and saved the renewal #care #success"
    )
    call = bravo.slack.calls_to("views.open")[0]
    assert call.args["trigger_id"] == "1337.42.abcdef"
    assert view["callback_id"] == "bravo_story" and view["type"] == "modal"
    assert element(view, "story_body")["initial_value"] == (
        "called back within the hour and saved the renewal"
    )
    assert element(view, "story_teammates")["initial_users"] == [BO]
    assert [o["value"] for o in element(view, "story_principles")["initial_options"]] == ["care"]
    assert element(view, "story_kind")["initial_option"]["value"] == "success"
    assert json.loads(view["private_metadata"])["channel"] == "C0SUPPORT"
    assert stored(bravo, "SELECT count(*) FROM stories") == 0


def test_submitting_a_story_stores_it_posts_one_card_and_credits_each_teammate(bravo):
    view = open_story_modal(bravo)
    reply = share(bravo, view, teammates=(BO, CY), principles=("care",))
    assert reply.status == 200 and reply.seconds < 3
    answer = reply.json()
    assert answer["response_action"] == "update"
    shared = json.dumps(answer["view"])
    assert "<#C0STORIES>" in shared and f"<@{BO}> and <@{CY}>" in shared

    assert stored(bravo, "SELECT count(*) FROM stories") == 1
    story = bravo.db.rows("SELECT id, title, customer, author_id, kind, channel_id FROM stories")[0]
    assert tuple(story)[1:] == (
        "Saved the Jansen renewal",
        "Jansen BV",
        GIVER,
        "recovery",
        "C0STORIES",
    )
    credits = bravo.db.rows(
        "SELECT recipient_id, giver_id, source, story_id, shoutout_id FROM recognitions ORDER BY id"
    )
    assert [tuple(r) for r in credits] == [
        (BO, GIVER, "story", story[0], None),
        (CY, GIVER, "story", story[0], None),
    ]
    assert stored(bravo, "SELECT count(*) FROM recognition_principles WHERE principle='care'") == 2
    assert stored(bravo, "SELECT count(*) FROM story_principles WHERE principle='care'") == 1

    cards = bravo.slack.wait_for("chat.postMessage", channel="C0STORIES")
    assert len(cards) == 1
    card = json.dumps(cards[0].args["blocks"])
    assert "Saved the Jansen renewal" in card and '"action_id": "applaud"' in card
    dms = bravo.slack.wait_for("chat.postMessage", 3)
    assert sorted(c.channel for c in dms if c.channel != "C0STORIES") == [BO, CY]
    assert eventually(lambda: stored(bravo, "SELECT message_ts FROM stories"))
    assert eventually(lambda: stored(bravo, "SELECT permalink FROM stories"))
    assert eventually(lambda: stored(bravo, "SELECT count(*) FROM outbox WHERE status='sent'") == 3)


def test_submitting_the_same_view_twice_stores_one_story(bravo):
    view = open_story_modal(bravo)
    replies = []

    def submit():
        replies.append(share(bravo, view, teammates=(BO,)))

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    again = share(bravo, view, teammates=(BO,))
    assert all(r.status == 200 for r in [*replies, again])
    assert "already shared" in json.dumps(again.json())
    assert stored(bravo, "SELECT count(*) FROM stories") == 1
    assert stored(bravo, "SELECT count(*) FROM recognitions") == 1
    assert bravo.slack.wait_for("chat.postMessage", 2)
    eventually(lambda: stored(bravo, "SELECT count(*) FROM outbox WHERE status='sent'") == 2)
    assert len(bravo.slack.calls_to("chat.postMessage")) == 2  # one card, one DM


def test_an_invalid_submission_returns_inline_errors_and_stores_nothing(bravo):
    view = open_story_modal(bravo)
    reply = share(bravo, view, title="   ", body="too short", teammates=(BO, BOT))
    assert reply.status == 200
    answer = reply.json()
    assert answer["response_action"] == "errors"
    errors = answer["errors"]
    assert set(errors) == {"story_title", "story_body", "story_teammates"}
    assert "title" in errors["story_title"]
    assert "at least 20 characters" in errors["story_body"]
    assert "Help Bot can't be credited" in errors["story_teammates"]
    for table in ("stories", "recognitions", "outbox", "workspaces", "members"):
        assert stored(bravo, f"SELECT count(*) FROM {table}") == 0, table
    assert bravo.slack.calls_to("chat.postMessage") == []


def test_a_story_goes_to_the_stories_channel_or_where_it_was_started_and_says_so(bravo):
    view = open_story_modal(bravo)
    reply = share(bravo, view, channel=None)
    shared = json.dumps(reply.json()["view"])
    assert "<#C0SUPPORT>" in shared and "no stories channel yet" in shared
    assert bravo.slack.wait_for("chat.postMessage", channel="C0SUPPORT")


def test_the_message_shortcut_opens_a_prefilled_modal_with_the_permalink(bravo):
    text = f"Thanks so much &lt;3 <@{BO}> sorted our invoices in ten minutes!\nBest, Jansen BV"
    reply = bravo.client.interaction(message_shortcut(DEE, text, ts="1789990000.000100"))
    assert reply.status == 200
    view = opened_view(bravo)
    assert bravo.slack.wait_for(
        "chat.getPermalink", channel="C0SUPPORT", message_ts="1789990000.000100"
    )
    assert element(view, "story_body")["initial_value"] == (
        "Thanks so much <3 @Bo Berg sorted our invoices in ten minutes!\nBest, Jansen BV"
    )
    assert element(view, "story_teammates")["initial_users"] == [BO]
    metadata = json.loads(view["private_metadata"])
    assert metadata["permalink"] == "https://acme.slack.com/archives/C0SUPPORT/p1789990000000100"

    share(bravo, view, user=DEE, teammates=(BO,))
    card = bravo.slack.wait_for("chat.postMessage", channel="C0STORIES")[0]
    assert metadata["permalink"] in json.dumps(card.args["blocks"])
    assert stored(bravo, "SELECT source_permalink FROM stories") == metadata["permalink"]


def test_the_share_story_shortcut_opens_an_empty_story_modal(bravo):
    assert bravo.client.interaction(shortcut("share_story", EVA)).status == 200
    view = opened_view(bravo)
    assert view["callback_id"] == "bravo_story"
    assert "initial_value" not in element(view, "story_body")


def test_story_credits_do_not_use_the_daily_allowance(bravo):
    view = open_story_modal(bravo)
    share(bravo, view, teammates=(BO, CY, DEE, EVA))
    assert stored(bravo, "SELECT count(*) FROM recognitions") == 4
    reply = bravo.client.kudos(f"<@{BO}> <@{CY}> for a spotless handover to the night shift")
    assert "You can give 3 more today (5 a day)" in reply.text
