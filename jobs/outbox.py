"""The outbox sender: posts what commands stored, once, and retries only what surely failed."""

from __future__ import annotations

import logging
import threading
import time
import urllib.error
from collections.abc import Iterable

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.domain.clock import Clock
from bot.domain.model import OutboxMessage, OutboxStatus, OutboxTopic
from bot.domain.outbox import (
    Claimed,
    Result,
    claim_message,
    due_messages,
    note_fallback,
    record_result,
    refused,
    remember_permalink,
)
from bot.domain.ports import UnitOfWorkFactory
from bot.slack.views.kudos import build_kudos_announcement, build_kudos_dm
from bot.slack.views.stories import build_story_card, build_story_dm
from jobs.delivery import Outcome, call_slack
from jobs.outbox_clients import Clients, client_of
from jobs.recovery import reconcile_outbox
from jobs.traces import OUTBOX_EVENT, metadata

log = logging.getLogger(__name__)

# Where the bot cannot post in the channel the command came from (a private channel or a DM it
# is not in), the announcement goes through the command's response_url instead.
CANNOT_POST = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action"}


def send_outbox(
    ids: Iterable[int], *, uow: UnitOfWorkFactory, client: Clients, clock: Clock
) -> dict[int, OutboxStatus]:
    """Send each message that is still waiting; returns what became of each one.

    Each message is claimed (one short transaction, its card read in it) right before its own
    send and its outcome recorded right after: a crash loses at most the one message in
    flight, which `jobs.recovery` reconciles.
    """
    statuses = {}
    for message_id in ids:
        claimed = claim_message(message_id, clock.now(), uow=uow())
        if claimed is None:
            continue  # sent or taken by another sender meanwhile
        slack = client_of(client, claimed.message.workspace_id)
        result = _deliver(claimed, uow=uow, client=slack, clock=clock)
        record_result(result, uow=uow(), clock=clock)
        if result.posted_story_card:
            _remember_permalink(result, uow=uow, client=slack)
        statuses[message_id] = result.status
    return statuses


def run_sender(
    *,
    uow: UnitOfWorkFactory,
    client: Clients,
    clock: Clock,
    stop: threading.Event,
    interval: float = 0.25,
    batch: int = 50,
    reconcile_every: float = 60.0,
) -> None:
    """Send what commands queued, within a fraction of a second, until `stop` is set.

    Runs beside the web workers (`bravo serve` starts it; `bravo socket` and the demo run it
    in a thread), so a request thread only stores and acks; the clock's tick retries failures.
    On start, and every `reconcile_every` seconds, it reconciles what a dead sender left.
    """
    reconciled_at = None
    while not stop.is_set():
        try:
            if reconciled_at is None or time.monotonic() - reconciled_at >= reconcile_every:
                reconciled_at = time.monotonic()
                reconcile_outbox(uow=uow, client=client, clock=clock)
            due = due_messages(clock.now(), uow=uow(), limit=batch)
            if due:
                send_outbox(due, uow=uow, client=client, clock=clock)
                continue
        except Exception:
            # A database hiccup must not stop the sender: the next round tries again.
            log.exception("outbox sender round failed")
        stop.wait(interval)


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
