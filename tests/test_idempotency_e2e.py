"""What a user (or Slack) can send twice is recorded once: a redelivered /kudos, a kudos modal
submitted twice at once, a double click on Applaud (served app, real HTTP)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from tests.conftest import BO, CY, DEE, GIVER
from tests.slack_standin import blocks_text
from tests.story_payloads import (
    button,
    eventually,
    kudos_values,
    opened_view,
    story_values,
    submission,
)


def at_once(*calls):
    """Run the calls in threads released together; their results in order."""
    start = threading.Barrier(len(calls))

    def run(call):
        start.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def all_sent(bravo) -> bool:
    return not bravo.db.scalar("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')")


def test_the_same_kudos_command_delivered_twice_is_recorded_and_announced_once(bravo):
    typed = f"<@{BO}> for turning an angry caller into a happy customer"
    first = bravo.client.kudos(typed, trigger_id="4242.1337.abcdef0123")
    again = bravo.client.kudos(typed, trigger_id="4242.1337.abcdef0123")
    for reply in (first, again):  # the replay gets the same confirmation
        assert reply.status == 200 and "Kudos recorded for <@U0BO>" in reply.text
        assert "You can give 4 more today" in reply.text
    assert bravo.db.scalar("SELECT count(*) FROM shoutouts") == 1
    assert bravo.db.scalar("SELECT count(*) FROM recognitions") == 1
    assert bravo.db.scalar("SELECT request_key FROM shoutouts") == "trigger:4242.1337.abcdef0123"
    assert eventually(lambda: all_sent(bravo))
    posts = bravo.slack.calls_to("chat.postMessage")
    assert sorted(c.channel for c in posts) == sorted(["C0SUPPORT", BO])  # one post, one DM
    # A new invocation (its own trigger id) is a new shout-out.
    assert "You can give 3 more today" in bravo.client.kudos(typed).text
    assert bravo.errors() == []


def test_a_kudos_modal_submitted_twice_at_once_is_recorded_once(bravo):
    bravo.client.kudos("")
    view = opened_view(bravo)
    payload = submission(view, GIVER, kudos_values(recipients=(CY,)), view_id="V0KUDOSTWICE")
    replies = at_once(*[lambda: bravo.client.interaction(payload)] * 2)
    assert [r.status for r in replies] == [200, 200]
    assert bravo.db.scalar("SELECT count(*) FROM shoutouts") == 1
    assert bravo.db.scalar("SELECT count(*) FROM recognitions") == 1
    assert bravo.db.scalar("SELECT request_key FROM shoutouts") == "view:V0KUDOSTWICE"
    confirmation = bravo.slack.wait_for("chat.postEphemeral", user=GIVER)
    assert confirmation and "Kudos recorded" in blocks_text(confirmation[0].args["blocks"])
    assert eventually(lambda: all_sent(bravo))
    time.sleep(0.3)  # the second submission's listener finished with its ack; be generous
    assert len(bravo.slack.calls_to("chat.postEphemeral")) == 1
    posts = bravo.slack.calls_to("chat.postMessage")
    assert sorted(c.channel for c in posts) == sorted(["C0SUPPORT", CY])
    assert bravo.errors() == []


def shared_story(bravo) -> tuple[str, str]:
    bravo.client.command("/story", "")
    view = opened_view(bravo)
    bravo.client.interaction(submission(view, GIVER, story_values(teammates=(BO,))))
    ts = eventually(lambda: bravo.db.scalar("SELECT message_ts FROM stories"))
    assert ts
    return "C0STORIES", ts


def applause(bravo) -> list[str]:
    return sorted(r[0] for r in bravo.db.rows("SELECT user_id FROM applause"))


def test_a_double_click_on_applaud_applauds_once(bravo):
    channel, ts = shared_story(bravo)
    first, second = (
        button("applaud", DEE, channel=channel, message_ts=ts, action_ts=at)
        for at in ("1790000000.100000", "1790000000.400000")  # 0.3 s apart, by Slack's clock
    )
    assert bravo.client.interaction(first).status == 200
    assert eventually(lambda: applause(bravo) == [DEE])
    assert bravo.client.interaction(second).status == 200  # must not take the applause back
    # Someone else applauds after: once the card shows two, both clicks were handled.
    bravo.client.interaction(
        button("applaud", CY, channel=channel, message_ts=ts, action_ts="1790000000.600000")
    )
    assert eventually(lambda: applause(bravo) == [CY, DEE])
    assert eventually(
        lambda: any("Applaud · 2" in blocks_text(c.args["blocks"]) for c in updates(bravo))
    )
    time.sleep(0.3)
    assert applause(bravo) == [CY, DEE]
    assert bravo.errors() == []


def updates(bravo):
    return bravo.slack.calls_to("chat.update")
