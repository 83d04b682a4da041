"""The sender claims and records in batches, on real databases against the stand-in: one claim
statement per round for a worker's worth of messages, outcomes written many to a transaction,
a late outcome never overwriting a reconciler's claim, and a crash between a send and its
(batched) record settled by recovery exactly once."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy import event, text

import jobs.outbox_recorder
from bot.domain.clock import SystemClock
from bot.domain.model import OutboxMessage, OutboxStatus, OutboxTopic, StoryDraft, TeamRef
from bot.domain.outbox import Result, claim_messages, record_results
from bot.domain.stories import share_story
from jobs.outbox import CLAIM_AHEAD, SENDER_CONCURRENCY, run_sender, send_outbox
from jobs.recovery import reconcile_outbox
from tests.conftest import BO, CY
from tests.test_fanout import DEFAULTS, Everyone
from tests.test_outbox import _give
from tests.test_outbox_recovery import Crash, DyingClient, _posts_of
from tests.test_storage import _shoutout, _workspace

SHOUTOUTS = 10  # an announcement and two DMs each


class Writes:
    """Counts, on one engine, the outbox claims (UPDATE ... RETURNING) and the transactions
    that wrote anything."""

    def __init__(self, engine) -> None:
        self.engine, self.claims, self.transactions = engine, 0, 0
        self._lock = threading.Lock()
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._commit)

    def _statement(self, conn, _cursor, statement, *_args) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper()
        if verb in ("INSERT", "UPDATE", "DELETE"):
            conn.info["wrote"] = True
        if statement.startswith("UPDATE outbox SET status") and "RETURNING" in statement:
            with self._lock:
                self.claims += 1

    def _commit(self, conn) -> None:
        if conn.info.pop("wrote", False):
            with self._lock:
                self.transactions += 1

    def stop(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._statement)
        event.remove(self.engine, "commit", self._commit)


def _backlog(services, standin) -> tuple[list[int], WebClient]:
    ids = []
    for _ in range(SHOUTOUTS):
        result, client = _give(services, standin)
        ids += result.outbox_ids
        services.clock.advance(days=1)  # a new day: a new allowance for the giver
    return ids, client


def _statuses(db) -> Counter:
    return Counter(dict(db.rows("SELECT status, count(*) FROM outbox GROUP BY status")))


def test_send_outbox_claims_several_workers_worth_at_once_and_records_many_to_a_transaction(
    services, standin, db
):
    ids, client = _backlog(services, standin)
    writes = Writes(db.engine)
    try:
        sent = send_outbox(
            ids, uow=services.uow, client=client, clock=services.clock, concurrency=4
        )
    finally:
        writes.stop()
    assert set(sent) == set(ids) and set(sent.values()) == {OutboxStatus.SENT}
    assert _statuses(db) == {"sent": len(ids)}
    # Per message before: one claim and one record transaction each (60 for 30 messages). Now
    # the first claim takes four workers' worth, each next one (when one worker's worth is left)
    # three: with 4 workers, 16 then 12 then the last 2 (a claim of one worker's worth at a
    # time took 8).
    assert len(ids) == 30 and CLAIM_AHEAD == 4
    assert writes.claims <= 3, writes.claims
    assert writes.transactions <= len(ids) // 2, (writes.claims, writes.transactions)


def test_the_running_sender_claims_in_batches_and_records_everything_before_it_stops(
    services, standin, db
):
    ids, client = _backlog(services, standin)
    standin.hang("chat.postMessage", 0.02, times=None)  # a little latency, as Slack has
    writes = Writes(db.engine)
    stop = threading.Event()
    sender = threading.Thread(
        target=run_sender,
        kwargs=dict(uow=services.uow, client=client, clock=SystemClock(), stop=stop, interval=0.05),
    )
    sender.start()
    try:
        deadline = time.monotonic() + 30
        while len(standin.calls_to("chat.postMessage")) < len(ids) // 2:
            assert time.monotonic() < deadline
            time.sleep(0.01)
    finally:
        stop.set()  # mid-backlog: what was claimed is sent, and every outcome recorded
        sender.join(timeout=30)
        writes.stop()
    statuses = _statuses(db)
    assert statuses["sending"] == 0 and statuses["sent"] >= len(ids) // 2, statuses
    assert statuses["sent"] == len(standin.calls_to("chat.postMessage"))
    assert writes.claims <= -(-statuses["sent"] // SENDER_CONCURRENCY) + 1
    assert writes.transactions <= statuses["sent"] // 2, (writes.claims, writes.transactions)


def test_two_senders_at_once_post_each_message_once(services, standin, db):
    ids, client = _backlog(services, standin)
    standin.hang("chat.postMessage", 0.01, times=None)
    stop = threading.Event()
    senders = [
        threading.Thread(
            target=run_sender,
            kwargs=dict(
                uow=services.uow, client=client, clock=SystemClock(), stop=stop, interval=0.01
            ),
        )
        for _ in range(2)
    ]
    for sender in senders:
        sender.start()
    try:
        deadline = time.monotonic() + 30
        while _statuses(db)["sent"] < len(ids):
            assert time.monotonic() < deadline, _statuses(db)
            time.sleep(0.02)
    finally:
        stop.set()
        for sender in senders:
            sender.join(timeout=30)
    assert [len(_posts_of(standin, i)) for i in ids] == [1] * len(ids)


def test_a_crash_after_sends_before_their_batch_is_recorded_is_settled_once(
    services, standin, db, monkeypatch
):
    ids, client = _backlog(services, standin)
    standin.base_time = int(services.clock.now().timestamp())  # history read from "now"
    monkeypatch.setattr(jobs.outbox_recorder, "RECORD_EVERY", 60.0)  # nothing written in time
    dying = DyingClient(standin.api_url, at=5, after_post=True)  # dies having posted 5
    with pytest.raises(Crash):
        send_outbox(ids, uow=services.uow, client=dying, clock=services.clock, concurrency=1)
    posted = [i for i in ids if _posts_of(standin, i)]
    assert len(posted) == 5
    assert all(
        db.scalar("SELECT status FROM outbox WHERE id=:i", i=i) == "sending" for i in posted
    )  # sent, and not recorded
    services.clock.advance(minutes=3)
    settled = reconcile_outbox(uow=services.uow, client=client, clock=services.clock)
    assert {i: settled[i] for i in posted} == dict.fromkeys(posted, OutboxStatus.SENT)
    assert set(settled.values()) <= {OutboxStatus.SENT, OutboxStatus.PENDING}
    send_outbox(
        [r[0] for r in db.rows("SELECT id FROM outbox WHERE status = 'pending' ORDER BY id")],
        uow=services.uow,
        client=client,
        clock=services.clock,
    )
    assert [len(_posts_of(standin, i)) for i in ids] == [1] * len(ids)
    assert _statuses(db) == {"sent": len(ids)}


def test_an_outcome_recorded_after_a_reconciler_took_the_message_over_is_dropped(
    services, standin, db
):
    result, _client = _give(services, standin)
    dm = result.outbox_ids[1]
    [claimed] = claim_messages([dm], services.clock.now(), uow=services.uow())
    services.clock.advance(minutes=3)
    with services.uow() as tx:  # the sender looked dead: a reconciler takes the message over
        [(_id, seen)] = tx.outbox.stale(services.clock.now() - timedelta(minutes=2))
        assert tx.outbox.reclaim(dm, seen, services.clock.now()) is not None
        tx.commit()
    late = Result(claimed.message, OutboxStatus.FAILED, error="late", claimed_at=claimed.at)
    record_results([late], uow=services.uow(), clock=services.clock)
    row = db.rows("SELECT status, last_error, attempts FROM outbox WHERE id=:i", i=dm)[0]
    assert tuple(row) == ("sending", None, 1)  # the reconciler's to settle
    own = Result(claimed.message, OutboxStatus.FAILED, error="ok:false")  # a reconciler's
    record_results([own], uow=services.uow(), clock=services.clock)
    assert db.scalar("SELECT status FROM outbox WHERE id=:i", i=dm) == "failed"


class PermalinkWatcher(WebClient):
    """Notes, while a story card's permalink is being fetched, what the card's row says."""

    def __init__(self, base_url: str, db) -> None:
        super().__init__(token="xoxb-t", base_url=base_url, timeout=2)
        self.db, self.seen = db, []

    def chat_getPermalink(self, **kwargs):  # noqa: N802 - slack_sdk's name
        card = "SELECT status FROM outbox WHERE topic = :t"
        self.seen.append(self.db.scalar(card, t=OutboxTopic.STORY_CARD.value))
        return super().chat_getPermalink(**kwargs)


def test_a_story_card_is_recorded_sent_with_its_permalink_at_once(services, standin, db):
    draft = StoryDraft(
        team=TeamRef("T0001"),
        author="U0ANA",
        view_id="V1",
        title="Saved the Jansen renewal",
        body="Bo called back within the hour and the customer renewed for two years.",
        customer="Jansen BV",
        teammates=(BO, CY),
        principles=(),
        channel_id="C0STORIES",
        origin_channel="C0SUPPORT",
    )
    share_story(
        draft, uow=services.uow(), clock=services.clock, directory=Everyone(), defaults=DEFAULTS
    )
    [card] = [r[0] for r in db.rows("SELECT id FROM outbox WHERE topic = 'story.card'")]
    client = PermalinkWatcher(standin.api_url, db)
    assert send_outbox([card], uow=services.uow, client=client, clock=services.clock) == {
        card: OutboxStatus.SENT
    }
    # Its DMs (which link to the card) wait while the card is `sending`: not yet due while
    # the permalink is fetched, due once the card is recorded sent with it.
    assert client.seen == ["sending"]
    assert db.scalar("SELECT permalink FROM stories").startswith("https://acme.slack.com/")
    with services.uow() as tx:
        due = tx.outbox.due(services.clock.now())
    dms = send_outbox(due, uow=services.uow, client=client, clock=services.clock)
    assert len(dms) == 2 and set(dms.values()) == {OutboxStatus.SENT}
    for dm in standin.calls_to("chat.postMessage")[1:]:
        assert "https://acme.slack.com/" in str(dm.args["blocks"])


def test_the_batched_cards_are_the_cards_each_shoutout_shows(uow, db):
    workspace = _workspace(uow)
    with uow() as tx:
        solo = _shoutout(tx, workspace.id, recipients=("U2",))
        pair = _shoutout(tx, workspace.id, recipients=("U3", "U4"), giver="U5")
        tx.commit()
    with db.engine.begin() as connection:  # two people joined in on the pair's announcement
        for n, giver in enumerate(("U7", "U6")):
            own = connection.execute(
                text(
                    "INSERT INTO shoutouts (workspace_id, giver_id, reason, kind, kind_source,"
                    " source, channel_id, created_at) SELECT workspace_id, :g, reason, kind,"
                    " kind_source, source, channel_id, created_at FROM shoutouts WHERE id = :p"
                    " RETURNING id"
                ),
                dict(g=giver, p=pair),
            ).scalar()
            connection.execute(
                text(
                    "INSERT INTO conversation_thanks (workspace_id, kind, channel_id, message_ts,"
                    " giver_id, shoutout_id, joined_shoutout_id, created_at) SELECT workspace_id,"
                    " 'join', 'C1', :ts, :g, :own, :p, created_at FROM shoutouts WHERE id = :p"
                ),
                dict(ts=f"1.{n}", g=giver, own=own, p=pair),
            )
    with uow() as tx:
        one_by_one = {i: tx.recognitions.card(i) for i in (solo, pair)}
        batched = tx.outbox.cards([pair, solo, pair])
    assert batched == one_by_one
    assert batched[pair].also == ("U7", "U6") and batched[pair].principles


# the recorder on its own ------------------------------------------------------------------------


class Batches:
    """A recorder's `write`: keeps each batch; fails the first `failing` calls."""

    def __init__(self, failing: int = 0) -> None:
        self.batches, self.failing = [], failing
        self.written = threading.Event()

    def __call__(self, batch) -> None:
        if self.failing:
            self.failing -= 1
            raise RuntimeError("database is locked")
        self.batches.append([r.message for r in batch])
        self.written.set()


def _results(n: int, start: int = 0) -> list[Result]:
    return [Result(_message(i), OutboxStatus.SENT, ts=f"1.{i}") for i in range(start, start + n)]


def _message(n: int) -> OutboxMessage:
    return OutboxMessage(n, 1, OutboxTopic.KUDOS_DM, f"U{n}", None, None, 1)


def test_a_lone_outcome_is_written_within_the_interval_without_waiting_for_more():
    write = Batches()
    recorder = jobs.outbox_recorder.Recorder(write, every=0.05, most=100)
    try:
        started = time.monotonic()
        recorder.add(_results(1)[0])
        assert write.written.wait(2), "never written"
        assert 0.04 <= time.monotonic() - started < 1
    finally:
        recorder.close()
    assert write.batches == [[_message(0)]]


def test_outcomes_are_written_many_to_a_batch_and_at_once_when_most_wait():
    write = Batches()
    recorder = jobs.outbox_recorder.Recorder(write, every=30, most=10)
    try:
        for result in _results(25):
            recorder.add(result)
        deadline = time.monotonic() + 2
        while len(write.batches) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert [len(b) for b in write.batches] == [10, 10]  # the rest waits for the interval
    finally:
        recorder.close()  # ...or for the close
    assert [len(b) for b in write.batches] == [10, 10, 5]
    assert [m.id for b in write.batches for m in b] == list(range(25))


def test_a_failed_write_is_tried_again_with_what_came_since(caplog):
    write = Batches(failing=1)
    recorder = jobs.outbox_recorder.Recorder(write, every=0.02, most=100)
    try:
        recorder.add(_results(1)[0])
        time.sleep(0.1)
        recorder.add(_results(1, start=1)[0])
        assert write.written.wait(2)
    finally:
        recorder.close()
    assert [m.id for b in write.batches for m in b] == [0, 1]
    assert "recording 1 outcomes failed" in caplog.text


def test_a_recorder_that_cannot_write_gives_up_on_close_and_says_which_are_left(caplog):
    write = Batches(failing=10**6)
    recorder = jobs.outbox_recorder.Recorder(write, every=0.001, most=100)
    recorder.add(_results(1, start=7)[0])
    recorder.close()
    assert write.batches == []
    assert "1 outcomes not recorded (ids [7])" in caplog.text


def test_an_abandoned_recorder_writes_nothing_more():
    write = Batches()
    recorder = jobs.outbox_recorder.Recorder(write, every=30, most=100)
    for result in _results(3):
        recorder.add(result)
    recorder.abandon()  # the process is dying: recovery settles those from Slack's history
    assert write.batches == []


def test_a_database_that_is_down_is_not_hammered_however_many_outcomes_wait():
    write = Batches(failing=10**6)
    calls = []
    recorder = jobs.outbox_recorder.Recorder(
        lambda batch: (calls.append(len(batch)), write(batch)), every=0.02, most=5
    )
    try:
        for result in _results(12):
            recorder.add(result)
        time.sleep(0.5)
    finally:
        recorder.abandon()
    assert 2 <= len(calls) <= 6, calls  # backing off: 20, 40, 80, 160 ms... apart
