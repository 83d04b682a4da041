"""A locked database: /kudos is answered within Slack's 3 s with "Bravo is busy", keeping the
user's text, and nothing is stored or announced later (served app, real HTTP)."""

from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import contextmanager

from sqlalchemy import text

from bot.domain.errors import Busy
from bot.slack.views.errors import build_error
from tests.conftest import BO, DEE, GIVER
from tests.story_payloads import eventually

HELD = 5.0  # seconds the test holds the lock: longer than Slack waits


@contextmanager
def locked(db):
    """Hold a write lock that Bravo's /kudos needs, until the block ends and HELD has passed."""
    started = time.monotonic()
    if db.backend == "sqlite":
        connection = sqlite3.connect(db.url.removeprefix("sqlite:///"), isolation_level=None)
        connection.execute("BEGIN EXCLUSIVE")
        release = connection.rollback
    else:
        connection = db.engine.connect()
        transaction = connection.begin()
        connection.execute(text("LOCK TABLE shoutouts IN ACCESS EXCLUSIVE MODE"))
        release = transaction.rollback
    try:
        yield
    finally:
        time.sleep(max(0.0, HELD - (time.monotonic() - started)))
        release()
        connection.close()


def test_a_locked_database_answers_busy_in_time_and_stores_nothing(bravo):
    typed = f"<@{BO}|bo> for rescuing the Jansen migration at midnight #care"
    with locked(bravo.db):
        reply = bravo.client.kudos(typed)
        assert reply.status == 200
        assert reply.seconds < 3, reply.seconds
        assert reply.json()["response_type"] == "ephemeral"
        assert f"Bravo is busy, nothing was saved. Try again: /kudos {typed}" in reply.text

    # Once the lock is gone, a second /kudos goes through and is announced: the first one,
    # refused earlier, left nothing behind to be stored or announced late.
    marker = bravo.client.kudos(f"<@{DEE}> for picking up the phone when nobody else could")
    assert "Kudos recorded" in marker.text
    announced = bravo.slack.wait_for("chat.postMessage", channel="C0SUPPORT")
    assert announced and f"<@{DEE}>" in announced[0].args["text"]
    assert eventually(
        lambda: bravo.db.scalar("SELECT count(*) FROM outbox WHERE status = 'sent'") == 2
    )
    rows = bravo.db.rows("SELECT giver_id, recipient_id FROM recognitions ORDER BY id")
    assert [tuple(r) for r in rows] == [(GIVER, DEE)]
    assert bravo.db.scalar("SELECT count(*) FROM shoutouts") == 1
    assert bravo.db.scalar("SELECT count(*) FROM outbox") == 2  # the marker's post and DM
    # The sender posts concurrently: the announcement and the DM in either order.
    assert sorted(c.channel for c in bravo.slack.calls_to("chat.postMessage")) == sorted(
        ["C0SUPPORT", DEE]
    )
    assert bravo.errors() == []


def test_many_requests_during_a_lock_are_all_answered_in_time(bravo):
    with locked(bravo.db):
        replies: list = []
        threads = [
            threading.Thread(
                target=lambda i=i: replies.append(
                    bravo.client.kudos(f"<@{BO}> for answering ticket {i} so quickly")
                )
            )
            for i in range(3)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert [r.status for r in replies] == [200, 200, 200]
    assert all(r.seconds < 3 for r in replies), [r.seconds for r in replies]
    assert all("Bravo is busy" in r.text for r in replies)
    assert bravo.db.scalar("SELECT count(*) FROM shoutouts") == 0


def test_the_busy_message_keeps_the_text_in_dutch_too():
    busy = Busy(command="/kudos", text="<@U0BO> voor de snelle hulp")
    assert build_error(busy, "nl") == (
        "Bravo heeft het druk, er is niets opgeslagen. "
        "Probeer het opnieuw: /kudos <@U0BO> voor de snelle hulp"
    )
    assert "Try again in a moment" in build_error(Busy(), "en")


def test_a_mention_during_a_lock_offers_the_mention_again_as_typed(bravo):
    from tests.slack_standin import BOT_USER
    from tests.story_payloads import envelope

    typed = f"<@{BO}> for the calm handover with the Jansen team"
    event = {
        "type": "app_mention",
        "user": GIVER,
        "text": f"<@{BOT_USER}> {typed}",
        "ts": "1790000050.000100",
        "channel": "C0SUPPORT",
        "event_ts": "1790000050.000100",
    }
    with locked(bravo.db):
        assert bravo.client.event(envelope(event, event_id="Ev0BUSY0001")).status == 200
        [told] = bravo.slack.wait_for("chat.postEphemeral", timeout=10)
    assert f"Try again: @Bravo {typed}" in told.args["text"]
    assert bravo.db.scalar("SELECT count(*) FROM shoutouts") == 0
