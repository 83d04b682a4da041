"""Thanking in the conversation end to end (SPEC 2.1b): `@Bravo` mentions, the kudos emoji on a
teammate's message, taking it back, and joining in, over signed HTTP against `bravo serve` and
the stand-in, on SQLite and PostgreSQL.

Events are handled after the ack, so every test that expects nothing to happen first sends what
should be ignored, then something that must be handled, and waits for that (a positive marker).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import BIG_GROUP, BO, BOT, CY, DEE, EVA, GIVER, GONE
from tests.slack_standin import BOT_USER, blocks_text
from tests.story_payloads import button, envelope, eventually, let_ignored_retries_finish

CHANNEL = "C0SUPPORT"
RETRY = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}


def mention(text: str, *, user: str = GIVER, ts: str = "1790000050.000100", **extra) -> dict:
    return {
        "type": "app_mention",
        "user": user,
        "text": f"<@{BOT_USER}> {text}",
        "ts": ts,
        "channel": CHANNEL,
        "event_ts": ts,
    } | extra


def reacted(user: str, ts: str, item_user: str | None, *, emoji="raised_hands", added=True):
    event = {
        "type": "reaction_added" if added else "reaction_removed",
        "user": user,
        "reaction": emoji,
        "item": {"type": "message", "channel": CHANNEL, "ts": ts},
        "event_ts": "1790000100.000200",
    }
    return event | ({"item_user": item_user} if item_user else {})


def recognitions(bravo, source: str | None = None) -> list[tuple[str, str]]:
    """(giver, recipient) of every stored recognition (of one source), oldest first."""
    rows = bravo.db.rows(
        "SELECT giver_id, recipient_id, source FROM recognitions ORDER BY id", source=source
    )
    return [(r[0], r[1]) for r in rows if source is None or r[2] == source]


def ephemerals(bravo, user: str) -> list[str]:
    return [
        c.args.get("text") or ""
        for c in bravo.slack.calls_to("chat.postEphemeral")
        if c.args.get("user") == user
    ]


def posts_in_thread(bravo, thread_ts: str) -> list:
    return [
        c for c in bravo.slack.calls_to("chat.postMessage") if c.args.get("thread_ts") == thread_ts
    ]


def everything_posted(bravo) -> str:
    """Every text and block Bravo sent to Slack, as one string."""
    calls = [
        c
        for c in bravo.slack.calls
        if c.method in ("chat.postMessage", "chat.update", "chat.postEphemeral", "response_url")
    ]
    return "\n".join(json.dumps(c.args) for c in calls)


# -- @Bravo mentions ------------------------------------------------------------------------------


def test_a_mention_thanks_two_people_and_replies_in_its_thread(bravo):
    event = mention(f"<@{BO}> <@{CY}> thanks for staying on the call until the export worked #care")
    assert bravo.client.event(envelope(event, event_id="Ev0MENTION01")).status == 200
    assert eventually(lambda: recognitions(bravo, "mention") == [(GIVER, BO), (GIVER, CY)])
    announced = eventually(lambda: posts_in_thread(bravo, event["ts"]), timeout=15)
    assert len(announced) == 1, [
        c.args for c in bravo.slack.calls_to("chat.postMessage")
    ] and announced[0].args["channel"] == CHANNEL
    assert "staying on the call" in blocks_text(announced[0].args["blocks"])
    assert bravo.slack.wait_for("chat.postMessage", 3)  # and a DM to each
    assert {c.args["channel"] for c in bravo.slack.calls_to("chat.postMessage")} >= {BO, CY}
    confirmation = eventually(lambda: bravo.slack.calls_to("chat.postEphemeral"))
    assert "Count as" in blocks_text(confirmation[0].args["blocks"])  # the kind switch
    assert confirmation[0].args["thread_ts"] == event["ts"]
    assert bravo.db.scalar("SELECT principle FROM recognition_principles LIMIT 1") == "care"
    # Slack's retry and an edit of the message (a subtype) change nothing.
    bravo.client.event(envelope(event, event_id="Ev0MENTION01"), headers=RETRY)
    bravo.client.event(envelope(mention(f"<@{BO}> edited text here", subtype="message_changed")))
    bravo.client.event(
        envelope(mention(f"<@{DEE}> a later thank-you for the docs", ts="1790000051.1"))
    )
    assert eventually(lambda: len(recognitions(bravo)) == 3)
    let_ignored_retries_finish()
    assert recognitions(bravo, "mention") == [(GIVER, BO), (GIVER, CY), (GIVER, DEE)]
    assert bravo.errors() == []


def test_a_mention_in_a_thread_is_announced_in_that_thread(bravo):
    event = mention(f"<@{BO}> for the calm escalation call today", thread_ts="1790000001.000001")
    bravo.client.event(envelope(event))
    announced = eventually(lambda: posts_in_thread(bravo, "1790000001.000001"))
    assert announced and announced[0].args["channel"] == CHANNEL
    assert not posts_in_thread(bravo, event["ts"])


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (f"<@{GIVER}> for my own great work today", "yourself"),
        (f"<@{BOT}> for answering the ticket so quickly", "bots"),
        (f"<@{GONE}> for all the years of help", "deactivated"),
        (f"<@{BO}> thanks", "at least 10"),
        (f"<@{BO}> " + "x" * 1001, "limit is 1000"),
        (f"<!subteam^{BIG_GROUP}> for a great quarter everyone", "at most 25"),
        ("<@U0NOBODY> for the help with the export", "doesn't know"),
    ],
)
def test_every_refusal_is_an_ephemeral_and_stores_nothing(bravo, text, says):
    bravo.client.event(envelope(mention(text)))
    refused = eventually(lambda: ephemerals(bravo, GIVER))
    assert refused and says in refused[0]
    assert recognitions(bravo) == [] and bravo.db.scalar("SELECT count(*) FROM shoutouts") == 0
    assert not bravo.slack.calls_to("chat.postMessage")


def test_the_allowance_refuses_a_mention_with_an_ephemeral(bravo):
    for n in range(5):
        bravo.client.event(
            envelope(mention(f"<@{BO}> thanks for the help number {n}", ts=f"179000006{n}.1"))
        )
    assert eventually(lambda: len(recognitions(bravo)) == 5)
    bravo.client.event(
        envelope(mention(f"<@{CY}> thanks for the sixth thing today", ts="1790000070.1"))
    )
    refused = eventually(lambda: [t for t in ephemerals(bravo, GIVER) if "resets" in t])
    assert refused and "allowance" in refused[0]
    assert len(recognitions(bravo)) == 5


def test_a_mention_without_recipients_gets_a_hint(bravo):
    bravo.client.event(envelope(mention("you are great")))
    hint = eventually(lambda: ephemerals(bravo, GIVER))
    assert hint and "Mention who you want to thank" in hint[0]
    assert recognitions(bravo) == []


def test_bot_messages_and_edits_are_ignored(bravo):
    bravo.client.event(envelope(mention(f"<@{BO}> from a bot for the great work", bot_id="B0X")))
    bravo.client.event(envelope(mention(f"<@{BO}> an edit for the great work", edited={"ts": "1"})))
    bravo.client.event(
        envelope(mention(f"<@{CY}> the real one for the great work", ts="1790000052.1"))
    )
    assert eventually(lambda: recognitions(bravo) == [(GIVER, CY)])
    let_ignored_retries_finish()
    assert recognitions(bravo) == [(GIVER, CY)]


# -- the kudos emoji on a teammate's message -------------------------------------------------------


def test_the_kudos_emoji_thanks_the_author_once_whatever_slack_retries(bravo):
    ts = bravo.slack.say(
        BO, CHANNEL, f"Fixed the export for <@{CY}>'s customer &amp; called them back"
    )
    event = envelope(reacted(GIVER, ts, BO), event_id="Ev0REACT0001")
    replies = [bravo.client.event(event)] + [
        bravo.client.event(event, headers=RETRY | {"X-Slack-Retry-Num": str(n)}) for n in (1, 2)
    ]
    assert all(r.status == 200 for r in replies)
    assert eventually(lambda: recognitions(bravo, "reaction") == [(GIVER, BO)])
    reason = bravo.db.scalar("SELECT reason FROM shoutouts")
    assert reason.startswith("Fixed the export for @Cy Chen's customer & called them back")
    assert "https://acme.slack.com/archives/C0SUPPORT/p" in reason  # the permalink
    reply = eventually(lambda: posts_in_thread(bravo, ts))
    assert len(reply) == 1 and f"<@{GIVER}> thanked <@{BO}>" in reply[0].args["text"]
    assert eventually(
        lambda: [c for c in bravo.slack.calls_to("chat.postMessage") if c.args["channel"] == BO]
    )
    let_ignored_retries_finish()
    assert recognitions(bravo) == [(GIVER, BO)] and len(posts_in_thread(bravo, ts)) == 1
    # A second person: the same reply is updated, not a new one.
    bravo.client.event(envelope(reacted(DEE, ts, BO, emoji="raised_hands::skin-tone-2")))
    update = eventually(lambda: bravo.slack.calls_to("chat.update"))
    assert update and update[-1].args["ts"] == reply[0].response["ts"]
    assert f"<@{GIVER}> and <@{DEE}> thanked <@{BO}>" in update[-1].args["text"]
    assert len(posts_in_thread(bravo, ts)) == 1
    assert bravo.errors() == []


def test_self_reactions_bots_and_other_emoji_are_ignored_quietly(bravo):
    own = bravo.slack.say(GIVER, CHANNEL, "I fixed the export myself today")
    bot = bravo.slack.say(BOT, CHANNEL, "Ticket 42 closed automatically", bot_id="B0HELP")
    other = bravo.slack.say(BO, CHANNEL, "Called the customer back within the hour")
    bravo.client.event(envelope(reacted(GIVER, own, GIVER)))
    bravo.client.event(envelope(reacted(GIVER, bot, None)))
    bravo.client.event(envelope(reacted(GIVER, bot, BOT)))
    bravo.client.event(envelope(reacted(GIVER, other, BO, emoji="tada")))
    bravo.client.event(envelope(reacted(CY, other, BO)))  # the positive marker
    assert eventually(lambda: recognitions(bravo) == [(CY, BO)])
    let_ignored_retries_finish()
    assert recognitions(bravo) == [(CY, BO)]
    assert ephemerals(bravo, GIVER) == []
    assert [c.args["channel"] for c in bravo.slack.calls_to("chat.postMessage")].count(GIVER) == 0
    assert bravo.errors() == []


def test_removing_the_reaction_the_same_day_takes_the_kudos_back(bravo):
    ts = bravo.slack.say(BO, CHANNEL, "Stayed late to migrate the customer's data")
    bravo.client.event(envelope(reacted(GIVER, ts, BO)))
    bravo.client.event(envelope(reacted(CY, ts, BO)))
    assert eventually(lambda: len(recognitions(bravo)) == 2)
    assert eventually(
        lambda: bravo.db.scalar("SELECT reply_ts FROM thanks_replies") not in (None, "pending")
    )
    bravo.client.event(envelope(reacted(GIVER, ts, BO, added=False)))
    assert eventually(lambda: recognitions(bravo) == [(CY, BO)])
    assert bravo.db.scalar("SELECT given FROM recognition_totals WHERE user_id = :u", u=GIVER) == 0
    assert bravo.db.scalar("SELECT received FROM recognition_totals WHERE user_id = :u", u=BO) == 1
    last = eventually(
        lambda: [
            c for c in bravo.slack.calls_to("chat.update") if f"<@{GIVER}>" not in c.args["text"]
        ]
    )
    assert last and f"<@{CY}> thanked <@{BO}>" in last[-1].args["text"]
    exported = export(bravo)
    assert GIVER not in exported and exported.count(",reaction") == 1
    assert bravo.errors() == []


def export(bravo) -> str:
    """The workspace's CSV export, as `bravo export` writes it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BRAVO_"))}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.entrypoints.cli",
            "export",
            "--team",
            "T0001",
            "--period",
            "all",
        ],
        capture_output=True,
        text=True,
        env=env | {"DATABASE_URL": bravo.db.url},
        check=True,
    )
    return done.stdout


# -- joining in ------------------------------------------------------------------------------------


def announced(bravo, text: str) -> str:
    bravo.client.kudos(text)
    return eventually(lambda: bravo.db.scalar("SELECT message_ts FROM shoutouts"))


def test_the_kudos_emoji_on_an_announcement_joins_in(bravo):
    ts = announced(bravo, f"<@{BO}> <@{CY}> for the calmest escalation call I have heard")
    bravo.client.event(envelope(reacted(DEE, ts, BOT_USER)))
    assert eventually(lambda: recognitions(bravo, "join") == [(DEE, BO), (DEE, CY)])
    update = eventually(lambda: bravo.slack.calls_to("chat.update"))
    assert update and update[-1].args["ts"] == ts
    assert f"Also thanked by <@{DEE}>" in blocks_text(update[-1].args["blocks"])
    # The recipient joining thanks only the others; the giver joining changes nothing.
    bravo.client.event(envelope(reacted(GIVER, ts, BOT_USER)))
    bravo.client.event(envelope(reacted(BO, ts, BOT_USER)))
    assert eventually(lambda: (BO, CY) in recognitions(bravo, "join"))
    let_ignored_retries_finish()
    assert recognitions(bravo, "join") == [(DEE, BO), (DEE, CY), (BO, CY)]
    assert bravo.errors() == []


def test_the_thanks_too_button_joins_in_once_however_often_it_is_clicked(bravo):
    ts = announced(bravo, f"<@{BO}> for turning a cancellation into a renewal")
    press = button("kudos_thanks_too", EVA, channel=CHANNEL, message_ts=ts, value="1")
    assert bravo.client.interaction(press).status == 200
    assert bravo.client.interaction(press).status == 200
    assert eventually(lambda: recognitions(bravo, "join") == [(EVA, BO)])
    update = eventually(lambda: bravo.slack.calls_to("chat.update"))
    assert update and f"Also thanked by <@{EVA}>" in blocks_text(update[-1].args["blocks"])
    let_ignored_retries_finish()
    assert recognitions(bravo, "join") == [(EVA, BO)]


# -- broadcasts are never re-posted live ----------------------------------------------------------


def test_a_broadcast_in_the_text_is_never_posted_live_on_any_path(bravo):
    loud = "<!channel> <!here|here> <!everyone> <!subteam^S0SUPPORT|@support> &lt;!channel&gt;"
    bravo.client.event(envelope(mention(f"<@{BO}> for the outage call {loud}")))
    ts = bravo.slack.say(CY, CHANNEL, f"All fixed {loud} thanks team")
    bravo.client.event(envelope(reacted(GIVER, ts, CY)))
    # The group in the mention is a recipient (named one by one); in the message it is text.
    assert eventually(lambda: len(recognitions(bravo)) == 3)
    mts = eventually(
        lambda: bravo.db.scalar("SELECT message_ts FROM shoutouts WHERE source = 'mention'")
    )
    bravo.client.event(envelope(reacted(DEE, mts, BOT_USER)))
    assert eventually(lambda: recognitions(bravo, "join") == [(DEE, BO), (DEE, CY)])
    assert eventually(lambda: len(posts_in_thread(bravo, ts)) == 1)
    assert eventually(lambda: bravo.slack.calls_to("chat.update"))
    posted = everything_posted(bravo)
    for live in ("<!channel", "<!here", "<!everyone", "<!subteam"):
        assert live not in posted
    assert "@channel" in bravo.db.scalar("SELECT reason FROM shoutouts WHERE source = 'reaction'")


def test_the_leaderboard_filters_by_source(bravo):
    bravo.client.event(envelope(mention(f"<@{BO}> thanks for the export fix today")))
    assert eventually(lambda: recognitions(bravo) == [(GIVER, BO)])
    bravo.client.kudos(f"<@{CY}> for answering the phones all afternoon")
    assert eventually(lambda: len(recognitions(bravo)) == 2)
    shown = bravo.client.command("/leaderboard", "all source:mention", user=GIVER).text
    assert "Bo Berg" in shown or f"<@{BO}>" in shown
    assert f"<@{CY}>" not in shown and "Cy Chen" not in shown
