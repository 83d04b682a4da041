"""The outbox sender: posts what commands stored, once, and retries only what surely failed."""

from __future__ import annotations

import logging
import threading
import urllib.error
from collections.abc import Iterable
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.domain.clock import Clock
from bot.domain.model import OutboxMessage, OutboxStatus, OutboxTopic
from bot.domain.ports import UnitOfWorkFactory
from bot.slack.views.kudos import build_kudos_announcement, build_kudos_dm
from bot.slack.views.stories import build_story_card, build_story_dm
from jobs.delivery import Outcome, call_slack

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Where the bot cannot post in the channel the command came from (a private channel or a DM it
# is not in), the announcement goes through the command's response_url instead.
CANNOT_POST = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action"}


def send_outbox(
    ids: Iterable[int], *, uow: UnitOfWorkFactory, client: WebClient, clock: Clock
) -> dict[int, OutboxStatus]:
    """Send each message that is still waiting; returns what became of each one.

    One transaction claims the whole batch and renders it, one records every outcome: the
    database work per message stays small next to the Slack call itself.
    """
    now = clock.now()
    with uow() as tx:
        messages = tx.outbox.claim_many(list(ids), now)
        cards: dict[tuple[str, int], object] = {}
        rendered = [(message, _render(tx, message, cards)) for message in messages]
        tx.commit()
    outcomes = []
    for message, (text, blocks) in rendered:
        try:
            ts = _post(message, text, blocks, client)
            outcomes.append((message, OutboxStatus.SENT, ts, None, None))
        except Outcome as outcome:
            status = outcome.status
            if status is OutboxStatus.FAILED and message.attempts >= MAX_ATTEMPTS:
                status = OutboxStatus.DEAD
            log.warning("outbox %s %s: %s", message.id, status.value, outcome.error)
            outcomes.append(
                (message, status, None, outcome.error, _retry_at(message, outcome, now))
            )
    with uow() as tx:
        for message, status, ts, error, retry_at in outcomes:
            tx.outbox.finish(message.id, status, clock.now(), ts=ts, error=error, retry_at=retry_at)
            if ts and message.topic is OutboxTopic.KUDOS_ANNOUNCEMENT and message.shoutout_id:
                tx.recognitions.set_message(message.shoutout_id, message.channel_id, ts)
            if ts and message.topic is OutboxTopic.STORY_CARD and message.story_id:
                tx.stories.set_message(message.story_id, message.channel_id, ts)
        tx.commit()
    for message, _status, ts, _error, _retry in outcomes:
        if ts and message.topic is OutboxTopic.STORY_CARD and message.story_id:
            _remember_permalink(message.story_id, message.channel_id, ts, uow=uow, client=client)
    return {message.id: status for message, status, *_ in outcomes}


def run_sender(
    *,
    uow: UnitOfWorkFactory,
    client: WebClient,
    clock: Clock,
    stop: threading.Event,
    interval: float = 0.25,
    batch: int = 50,
) -> None:
    """Send what commands queued, within a fraction of a second, until `stop` is set.

    Runs beside the web workers (`bravo serve` starts it; `bravo socket` and the demo run it
    in a thread), so a request thread only stores and acks; the clock's tick retries failures.
    """
    while not stop.is_set():
        try:
            with uow() as tx:
                due = tx.outbox.due(clock.now(), batch)
            if due:
                send_outbox(due, uow=uow, client=client, clock=clock)
                continue
        except Exception:
            # A database hiccup must not stop the sender: the next round tries again.
            log.exception("outbox sender round failed")
        stop.wait(interval)


def _retry_at(message: OutboxMessage, outcome: Outcome, now: datetime) -> datetime | None:
    if outcome.status is not OutboxStatus.FAILED:
        return None
    if outcome.retry_after is not None:
        return now + timedelta(seconds=outcome.retry_after)
    return now + timedelta(minutes=2 ** (message.attempts - 1))


def _render(tx, message: OutboxMessage, cards: dict) -> tuple[str, list[dict]]:
    """The message's text and blocks, built from what is stored now (each card read once)."""
    if message.topic in (OutboxTopic.STORY_CARD, OutboxTopic.STORY_DM):
        key = ("story", message.story_id)
        if key not in cards:
            cards[key] = tx.stories.card(message.story_id)
        build = build_story_card if message.topic is OutboxTopic.STORY_CARD else build_story_dm
        return build(cards[key])
    key = ("shoutout", message.shoutout_id)
    if key not in cards:
        cards[key] = tx.recognitions.card(message.shoutout_id)
    if message.topic is OutboxTopic.KUDOS_ANNOUNCEMENT:
        return build_kudos_announcement(cards[key])
    return build_kudos_dm(cards[key])


def _remember_permalink(
    story_id: int, channel: str, ts: str, *, uow: UnitOfWorkFactory, client: WebClient
) -> None:
    """The card's permalink, for DMs and digests. Best effort: the card is posted either way."""
    try:
        link = call_slack(client.chat_getPermalink, channel=channel, message_ts=ts)["permalink"]
    except Outcome as outcome:
        log.warning("story %s: no permalink (%s)", story_id, outcome.error)
        return
    with uow() as tx:
        tx.stories.set_permalink(story_id, link)
        tx.commit()


def _post(message: OutboxMessage, text: str, blocks: list[dict], client: WebClient) -> str | None:
    try:
        return call_slack(
            client.chat_postMessage,
            channel=message.channel_id,
            text=text,
            blocks=blocks,
            unfurl_links=False,
        )["ts"]
    except Outcome as outcome:
        if outcome.error in CANNOT_POST and message.reply_url:
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
