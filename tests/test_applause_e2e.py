"""Applause end to end: reactions through the Events API (with Slack's retries) and the Applaud
button, against `bravo serve` and the stand-in."""

from __future__ import annotations

from tests.conftest import BO, CY, DEE, EVA, GIVER
from tests.slack_standin import blocks_text
from tests.story_payloads import (
    button,
    envelope,
    eventually,
    let_ignored_retries_finish,
    opened_view,
    reaction,
    story_values,
    submission,
)


def shared_story(bravo, teammates=(BO,)) -> tuple[str, str]:
    """Share a story through the modal; (channel, ts) of its card once it is posted."""
    bravo.client.command("/story", "")
    view = opened_view(bravo)
    bravo.client.interaction(submission(view, GIVER, story_values(teammates=teammates)))
    ts = eventually(lambda: bravo.db.scalar("SELECT message_ts FROM stories"))
    assert ts
    return "C0STORIES", ts


def shown(call) -> str:
    return blocks_text(call.args["blocks"])


def applause(bravo) -> list[str]:
    return [r[0] for r in bravo.db.rows("SELECT user_id FROM applause ORDER BY id")]


def refreshed(bravo, channel: str, ts: str, count: int) -> bool:
    """Whether the card was refreshed to show `count` applause: the reaction listener's last step.

    Events are handled after the ack, so this is how a test knows a reaction was handled; a
    reaction that should change nothing is sent before it, so it was acked and taken up first.
    """
    label = f"Applaud · {count}" if count else "[:clap: Applaud]"
    updates = [
        c
        for c in bravo.slack.calls_to("chat.update")
        if c.args.get("channel") == channel and c.args.get("ts") == ts
    ]
    return bool(updates) and label in shown(updates[-1])


def test_a_reaction_adds_applause_once_even_when_slack_delivers_it_three_times(bravo):
    channel, ts = shared_story(bravo)
    event = envelope(reaction(DEE, channel, ts), event_id="Ev0CLAP0001")
    first = bravo.client.event(event)
    retries = [
        bravo.client.event(
            event, headers={"X-Slack-Retry-Num": str(n), "X-Slack-Retry-Reason": "http_timeout"}
        )
        for n in (1, 2)
    ]
    assert all(r.status == 200 for r in [first, *retries])
    assert eventually(lambda: applause(bravo) == [DEE])
    update = bravo.slack.wait_for("chat.update", channel=channel, ts=ts)
    assert update and "Applaud · 1" in shown(update[-1])
    assert bravo.db.scalar("SELECT count(*) FROM processed_events") == 1

    # Taken back after the retries: once the card shows that, the retries were handled too.
    bravo.client.event(envelope(reaction(DEE, channel, ts, added=False)))
    assert eventually(lambda: applause(bravo) == [])
    assert eventually(lambda: refreshed(bravo, channel, ts, 0))
    assert applause(bravo) == []
    assert len(bravo.slack.calls_to("chat.update")) == 2
    assert bravo.db.scalar("SELECT count(*) FROM processed_events") == 2  # one per event id
    let_ignored_retries_finish()
    assert applause(bravo) == []
    assert bravo.errors() == []


def test_skin_tones_count_and_other_emoji_do_not(bravo):
    channel, ts = shared_story(bravo)
    bravo.client.event(envelope(reaction(EVA, channel, ts, emoji="tada")))
    bravo.client.event(envelope(reaction(DEE, channel, ts, emoji="clap::skin-tone-3")))
    assert eventually(lambda: applause(bravo) == [DEE])
    assert eventually(lambda: refreshed(bravo, channel, ts, 1))
    assert applause(bravo) == [DEE]
    assert bravo.errors() == []


def test_no_self_applause_from_the_author_or_the_people_credited(bravo):
    channel, ts = shared_story(bravo, teammates=(BO,))
    bravo.client.event(envelope(reaction(GIVER, channel, ts)))
    bravo.client.event(envelope(reaction(BO, channel, ts)))
    bravo.client.event(envelope(reaction(CY, channel, ts)))
    assert eventually(lambda: applause(bravo) == [CY])
    assert eventually(lambda: refreshed(bravo, channel, ts, 1))
    assert applause(bravo) == [CY]
    assert bravo.errors() == []


def test_reactions_on_messages_that_are_not_bravo_posts_are_ignored(bravo):
    channel, ts = shared_story(bravo)
    bravo.client.event(envelope(reaction(DEE, channel, "1700000000.000001")))
    # Then one on the story card: once that is counted, the first was handled too.
    bravo.client.event(envelope(reaction(CY, channel, ts)))
    assert eventually(lambda: refreshed(bravo, channel, ts, 1))
    assert applause(bravo) == [CY]
    assert bravo.db.scalar("SELECT count(*) FROM processed_events") == 1  # the card's only
    assert bravo.errors() == []


def test_a_shout_out_announcement_can_be_applauded(bravo):
    bravo.client.kudos(f"<@{BO}> for the calmest escalation call I have ever heard")
    ts = eventually(lambda: bravo.db.scalar("SELECT message_ts FROM shoutouts"))
    bravo.client.event(envelope(reaction(CY, "C0SUPPORT", ts)))
    assert eventually(lambda: applause(bravo) == [CY])
    assert bravo.db.scalar("SELECT shoutout_id FROM applause") is not None


def test_the_applaud_button_toggles_and_refreshes_the_count(bravo):
    channel, ts = shared_story(bravo)
    press = button("applaud", DEE, channel=channel, message_ts=ts, value="1")
    assert bravo.client.interaction(press).status == 200
    assert eventually(lambda: applause(bravo) == [DEE])
    assert eventually(
        lambda: any("Applaud · 1" in shown(c) for c in bravo.slack.calls_to("chat.update"))
    )
    # Pressed again two seconds later: not a double click.
    bravo.client.interaction(
        button("applaud", DEE, channel=channel, message_ts=ts, action_ts="1790000002.000003")
    )
    assert eventually(lambda: applause(bravo) == [])
    assert eventually(lambda: len(bravo.slack.calls_to("chat.update")) == 2)


def test_the_author_pressing_applaud_is_told_why_nothing_happened(bravo):
    channel, ts = shared_story(bravo)
    press = button(
        "applaud",
        GIVER,
        channel=channel,
        message_ts=ts,
        response_url=bravo.slack.response_url("self"),
    )
    bravo.client.interaction(press)
    said = bravo.slack.wait_for("response_url", response_url_name="self")
    assert said and "Applause is for the others" in said[0].args["text"]
    assert applause(bravo) == []
