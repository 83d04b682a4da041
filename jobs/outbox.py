"""The outbox sender: posts what commands stored, once, and retries only what surely failed."""

from __future__ import annotations

import logging
import threading
import time
import urllib.error
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from functools import partial

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.domain.clock import Clock
from bot.domain.model import OutboxMessage, OutboxStatus, OutboxTopic
from bot.domain.outbox import (
    Claimed,
    Result,
    claim_due_messages,
    claim_messages,
    held,
    note_fallback,
    record_results,
    refused,
)
from bot.domain.ports import UnitOfWorkFactory
from bot.slack.views.kudos import build_kudos_announcement, build_kudos_dm
from bot.slack.views.stories import build_story_card, build_story_dm
from jobs.delivery import Outcome, call_slack
from jobs.fanout import ChannelGate, Fanout, Refusals
from jobs.outbox_clients import Clients, client_of
from jobs.outbox_recorder import Recorder
from jobs.recovery import reconcile_outbox
from jobs.traces import OUTBOX_EVENT, metadata

log = logging.getLogger(__name__)

# Where the bot cannot post in the channel the command came from (a private channel or a DM it
# is not in), the announcement goes through the command's response_url instead.
CANNOT_POST = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action"}
# Messages sent at once: the sender shares the machine with the web workers (SPEC 5 fanout).
SENDER_CONCURRENCY = 8
# Claimed messages not yet sent, per worker, at most: a batch is claimed (one UPDATE) once no
# more than one per worker are left, so each claim takes about three workers' worth. Fewer,
# larger claims: each is a write the web workers' /kudos wait behind on SQLite.
CLAIM_AHEAD = 4


def send_outbox(
    ids: Iterable[int],
    *,
    uow: UnitOfWorkFactory,
    client: Clients,
    clock: Clock,
    concurrency: int = SENDER_CONCURRENCY,
) -> dict[int, OutboxStatus]:
    """Send each message of `ids` that is still waiting, `concurrency` at once; returns what
    became of each one (recorded when it returns).

    Messages are claimed a batch at a time (one statement) as the workers need them, and their
    outcomes recorded a batch at a time (one transaction): a crash leaves at most those claimed
    or sent but not yet recorded `sending`, which `jobs.recovery` reconciles.
    """
    waiting = list(ids)
    with _Sending(uow=uow, client=client, clock=clock, concurrency=concurrency) as sending:
        while waiting and not sending.broken:
            room = sending.room()
            batch, waiting = waiting[:room], waiting[room:]
            sending.claim_and_send(batch)
        return {message_id: status for message_id, status in sending.join() if status}


def run_sender(
    *,
    uow: UnitOfWorkFactory,
    client: Clients,
    clock: Clock,
    stop: threading.Event,
    interval: float = 0.25,
    reconcile_every: float = 60.0,
    concurrency: int = SENDER_CONCURRENCY,
) -> None:
    """Send what commands queued, within a fraction of a second, until `stop` is set.

    Runs beside the web workers (`bravo serve` starts it; `bravo socket` and the demo run it
    in a thread), so a request thread only stores and acks; the clock's tick retries failures.
    `concurrency` workers send while this loop claims what waits a batch at a time; on stop,
    what is claimed is sent and every outcome recorded. On start, and every `reconcile_every`
    seconds, it reconciles what a dead sender left.
    """
    reconciled_at = None
    sending = _Sending(uow=uow, client=client, clock=clock, concurrency=concurrency, keep=False)
    with sending:
        while not stop.is_set() and not sending.broken:
            try:
                if reconciled_at is None or time.monotonic() - reconciled_at >= reconcile_every:
                    reconciled_at = time.monotonic()
                    reconcile_outbox(uow=uow, client=client, clock=clock)
                room = sending.room(stop)
                if stop.is_set():
                    break
                if sending.claim_due_and_send(room) == room:
                    continue  # more may wait
            except Exception:
                # A database hiccup must not stop the sender: the next round tries again.
                log.exception("outbox sender round failed")
            stop.wait(interval)
        sending.join()


class _Sending:
    """The workers, the claims that feed them and the recorder their outcomes go to.

    `keep=True` (`send_outbox`): each outcome is returned by `join`, and a worker that raises
    stops the pool (its error is raised by `join`). `keep=False` (the long-running sender): an
    error is logged and the message left `sending` for recovery. An error that is no Exception
    (the process dying) stops the claims and records nothing more.
    """

    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        client: Clients,
        clock: Clock,
        concurrency: int,
        keep: bool = True,
    ) -> None:
        self.uow, self.clock, self.keep = uow, clock, keep
        self.most = max(1, concurrency) * CLAIM_AHEAD
        self.low = max(1, concurrency)
        self.pool = Fanout(concurrency, keep=keep)
        self.recorder = Recorder(partial(_record, uow=uow, clock=clock))
        self.send = _Sender(client=client, clock=clock, gate=self.pool.gate, uow=uow)
        self.broken: BaseException | None = None
        self._outstanding = 0  # claimed, not yet handled by a worker
        self._cond = threading.Condition()

    def __enter__(self) -> _Sending:
        return self

    def __exit__(self, _type: object, error: BaseException | None, _tb: object) -> None:
        try:
            self.pool.close()  # what is claimed and running is finished
        finally:
            dying = self.broken if error is None else error
            if dying is not None and not isinstance(dying, Exception):
                self.recorder.abandon()
            else:
                self.recorder.close()

    def room(self, stop: threading.Event | None = None) -> int:
        """How many to claim next: waits until no more than one per worker is left."""
        with self._cond:
            while self._outstanding > self.low and not self.broken:
                if stop is not None and stop.is_set():
                    break
                self._cond.wait(0.5)
            return self.most - self._outstanding

    def claim_and_send(self, ids: list[int]) -> int:
        """Claim what of `ids` still waits (one statement) and hand it to the workers."""
        if self.broken:  # a worker died meanwhile: claim nothing more
            return 0
        return self._hand_out(claim_messages(ids, self.clock.now(), uow=self.uow()))

    def claim_due_and_send(self, most: int) -> int:
        """Claim up to `most` messages that are due (one statement); hand them to the workers."""
        if self.broken:
            return 0
        return self._hand_out(claim_due_messages(self.clock.now(), most, uow=self.uow()))

    def _hand_out(self, claimed: list[Claimed]) -> int:
        with self._cond:
            self._outstanding += len(claimed)
        for each in claimed:
            self.pool.submit(None, partial(self._run, each))
        return len(claimed)

    def join(self) -> list[tuple[int, OutboxStatus | None]]:
        return self.pool.join()

    def _run(self, claimed: Claimed) -> tuple[int, OutboxStatus | None]:
        try:
            result = self.send(claimed)
        except Exception as error:
            if self.keep:
                self.broken = error
                raise
            log.exception("outbox %s: sending failed", claimed.message.id)
            return claimed.message.id, None
        except BaseException as error:
            self.broken = error
            raise
        finally:
            with self._cond:
                self._outstanding -= 1
                self._cond.notify_all()
        self.recorder.add(result)
        return claimed.message.id, result.status


def _record(results: Sequence[Result], *, uow: UnitOfWorkFactory, clock: Clock) -> None:
    record_results(results, uow=uow(), clock=clock)


@dataclass(frozen=True)
class _Sender:
    """Sends one claimed message (in a pool worker): what became of it, to record."""

    uow: UnitOfWorkFactory
    client: Clients
    clock: Clock
    gate: ChannelGate
    refusals: Refusals = field(default_factory=Refusals)

    def __call__(self, claimed: Claimed) -> Result:
        clock, message = self.clock, claimed.message
        channel = (message.workspace_id, message.channel_id)
        workspace = (message.workspace_id, None)
        slack = client_of(self.client, message.workspace_id)
        # Slack said 429 to this channel, or to the workspace: not before it said.
        if wait := max(self.gate.wait(channel), self.gate.wait(workspace)):
            result = held(message, clock.now() + timedelta(seconds=wait))
        else:
            result = _deliver(claimed, uow=self.uow, client=slack, clock=clock)
            if result.retry_at and not result.counted:
                seconds = (result.retry_at - clock.now()).total_seconds()
                self.gate.hold(channel, seconds)
                # Refused in a second channel too: the workspace's limit. All of its channels
                # wait, rather than each being tried and refused in turn.
                if self.refusals.workspace_limited(message.workspace_id, message.channel_id):
                    self.gate.hold(workspace, seconds)
            if result.posted_story_card:  # recorded with the card: its DMs can link to it
                result = replace(result, permalink=_permalink(result, client=slack))
        return replace(result, claimed_at=claimed.at)


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


def _permalink(result: Result, *, client: WebClient) -> str | None:
    """The card's permalink, for DMs and digests. Best effort: the card is posted either way."""
    message = result.message
    try:
        return call_slack(
            client.chat_getPermalink, channel=message.channel_id, message_ts=result.ts
        )["permalink"]
    except Outcome as outcome:
        log.warning("story %s: no permalink (%s)", message.story_id, outcome.error)
        return None


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
