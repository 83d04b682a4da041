"""The outbox sender: posts what commands stored, once, and retries only what surely failed."""

from __future__ import annotations

import logging
import threading
import time
import urllib.error
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.domain.clock import Clock
from bot.domain.model import OutboxMessage, OutboxStatus, OutboxTopic
from bot.domain.outbox import (
    Claimed,
    Result,
    claim_message,
    due_messages,
    held,
    note_fallback,
    record_result,
    refused,
    remember_permalink,
)
from bot.domain.ports import UnitOfWorkFactory
from bot.slack.views.kudos import build_kudos_announcement, build_kudos_dm
from bot.slack.views.stories import build_story_card, build_story_dm
from jobs.delivery import Outcome, call_slack
from jobs.fanout import ChannelGate, Fanout
from jobs.outbox_clients import Clients, client_of
from jobs.recovery import reconcile_outbox
from jobs.traces import OUTBOX_EVENT, metadata

log = logging.getLogger(__name__)

# Where the bot cannot post in the channel the command came from (a private channel or a DM it
# is not in), the announcement goes through the command's response_url instead.
CANNOT_POST = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action"}
# Messages sent at once: the sender shares the machine with the web workers (SPEC 5 fanout).
SENDER_CONCURRENCY = 8


def send_outbox(
    ids: Iterable[int],
    *,
    uow: UnitOfWorkFactory,
    client: Clients,
    clock: Clock,
    concurrency: int = SENDER_CONCURRENCY,
) -> dict[int, OutboxStatus]:
    """Send each message that is still waiting, `concurrency` at once; returns what became of
    each one.

    Each message is claimed (one short transaction, its card read in it) by the worker that
    sends it, right before its own send, and its outcome recorded right after: a crash loses
    at most the messages in flight, which `jobs.recovery` reconciles.
    """
    with Fanout(concurrency) as pool:
        send = _Sender(uow=uow, client=client, clock=clock, gate=pool.gate)
        for message_id in ids:
            pool.submit(None, partial(send, message_id))
        return {message_id: status for message_id, status in pool.join() if status is not None}


def run_sender(
    *,
    uow: UnitOfWorkFactory,
    client: Clients,
    clock: Clock,
    stop: threading.Event,
    interval: float = 0.25,
    batch: int = 50,
    reconcile_every: float = 60.0,
    concurrency: int = SENDER_CONCURRENCY,
) -> None:
    """Send what commands queued, within a fraction of a second, until `stop` is set.

    Runs beside the web workers (`bravo serve` starts it; `bravo socket` and the demo run it
    in a thread), so a request thread only stores and acks; the clock's tick retries failures.
    `concurrency` workers send while this loop keeps finding what waits; on stop, what is in
    flight is finished. On start, and every `reconcile_every` seconds, it reconciles what a
    dead sender left.
    """
    reconciled_at = None
    inflight = _InFlight()
    with Fanout(concurrency, keep=False) as pool:
        send = _Sender(uow=uow, client=client, clock=clock, gate=pool.gate)
        while not stop.is_set():
            try:
                if reconciled_at is None or time.monotonic() - reconciled_at >= reconcile_every:
                    reconciled_at = time.monotonic()
                    reconcile_outbox(uow=uow, client=client, clock=clock)
                due = due_messages(clock.now(), uow=uow(), limit=batch + len(inflight))
                fresh = [message_id for message_id in due if inflight.add(message_id)]
                for message_id in fresh:
                    pool.submit(None, partial(inflight.run, message_id, send))
                if fresh:
                    continue
            except Exception:
                # A database hiccup must not stop the sender: the next round tries again.
                log.exception("outbox sender round failed")
            stop.wait(interval)
        pool.join()


class _InFlight:
    """The ids handed to the pool and not finished yet (so a round does not hand them twice)."""

    def __init__(self) -> None:
        self._ids: set[int] = set()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._ids)

    def add(self, message_id: int) -> bool:
        with self._lock:
            new = message_id not in self._ids
            self._ids.add(message_id)
            return new

    def run(self, message_id: int, send: _Sender) -> None:
        try:
            send(message_id)
        except Exception:
            log.exception("outbox %s: sending failed", message_id)
        finally:
            with self._lock:
                self._ids.discard(message_id)


@dataclass(frozen=True)
class _Sender:
    """Claims, sends and records one message (in a pool worker)."""

    uow: UnitOfWorkFactory
    client: Clients
    clock: Clock
    gate: ChannelGate

    def __call__(self, message_id: int) -> tuple[int, OutboxStatus | None]:
        uow, clock = self.uow, self.clock
        claimed = claim_message(message_id, clock.now(), uow=uow())
        if claimed is None:
            return message_id, None  # sent or taken by another sender meanwhile
        message = claimed.message
        channel = (message.workspace_id, message.channel_id)
        slack = client_of(self.client, message.workspace_id)
        if wait := self.gate.wait(channel):  # Slack said 429 here: not before it said
            result = held(message, clock.now() + timedelta(seconds=wait))
        else:
            result = _deliver(claimed, uow=uow, client=slack, clock=clock)
            if result.retry_at and not result.counted:
                self.gate.hold(channel, (result.retry_at - clock.now()).total_seconds())
        record_result(result, uow=uow(), clock=clock)
        if result.posted_story_card:
            _remember_permalink(result, uow=uow, client=slack)
        return message_id, result.status


def _deliver(
    claimed: Claimed, *, uow: UnitOfWorkFactory, client: WebClient, clock: Clock
) -> Result:
    """Post one claimed message; what became of it."""
    message = claimed.message
    text, blocks = _render(claimed)
    try:
        ts = _post(message, text, blocks, uow=uow, client=client)
    except Outcome as outcome:
        result = refused(
            message, outcome.status, outcome.error, clock.now(), retry_after=outcome.retry_after
        )
        log.warning("outbox %s %s: %s", message.id, result.status.value, outcome.error)
        return result
    return Result(message, OutboxStatus.SENT, ts=ts)


def _render(claimed: Claimed) -> tuple[str, list[dict]]:
    """The message's text and blocks, built from its card."""
    topic, card = claimed.message.topic, claimed.card
    if topic is OutboxTopic.STORY_CARD:
        return build_story_card(card)
    if topic is OutboxTopic.STORY_DM:
        return build_story_dm(card)
    if topic is OutboxTopic.KUDOS_ANNOUNCEMENT:
        return build_kudos_announcement(card)
    return build_kudos_dm(card)


def _remember_permalink(result: Result, *, uow: UnitOfWorkFactory, client: WebClient) -> None:
    """The card's permalink, for DMs and digests. Best effort: the card is posted either way."""
    message = result.message
    try:
        link = call_slack(
            client.chat_getPermalink, channel=message.channel_id, message_ts=result.ts
        )["permalink"]
    except Outcome as outcome:
        log.warning("story %s: no permalink (%s)", message.story_id, outcome.error)
        return
    remember_permalink(message.story_id, link, uow=uow())


def _post(
    message: OutboxMessage,
    text: str,
    blocks: list[dict],
    *,
    uow: UnitOfWorkFactory,
    client: WebClient,
) -> str | None:
    try:
        return call_slack(
            client.chat_postMessage,
            channel=message.channel_id,
            text=text,
            blocks=blocks,
            unfurl_links=False,
            metadata=metadata(OUTBOX_EVENT, message.id),
            **({"thread_ts": message.thread_ts} if message.thread_ts else {}),
        )["ts"]
    except Outcome as outcome:
        if outcome.error in CANNOT_POST and message.reply_url:
            note_fallback(message, outcome.error, uow=uow())
            _reply_in_channel(message.reply_url, text, blocks)
            return None
        raise


def _reply_in_channel(url: str, text: str, blocks: list[dict]) -> None:
    try:
        response = WebhookClient(url).send(
            text=text, blocks=blocks, response_type="in_channel", unfurl_links=False
        )
    except TimeoutError as exc:
        raise Outcome(OutboxStatus.UNKNOWN, f"response_url timeout: {exc}") from exc
    except urllib.error.URLError as exc:
        raise Outcome(OutboxStatus.FAILED, f"response_url: {exc.reason}") from exc
    if response.status_code >= 500:
        raise Outcome(OutboxStatus.UNKNOWN, f"response_url HTTP {response.status_code}")
    if response.status_code != 200:
        raise Outcome(OutboxStatus.FAILED, f"response_url HTTP {response.status_code}")
