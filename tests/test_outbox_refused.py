"""What the database refuses to store does not stall the outbox, on real databases against the
stand-in: an answer from Slack that no column can hold (a `ts` longer than `String(32)`, which
PostgreSQL refuses; SQLite is made to refuse it the same way) is recorded without that answer,
the outcomes written beside it keep theirs, and the reconciler settles a message whose trace
carries such a value. Before, the batch was retried for ever and every later outcome waited."""

from __future__ import annotations

import logging
import sqlite3
from datetime import timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy import event

import jobs.outbox_recorder
from bot.domain.model import OutboxStatus
from bot.domain.outbox import Result, claim_messages, record_results
from bot.domain.recovery import Trace, settle_message, stale_messages
from jobs.outbox import send_outbox
from jobs.recovery import reconcile_outbox
from tests.test_outbox_recovery import _crash_sending, _give, _posts_of, _status

TOO_LONG = 10**20  # stamps the stand-in's messages with a `ts` of 37 characters


@pytest.fixture
def slack(standin, clock):
    standin.base_time = int(clock.now().timestamp())  # history reads from the clock's "now"
    return standin


def _refuse(db, *, when: str, code: str, name: str) -> None:
    """Make the database refuse an UPDATE of `outbox` where `when` holds (OLD and NEW rows):
    `code` 23514 is a constraint the value breaks, 55000 the database failing otherwise."""
    if db.backend == "postgresql":
        with db.engine.begin() as connection:
            connection.exec_driver_sql(
                f"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN "
                f"RAISE EXCEPTION 'refused by {name}' USING ERRCODE = '{code}'; END $$ "
                "LANGUAGE plpgsql"
            )
            connection.exec_driver_sql(
                f"CREATE TRIGGER {name} BEFORE UPDATE ON outbox FOR EACH ROW "
                f"WHEN ({when}) EXECUTE FUNCTION {name}()"
            )
        return
    if code.startswith("23"):  # SQLite's RAISE is a constraint failure
        action = f"SELECT RAISE(ABORT, 'refused by {name}');"
    else:  # a function that fails, as a disk or a driver can

        def failing() -> None:
            raise sqlite3.OperationalError(f"refused by {name}")

        event.listen(
            db.engine, "connect", lambda conn, _record: conn.create_function(name, 0, failing)
        )
        db.engine.dispose()  # the pooled connections had no such function
        action = f"SELECT {name}();"
    with db.engine.begin() as connection:
        connection.exec_driver_sql(
            f"CREATE TRIGGER {name} BEFORE UPDATE ON outbox FOR EACH ROW "
            f"WHEN {when} BEGIN {action} END"
        )


def _refuse_long_ts(db) -> None:
    """SQLite stores any length: make it refuse what PostgreSQL refuses (`String(32)`)."""
    if db.backend != "sqlite":
        return
    with db.engine.begin() as connection:
        for table in ("outbox", "shoutouts", "stories"):
            connection.exec_driver_sql(
                f"CREATE TRIGGER {table}_ts_fits BEFORE UPDATE OF message_ts ON {table} "
                "FOR EACH ROW WHEN length(NEW.message_ts) > 32 BEGIN "
                "SELECT RAISE(ABORT, 'value too long for type character varying(32)'); END"
            )


def test_an_answer_no_column_can_hold_is_recorded_sent_without_it(services, slack, db, caplog):
    _refuse_long_ts(db)
    ids = _give(services, slack)
    slack.base_time *= TOO_LONG
    client = slack_client(slack)
    sent = send_outbox(ids, uow=services.uow, client=client, clock=services.clock)
    assert sent == {i: OutboxStatus.SENT for i in ids}
    rows = db.rows(f"SELECT status, message_ts, last_error FROM outbox WHERE id IN {tuple(ids)}")
    assert [(status, ts) for status, ts, _ in rows] == [("sent", None)] * 3
    assert all(error.startswith("answer not stored: ") for *_, error in rows), rows
    assert "varying(32)" in rows[0][2]
    assert [len(_posts_of(slack, i)) for i in ids] == [1, 1, 1]  # posted once each
    assert db.scalar("SELECT message_ts FROM shoutouts") is None
    assert "outcome refused" in caplog.text


def test_an_outcome_refused_does_not_hold_up_the_others_in_its_batch(services, slack, db, caplog):
    _refuse_long_ts(db)
    ids = _give(services, slack) + _give(services, slack)  # the allowance allows two
    claimed = claim_messages(ids, services.clock.now(), uow=services.uow())
    odd = claimed[3].message.id  # the second shout-out's announcement
    results = [
        Result(
            c.message,
            OutboxStatus.SENT,
            ts="9" * 40 if c.message.id == odd else f"1.{n}",
            claimed_at=c.at,
        )
        for n, c in enumerate(claimed)
    ]
    recorder = jobs.outbox_recorder.Recorder(
        lambda batch: record_results(batch, uow=services.uow(), clock=services.clock), every=0.01
    )
    for result in results:
        recorder.add(result)
    recorder.close()
    stored = {i: (s, ts) for i, s, ts in db.rows("SELECT id, status, message_ts FROM outbox")}
    assert stored == {
        c.message.id: ("sent", None if c.message.id == odd else f"1.{n}")
        for n, c in enumerate(claimed)
    }
    announced = db.rows("SELECT message_ts FROM shoutouts ORDER BY id")
    assert [ts for (ts,) in announced] == ["1.0", None]
    assert f"outbox {odd}: outcome refused" in caplog.text
    # Written again (a write that failed part way, the database going down, is retried whole):
    # nothing changes.
    everything = "SELECT * FROM outbox ORDER BY id"
    before = db.rows(everything)
    assert record_results(results, uow=services.uow(), clock=services.clock) == []
    assert db.rows(everything) == before


def test_a_trace_no_column_can_hold_is_reconciled_sent_without_it(services, slack, db, caplog):
    _refuse_long_ts(db)
    ids = _give(services, slack)
    slack.base_time *= TOO_LONG
    # The announcement went up; the sender died before its outcome was recorded.
    _crash_sending(services, slack, ids, at=1, after_post=True)
    assert _status(db, ids[0]) == "sending"
    services.clock.advance(minutes=3)
    settled = reconcile_outbox(uow=services.uow, client=slack_client(slack), clock=services.clock)
    assert settled == {ids[0]: OutboxStatus.SENT}
    assert db.rows(f"SELECT status, message_ts FROM outbox WHERE id={ids[0]}") == [("sent", None)]
    assert len(_posts_of(slack, ids[0])) == 1


def test_an_outcome_refused_even_without_its_answer_is_left_for_the_reconciler(
    services, slack, db, caplog
):
    ids = _give(services, slack)
    _refuse(db, when=f"OLD.id = {ids[1]} AND NEW.status <> 'sending'", code="23514", name="no_dm")
    sent = send_outbox(ids, uow=services.uow, client=slack_client(slack), clock=services.clock)
    assert {i: _status(db, i) for i in ids} == {ids[0]: "sent", ids[1]: "sending", ids[2]: "sent"}
    assert sent[ids[0]] is sent[ids[2]] is OutboxStatus.SENT
    assert f"outbox {ids[1]}: outcome cannot be recorded; left `sending`" in caplog.text


def test_a_message_whose_settlement_is_refused_does_not_stop_the_others(
    services, slack, db, caplog
):
    ids = _give(services, slack)
    claim_messages(ids, services.clock.now(), uow=services.uow())  # a sender that died at once
    _refuse(db, when=f"OLD.id = {ids[0]} AND NEW.status <> 'sending'", code="23514", name="no_1")
    services.clock.advance(minutes=3)
    with caplog.at_level(logging.ERROR):
        settled = reconcile_outbox(
            uow=services.uow, client=slack_client(slack), clock=services.clock
        )
    assert settled == {ids[1]: OutboxStatus.PENDING, ids[2]: OutboxStatus.PENDING}
    assert _status(db, ids[0]) == "sending"  # taken over again after STALE_AFTER
    assert f"outbox {ids[0]}: not settled; taken over again later" in caplog.text


def test_a_failing_database_ends_the_reconcilers_pass(services, slack, db):
    """Not waited out once per message: the pass stops, the sender's round logs it, and what is
    left is taken over again later."""
    ids = _give(services, slack)
    claim_messages(ids, services.clock.now(), uow=services.uow())
    _refuse(db, when=f"OLD.id = {ids[0]} AND NEW.status <> 'sending'", code="55000", name="fail")
    services.clock.advance(minutes=3)
    with pytest.raises(Exception, match="refused by fail|user-defined function raised"):
        reconcile_outbox(uow=services.uow, client=slack_client(slack), clock=services.clock)
    assert {_status(db, i) for i in ids} == {"sending"}


def test_an_unknown_outcome_refused_is_reported_as_left_sending(services, slack, db):
    ids = _give(services, slack)
    claim_messages(ids[:1], services.clock.now(), uow=services.uow())
    _refuse(db, when=f"OLD.id = {ids[0]} AND NEW.status <> 'sending'", code="23514", name="no_u")
    services.clock.advance(minutes=3)
    [stale] = stale_messages(services.clock.now(), uow=services.uow())
    history_unreadable = Trace(error="channel_not_found")
    status = settle_message(stale, history_unreadable, uow=services.uow(), clock=services.clock)
    assert status is OutboxStatus.SENDING and _status(db, ids[0]) == "sending"


def test_the_longest_claimed_are_taken_over_first(services, slack, db):
    """A message taken over again and again (its outcome cannot be recorded) goes to the back:
    it never keeps a message a crash left out of the reconciler's batch."""
    ids = _give(services, slack)
    clock = services.clock
    claim_messages(ids[1:2], clock.now(), uow=services.uow())  # a crash, an hour ago
    clock.advance(minutes=55)
    claim_messages(ids[:1], clock.now(), uow=services.uow())  # taken over again lately
    clock.advance(minutes=5)
    with services.uow() as uow:
        taken = uow.outbox.stale(clock.now() - timedelta(minutes=2), limit=1)
    assert [message_id for message_id, _ in taken] == [ids[1]]


def slack_client(slack) -> WebClient:
    return WebClient(token="xoxb-t", base_url=slack.api_url, timeout=1)
