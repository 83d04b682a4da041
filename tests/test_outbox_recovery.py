"""The outbox after a crash, on real databases against the stand-in: messages are claimed a batch
at a time and their outcomes recorded a batch at a time, and one a dead sender left `sending`
(claimed, or sent and not yet recorded) is reconciled from Slack's history, never lost and never
posted twice. Also what each way Slack can answer does to a message."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from slack_sdk import WebClient

import jobs.outbox
from bot.domain.model import OutboxStatus
from bot.domain.outbox import (
    Result,
    claim_messages,
    note_fallback,
    record_results,
    unsettled_messages,
)
from bot.domain.recovery import stale_messages
from jobs.outbox import send_outbox
from jobs.recovery import reconcile_outbox
from jobs.tick import tick
from tests.conftest import BO
from tests.test_outbox import _give as give_to_bo_and_cy


class Crash(BaseException):
    """The sender's process dies here (SIGKILL): nothing after it runs."""


class DyingClient(WebClient):
    """A Web API client whose process dies at its `at`-th chat.postMessage, before the request
    leaves or after Slack took the message but before the sender heard back."""

    def __init__(self, base_url: str, *, at: int, after_post: bool) -> None:
        super().__init__(token="xoxb-t", base_url=base_url, timeout=1)
        self.at, self.after_post, self.posts = at, after_post, 0

    def chat_postMessage(self, **kwargs):  # noqa: N802 - slack_sdk's name
        self.posts += 1
        if self.posts == self.at:
            if self.after_post:
                super().chat_postMessage(**kwargs)
            raise Crash
        return super().chat_postMessage(**kwargs)


@pytest.fixture
def slack(standin, clock):
    # The stand-in stamps messages from this instant on, so that history reads from the
    # (fixed) clock's "now" find them.
    standin.base_time = int(clock.now().timestamp())
    return standin


@pytest.fixture
def client(slack):
    return WebClient(token="xoxb-t", base_url=slack.api_url, timeout=1)


def _give(services, slack, channel="C0SUPPORT", reply_url=None) -> list[int]:
    """A shout-out to Bo and Cy: its outbox ids (announcement, DM to Bo, DM to Cy)."""
    result, _client = give_to_bo_and_cy(services, slack, channel, reply_url)
    return list(result.outbox_ids)


def _crash_sending(services, slack, ids, *, at: int, after_post: bool, ahead: int = 1) -> None:
    """Send `ids` with one worker that dies at its `at`-th post. `ahead=1`: each message is
    claimed once the one before it was handled, so the crash lands at a known message."""
    dying = DyingClient(slack.api_url, at=at, after_post=after_post)
    with pytest.MonkeyPatch.context() as patch, pytest.raises(Crash):
        patch.setattr(jobs.outbox, "CLAIM_AHEAD", ahead)
        send_outbox(ids, uow=services.uow, client=dying, clock=services.clock, concurrency=1)


def _posts_of(slack, message_id: int) -> list:
    return [
        c
        for c in slack.calls_to("chat.postMessage")
        if (c.args.get("metadata") or {}).get("event_payload", {}).get("id") == message_id
        and c.response is not None
    ]


def _status(db, message_id: int) -> str:
    return db.scalar("SELECT status FROM outbox WHERE id=:i", i=message_id)


def _send_due(services, client):
    with services.uow() as tx:
        due = tx.outbox.due(services.clock.now())
    return send_outbox(due, uow=services.uow, client=client, clock=services.clock)


def test_every_post_carries_its_outbox_id_as_metadata(services, slack, client):
    ids = _give(services, slack)
    send_outbox(ids, uow=services.uow, client=client, clock=services.clock)
    sent = [c.args["metadata"] for c in slack.calls_to("chat.postMessage")]
    sent.sort(key=lambda metadata: metadata["event_payload"]["id"])  # sent at once: any order
    assert sent == [{"event_type": "bravo_outbox", "event_payload": {"id": i}} for i in ids]


def test_a_crash_leaves_what_was_claimed_or_not_yet_recorded_sending(services, slack, client, db):
    ids = _give(services, slack)
    # One worker claiming two at a time dies at its second post: the first was posted (its
    # outcome perhaps not yet recorded), the second claimed.
    _crash_sending(services, slack, ids, at=2, after_post=False, ahead=2)
    assert _status(db, ids[0]) in ("sent", "sending") and _status(db, ids[1]) == "sending"
    assert _status(db, ids[2]) in ("pending", "sending")
    assert db.scalar("SELECT claimed_at FROM outbox WHERE id=:i", i=ids[1]) is not None
    services.clock.advance(minutes=3)
    reconcile_outbox(uow=services.uow, client=client, clock=services.clock)
    _send_due(services, client)
    assert [len(_posts_of(slack, i)) for i in ids] == [1, 1, 1]
    assert {_status(db, i) for i in ids} == {"sent"}


@pytest.mark.parametrize("which", [0, 1], ids=["announcement", "dm"])
def test_a_stale_message_slack_has_is_marked_sent_without_posting(
    services, slack, client, db, which
):
    ids = _give(services, slack)
    _crash_sending(services, slack, ids, at=which + 1, after_post=True)
    posted_ts = _posts_of(slack, ids[which])[0].response["ts"]
    assert _status(db, ids[which]) == "sending"
    services.clock.advance(minutes=3)
    settled = reconcile_outbox(uow=services.uow, client=client, clock=services.clock)
    # Those sent before it whose outcomes were not yet recorded are found and settled too.
    assert settled[ids[which]] is OutboxStatus.SENT
    assert settled.items() <= dict.fromkeys(ids[: which + 1], OutboxStatus.SENT).items()
    assert db.scalar("SELECT message_ts FROM outbox WHERE id=:i", i=ids[which]) == posted_ts
    _send_due(services, client)
    assert [len(_posts_of(slack, i)) for i in ids] == [1, 1, 1]
    assert {_status(db, i) for i in ids} == {"sent"}
    if which == 0:  # the shout-out knows where its announcement lives
        assert db.scalar("SELECT message_ts FROM shoutouts") == posted_ts
    else:  # a DM is looked for in the IM the bot has with the person
        assert slack.calls_to("conversations.open")[-1].args["users"] == BO
        assert slack.calls_to("conversations.history")[-1].args["channel"] == "D0BO"


def test_a_message_left_sending_recently_is_not_touched(services, slack, client, db):
    ids = _give(services, slack)
    _crash_sending(services, slack, ids, at=1, after_post=False)
    services.clock.advance(minutes=1)  # a live sender may still be waiting for Slack
    assert reconcile_outbox(uow=services.uow, client=client, clock=services.clock) == {}
    assert _status(db, ids[0]) == "sending"
    assert slack.calls_to("conversations.history") == []


def test_a_stale_message_slack_never_got_is_sent_once(services, slack, client, db):
    ids = _give(services, slack)
    _crash_sending(services, slack, ids, at=1, after_post=False)
    services.clock.advance(minutes=3)
    assert reconcile_outbox(uow=services.uow, client=client, clock=services.clock) == {
        ids[0]: OutboxStatus.PENDING
    }
    _send_due(services, client)
    services.clock.advance(minutes=10)
    tick(
        uow=services.uow, clock=services.clock, client_for=lambda _ws: client, outbox_client=client
    )
    assert [len(_posts_of(slack, i)) for i in ids] == [1, 1, 1]
    assert {_status(db, i) for i in ids} == {"sent"}


def test_when_the_history_cannot_be_read_the_message_stays_unknown(
    services, slack, client, db, caplog
):
    ids = _give(services, slack)
    _crash_sending(services, slack, ids, at=1, after_post=False)
    slack.fail("conversations.history", "missing_scope")
    services.clock.advance(minutes=3)
    with caplog.at_level(logging.WARNING, logger="jobs.recovery"):
        settled = reconcile_outbox(uow=services.uow, client=client, clock=services.clock)
    assert settled == {ids[0]: OutboxStatus.UNKNOWN}
    assert [r.getMessage() for r in caplog.records if r.name.startswith(("jobs", "bot"))] == [
        "cannot read the history of C0SUPPORT to reconcile: missing_scope"
    ]
    assert db.scalar("SELECT last_error FROM outbox WHERE id=:i", i=ids[0]).startswith(
        "unverifiable"
    )
    services.clock.advance(hours=1)
    tick(
        uow=services.uow, clock=services.clock, client_for=lambda _ws: client, outbox_client=client
    )
    assert _posts_of(slack, ids[0]) == [] and _status(db, ids[0]) == "unknown"
    assert len(_posts_of(slack, ids[1])) == 1  # the others were sent as usual


def test_a_message_sent_through_the_response_url_cannot_be_looked_up(services, slack, client, db):
    ids = _give(services, slack, channel="G0PRIV", reply_url=slack.response_url())
    [claimed] = claim_messages(ids[:1], services.clock.now(), uow=services.uow())
    note_fallback(claimed.message, "not_in_channel", uow=services.uow())
    # ...and the sender died while (or after) posting through the response_url.
    services.clock.advance(minutes=3)
    settled = reconcile_outbox(uow=services.uow, client=client, clock=services.clock)
    assert settled == {ids[0]: OutboxStatus.UNKNOWN}
    assert _posts_of(slack, ids[0]) == [] and slack.calls_to("response_url") == []


def test_two_reconcilers_never_take_the_same_message(services, slack, client, db):
    ids = _give(services, slack)
    _crash_sending(services, slack, ids, at=1, after_post=False)
    services.clock.advance(minutes=3)
    first = stale_messages(services.clock.now(), uow=services.uow())
    second = stale_messages(services.clock.now(), uow=services.uow())
    assert [s.message.id for s in first] == [ids[0]] and second == []


@pytest.mark.parametrize(
    ("fault", "status", "retry_in"),
    [
        (
            lambda s: s.ratelimit("chat.postMessage", 30, channel=BO),
            "failed",
            timedelta(seconds=30),
        ),
        (
            lambda s: s.fail("chat.postMessage", "fatal_error", channel=BO, status=503),
            "unknown",
            None,
        ),
        (lambda s: s.hang("chat.postMessage", 2.5, channel=BO), "unknown", None),
        (
            lambda s: s.fail("chat.postMessage", "internal_error", channel=BO, times=1),
            "failed",
            timedelta(minutes=1),
        ),
    ],
    ids=["429-retry-after", "http-503", "timeout", "ok-false"],
)
def test_how_each_answer_of_slack_is_handled(services, slack, client, db, fault, status, retry_in):
    ids = _give(services, slack)
    dm = ids[1]
    fault(slack)
    send_outbox([dm], uow=services.uow, client=client, clock=services.clock)
    assert _status(db, dm) == status
    slack.clear_faults()
    if retry_in is not None:  # a definite refusal: retried after Retry-After or the backoff
        services.clock.advance(seconds=retry_in.total_seconds() - 1)
        assert send_outbox([dm], uow=services.uow, client=client, clock=services.clock) == {}
        services.clock.advance(seconds=1)
        assert send_outbox([dm], uow=services.uow, client=client, clock=services.clock) == {
            dm: OutboxStatus.SENT
        }
        assert len(_posts_of(slack, dm)) == 1
    else:  # the message may exist: never sent again, not even by the tick's reconciliation
        services.clock.advance(hours=2)
        tick(
            uow=services.uow,
            clock=services.clock,
            client_for=lambda _ws: client,
            outbox_client=client,
        )
        calls = [c for c in slack.calls_to("chat.postMessage") if c.channel == BO]
        assert len(calls) == 1 and _status(db, dm) == "unknown"


def test_of_two_reconcilers_that_saw_a_stale_message_at_once_only_one_takes_it(
    services, slack, client
):
    ids = _give(services, slack)
    _crash_sending(services, slack, ids, at=1, after_post=False)
    services.clock.advance(minutes=3)
    now = services.clock.now()
    with services.uow() as tx:
        [(message_id, seen)] = tx.outbox.stale(now - timedelta(minutes=2))
    taken = []
    for _reconciler in range(2):  # both read the row before either took it
        with services.uow() as tx:
            taken.append(tx.outbox.reclaim(message_id, seen, now))
            tx.commit()
    assert taken[0] is not None and taken[1] is None


def test_unsettled_counts_what_waits_is_due_again_or_is_being_sent(services, slack, db):
    """What the demo waits for before its next step: an outcome not yet recorded counts."""
    ids = _give(services, slack)
    now = services.clock.now()

    def unsettled() -> int:
        return unsettled_messages(services.clock.now(), uow=services.uow())

    assert unsettled() == 3
    claimed = claim_messages(ids, now, uow=services.uow())
    assert unsettled() == 3  # sending: sent perhaps, not yet recorded
    record_results(
        [
            Result(claimed[0].message, OutboxStatus.SENT, ts="1.1", claimed_at=now),
            Result(
                claimed[1].message,
                OutboxStatus.FAILED,
                error="x",
                retry_at=now + timedelta(minutes=2),
                claimed_at=now,
            ),
        ],
        uow=services.uow(),
        clock=services.clock,
    )
    assert unsettled() == 1  # the third, still sending; the failed one not due yet
    services.clock.advance(minutes=3)
    assert unsettled() == 2
