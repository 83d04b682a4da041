"""The outbox's rules: claiming waiting messages, and what becomes of one Slack took or refused.

Slack-free. The sender claims one message here (with the card it shows) right before sending
it, and records its outcome here right after: a definite refusal is retried with backoff until
MAX_ATTEMPTS, then dead; an unknown outcome is never sent again. A message a dead sender left
`sending` is reconciled in `bot.domain.recovery`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.clock import Clock
from bot.domain.model import OutboxMessage, OutboxStatus, OutboxTopic, ShoutoutCard, StoryCard
from bot.domain.ports import UnitOfWork

MAX_ATTEMPTS = 5
# Slack's rate limit (429): nothing was posted; tried again after Retry-After, never counted
# as an attempt (a busy channel must not kill a message).
RATELIMITED = "ratelimited"
# Noted on a message sent through the command's response_url, which cannot be looked up later.
VIA_REPLY_URL = "via response_url"


@dataclass(frozen=True, slots=True)
class Claimed:
    """A message this sender owns, with the card it shows as stored now."""

    message: OutboxMessage
    card: ShoutoutCard | StoryCard


@dataclass(frozen=True, slots=True)
class Result:
    """What became of one message; `retry_at` is when a failed one is tried again; not
    `counted` when it was never really tried (rate limited, or its channel held)."""

    message: OutboxMessage
    status: OutboxStatus
    ts: str | None = None
    error: str | None = None
    retry_at: datetime | None = None
    counted: bool = True

    @property
    def posted_story_card(self) -> bool:
        """A story card went up: its permalink is worth remembering."""
        message = self.message
        return bool(self.ts and message.story_id) and message.topic is OutboxTopic.STORY_CARD


def due_messages(now: datetime, *, uow: UnitOfWork, limit: int = 100) -> list[int]:
    """Ids of messages waiting to be sent or retried, oldest first."""
    with uow:
        return uow.outbox.due(now, limit)


def claim_message(message_id: int, now: datetime, *, uow: UnitOfWork) -> Claimed | None:
    """Take one waiting message, with its card, right before sending it; None when it is not
    waiting any more (sent, or taken by another sender)."""
    with uow:
        message = uow.outbox.claim(message_id, now)
        if message is None:
            return None
        if message.topic in (OutboxTopic.STORY_CARD, OutboxTopic.STORY_DM):
            card: ShoutoutCard | StoryCard = uow.stories.card(message.story_id)
        else:
            card = uow.recognitions.card(message.shoutout_id)
        uow.commit()
    return Claimed(message, card)


def note_fallback(message: OutboxMessage, error: str, *, uow: UnitOfWork) -> None:
    """Remember, before using it, that the message goes through the command's response_url:
    such a post leaves no trace in the channel's history to reconcile it by."""
    with uow:
        uow.outbox.note(message.id, f"{error}; {VIA_REPLY_URL}")
        uow.commit()


def refused(
    message: OutboxMessage,
    status: OutboxStatus,
    error: str,
    now: datetime,
    *,
    retry_after: float | None = None,
) -> Result:
    """A message that was not sent: dead after MAX_ATTEMPTS definite failures, else retried
    after an exponential backoff; rate limited, retried after `retry_after` seconds and not
    counted as an attempt."""
    if status is OutboxStatus.FAILED and retry_after is not None:
        return held(message, now + timedelta(seconds=retry_after), error)
    retry_at = None
    if status is OutboxStatus.FAILED:
        backoff = timedelta(minutes=2 ** (message.attempts - 1))
        retry_at = now + (backoff if retry_after is None else timedelta(seconds=retry_after))
        if message.attempts >= MAX_ATTEMPTS:
            status = OutboxStatus.DEAD
    return Result(message, status, error=error, retry_at=retry_at)


def held(message: OutboxMessage, until: datetime, error: str = RATELIMITED) -> Result:
    """A claimed message put back unsent until its channel may be posted to again."""
    return Result(message, OutboxStatus.FAILED, error=error, retry_at=until, counted=False)


def record_result(result: Result, *, uow: UnitOfWork, clock: Clock) -> None:
    """Record one message's outcome right after its send, and where a posted card now lives."""
    message, ts = result.message, result.ts
    with uow:
        uow.outbox.finish(
            message.id,
            result.status,
            clock.now(),
            ts=ts,
            error=result.error,
            retry_at=result.retry_at,
            counted=result.counted,
        )
        if ts and message.topic is OutboxTopic.KUDOS_ANNOUNCEMENT and message.shoutout_id:
            uow.recognitions.set_message(message.shoutout_id, message.channel_id, ts)
        if ts and message.topic is OutboxTopic.STORY_CARD and message.story_id:
            uow.stories.set_message(message.story_id, message.channel_id, ts)
        uow.commit()


def remember_permalink(story_id: int, permalink: str, *, uow: UnitOfWork) -> None:
    """The story card's permalink, for DMs and digests."""
    with uow:
        uow.stories.set_permalink(story_id, permalink)
        uow.commit()
