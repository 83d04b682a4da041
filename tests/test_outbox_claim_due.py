"""The running sender's claim: what is due, oldest first, up to a limit, taken in one statement
(`OutboxRepository.claim_due`), on SQLite and PostgreSQL; a story's DMs wait for its card,
and claimers racing for the same backlog never take one message twice."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest

from bot.domain.clock import FixedClock
from bot.domain.model import Kind, KindDecision, KindSource, NewStory, OutboxStatus, OutboxTopic
from bot.domain.outbox import claim_due_messages
from tests.test_storage import NOW, _shoutout, _workspace
from tests.test_trust_storage import bounded

DM, ANNOUNCEMENT = OutboxTopic.KUDOS_DM, OutboxTopic.KUDOS_ANNOUNCEMENT


def _queue(uow, workspace_id, shoutout_id, count, at, topic=DM):
    with uow() as tx:
        channels = [f"D{at:%H%M}{n}" for n in range(count)]  # one message per channel
        ids = tx.outbox.add_many(
            [(topic, channel, shoutout_id, None, None) for channel in channels], workspace_id, at
        )
        tx.commit()
    return ids


def test_what_is_due_is_claimed_oldest_first_up_to_the_limit(uow, db):
    workspace = _workspace(uow)
    with uow() as tx:
        shoutout = _shoutout(tx, workspace.id)
        tx.commit()
    older = _queue(uow, workspace.id, shoutout, 2, NOW - timedelta(minutes=5))
    newer = _queue(uow, workspace.id, shoutout, 2, NOW - timedelta(minutes=1))
    later, sent, retried = _queue(uow, workspace.id, shoutout, 3, NOW - timedelta(minutes=3))
    with uow() as tx:
        tx.outbox.finish(sent, OutboxStatus.SENT, NOW, ts="1.1")
        tx.outbox.finish(later, OutboxStatus.FAILED, NOW, retry_at=NOW + timedelta(minutes=2))
        tx.outbox.finish(retried, OutboxStatus.FAILED, NOW, retry_at=NOW - timedelta(minutes=2))
        tx.commit()

    first = claim_due_messages(NOW, 3, uow=uow())
    # Oldest due first: the two of five minutes ago, then the retry due two minutes ago.
    assert [c.message.id for c in first] == sorted([*older, retried])
    assert {c.card.id for c in first} == {shoutout} and {c.at for c in first} == {NOW}
    second = claim_due_messages(NOW, 10, uow=uow())
    assert [c.message.id for c in second] == newer
    assert claim_due_messages(NOW, 10, uow=uow()) == []  # a failed one not due yet stays
    rows = dict(db.rows("SELECT id, status FROM outbox"))
    assert [rows[i] for i in [*older, *newer, retried]] == ["sending"] * 5
    assert (rows[later], rows[sent]) == ("failed", "sent")
    attempts = dict(db.rows("SELECT id, attempts FROM outbox"))
    assert attempts[older[0]] == attempts[retried] == 1 == attempts[newer[0]]  # the claim counts
    assert attempts[later] == 0

    later_on = claim_due_messages(NOW + timedelta(minutes=3), 10, uow=uow())
    assert [c.message.id for c in later_on] == [later]


def test_a_storys_dms_wait_while_its_card_is_not_sent(uow, db):
    workspace = _workspace(uow)
    with uow() as tx:
        story = tx.stories.add(
            workspace.id,
            NewStory(
                view_id="V1",
                author="U1",
                title="Saved the renewal",
                customer="Jansen BV",
                body="Called back within the hour.",
                kind=KindDecision(Kind.SUCCESS, KindSource.DEFAULT),
                principles=(),
                teammates=("U2",),
                channel_id="C0STORIES",
                source_permalink=None,
            ),
            NOW,
        )
        card, dm = tx.outbox.add_many(
            [
                (OutboxTopic.STORY_CARD, "C0STORIES", None, story, None),
                (OutboxTopic.STORY_DM, "U2", None, story, None),
            ],
            workspace.id,
            NOW,
        )
        tx.commit()
    [claimed] = claim_due_messages(NOW, 10, uow=uow())
    assert claimed.message.id == card and claimed.card.title == "Saved the renewal"
    assert claim_due_messages(NOW, 10, uow=uow()) == []  # its card is being sent
    with uow() as tx:
        tx.outbox.finish(card, OutboxStatus.SENT, NOW, ts="1.2")
        tx.commit()
    assert [c.message.id for c in claim_due_messages(NOW, 10, uow=uow())] == [dm]


def test_claimers_racing_for_one_backlog_never_take_a_message_twice(uow, db):
    workspace = _workspace(uow)
    with uow() as tx:
        shoutout = _shoutout(tx, workspace.id)
        tx.commit()
    queued = _queue(uow, workspace.id, shoutout, 240, NOW - timedelta(minutes=1), ANNOUNCEMENT)
    taken: Counter = Counter()
    lock, start = threading.Lock(), threading.Barrier(4)
    clock = FixedClock(NOW)

    def claimer() -> None:
        start.wait()
        while batch := claim_due_messages(clock.now(), 16, uow=uow()):
            with lock:
                taken.update(c.message.id for c in batch)

    threads = [threading.Thread(target=claimer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(taken) == queued and set(taken.values()) == {1}
    assert db.scalar("SELECT count(*) FROM outbox WHERE status = 'sending'") == 240


def test_a_second_sender_takes_the_next_messages_while_the_first_is_claiming(uow, db):
    """PostgreSQL: rows another sender's claim has locked are skipped, not waited for (it used
    to wait for that claim to commit, then found its picks gone and took nothing)."""
    if db.backend != "postgresql":
        pytest.skip("SQLite has one writer at a time: claims cannot overlap")
    workspace = _workspace(uow)
    with uow() as tx:
        shoutout = _shoutout(tx, workspace.id)
        tx.commit()
    queued = _queue(uow, workspace.id, shoutout, 4, NOW - timedelta(minutes=1))
    _, impatient = bounded(db, lock_timeout=1.0)
    with uow() as first:
        taken_first = [m.id for m in first.outbox.claim_due(NOW, 2)]  # not committed yet
        with impatient() as second:
            taken_second = [m.id for m in second.outbox.claim_due(NOW, 2)]
            second.commit()
        first.commit()
    assert taken_first == queued[:2]
    assert taken_second == queued[2:]
