"""The outbox's rules: claiming waiting messages, and what becomes of one Slack took or refused.

Slack-free. The sender claims a batch of messages here (one statement, then their cards in a
read), and records what became of many at once here: a definite refusal is retried with
backoff until MAX_ATTEMPTS, then dead; an unknown outcome is never sent again. A message left
`sending` (a dead sender, or one that died before its outcome was recorded) is reconciled in
`bot.domain.recovery`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.domain.clock import Clock
from bot.domain.errors import Unstorable
from bot.domain.model import OutboxMessage, OutboxStatus, OutboxTopic, ShoutoutCard, StoryCard
from bot.domain.ports import UnitOfWork

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Slack's rate limit (429): nothing was posted; tried again after Retry-After, never counted
# as an attempt (a busy channel must not kill a message).
RATELIMITED = "ratelimited"
# Noted on a message sent through the command's response_url, which cannot be looked up later.
VIA_REPLY_URL = "via response_url"


@dataclass(frozen=True, slots=True)
class Claimed:
    """A message this sender owns since `at`, with the card it shows as stored now."""

    message: OutboxMessage
    card: ShoutoutCard | StoryCard
    at: datetime


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
    # The claim it was sent under: recorded only while the row is still under that claim
    # (None: a reconciler's outcome, recorded whoever holds the row).
    claimed_at: datetime | None = None
    permalink: str | None = None  # a posted story card's, for its DMs and digests

    @property
    def posted_story_card(self) -> bool:
        """A story card went up: its permalink is worth remembering."""
        message = self.message
        return bool(self.ts and message.story_id) and message.topic is OutboxTopic.STORY_CARD


def due_messages(now: datetime, *, uow: UnitOfWork, limit: int = 100) -> list[int]:
    """Ids of messages waiting to be sent or retried, oldest first."""
    with uow:
        return uow.outbox.due(now, limit)


def unsettled_messages(now: datetime, *, uow: UnitOfWork) -> int:
    """How many messages wait, are due again, or are being sent (outcome not yet recorded)."""
    with uow:
        return uow.outbox.unsettled(now)


def claim_messages(message_ids: Sequence[int], now: datetime, *, uow: UnitOfWork) -> list[Claimed]:
    """Take the messages of `message_ids` still waiting, with their cards. Two transactions:
    the claim, a single UPDATE (on SQLite the write lock is held for that alone), then the
    cards in a read: the shout-outs' in four statements for the batch, each story's once. A
    message sent or taken by another sender meanwhile is left out."""
    with uow:
        messages = uow.outbox.claim_many(message_ids, now)
        uow.commit()
    return _with_cards(messages, now, uow=uow)


def claim_due_messages(now: datetime, limit: int, *, uow: UnitOfWork) -> list[Claimed]:
    """Take up to `limit` messages that are due (`due_messages`' oldest first), with their
    cards: the claim is one UPDATE, as in `claim_messages`, with no read before it."""
    with uow:
        messages = uow.outbox.claim_due(now, limit)
        uow.commit()
    return _with_cards(messages, now, uow=uow)


def _with_cards(messages: list[OutboxMessage], now: datetime, *, uow: UnitOfWork) -> list[Claimed]:
    if not messages:
        return []
    stories: dict[int | None, StoryCard] = {}
    with uow:
        shoutouts = uow.outbox.cards([m.shoutout_id for m in messages if not _about_story(m)])
        for message in messages:
            if _about_story(message) and message.story_id not in stories:
                stories[message.story_id] = uow.stories.card(message.story_id)
    claimed = []
    for m in messages:
        card = stories[m.story_id] if _about_story(m) else shoutouts.get(m.shoutout_id)
        if card is None:  # taken back since the claim (deleted with its messages): nothing to send
            continue
        claimed.append(Claimed(m, card, now))
    return claimed


def _about_story(message: OutboxMessage) -> bool:
    return message.topic in (OutboxTopic.STORY_CARD, OutboxTopic.STORY_DM)


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


def record_result(result: Result, *, uow: UnitOfWork, clock: Clock) -> bool:
    """Record one message's outcome, and where a posted card now lives; False when the
    database refused it even without Slack's answer (see `record_results`)."""
    return not record_results([result], uow=uow, clock=clock)


def record_results(results: Sequence[Result], *, uow: UnitOfWork, clock: Clock) -> list[Result]:
    """Record what became of many messages in one transaction: each outcome, where each
    posted announcement or story card lives, and a story card's permalink. An outcome sent
    under a claim that a reconciler has since taken over is not recorded (it settles it).

    When the database refuses the transaction (a value Slack answered that a column cannot
    hold), each outcome is recorded on its own, and one refused again is recorded without
    Slack's answer (its ts and permalink), which leaves its status right: the others are not
    held up behind it. Returns what could not be recorded even so (logged; left `sending`
    for the reconciler). Any other error (the database down or busy) is raised: the caller
    tries again, and an outcome written twice changes nothing the second time.
    """
    try:
        _record(results, uow=uow, clock=clock)
        return []
    except Unstorable:
        if len(results) > 1:
            log.warning("outbox: %d outcomes refused together; recording each", len(results))
    lost = []
    for result in results:
        try:
            _record([result], uow=uow, clock=clock)
            continue
        except Unstorable as error:
            reduced = without_answer(result, str(error))
        log.warning(
            "outbox %s: outcome refused (%s); recorded without Slack's answer",
            result.message.id,
            reduced.error,
        )
        try:
            _record([reduced], uow=uow, clock=clock)
        except Unstorable:
            log.error("outbox %s: outcome cannot be recorded; left `sending`", result.message.id)
            lost.append(result)
    return lost


def without_answer(result: Result, why: str) -> Result:
    """The outcome with none of Slack's answer kept (what the database refused), saying why.
    Its own error is replaced, not kept beside the note: it may be the value refused."""
    return replace(result, ts=None, permalink=None, error=f"answer not stored: {why}")


def _record(results: Sequence[Result], *, uow: UnitOfWork, clock: Clock) -> None:
    finished = [
        (r.message.id, r.status, r.ts, r.error, r.retry_at, r.counted, r.claimed_at)
        for r in results
    ]
    announced = [
        (r.message.shoutout_id, r.message.channel_id, r.ts)
        for r in results
        if r.ts and r.message.topic is OutboxTopic.KUDOS_ANNOUNCEMENT and r.message.shoutout_id
    ]
    with uow:
        uow.outbox.finish_many(finished, clock.now())
        uow.outbox.announced(announced)
        for result in results:
            message, ts = result.message, result.ts
            if ts and message.topic is OutboxTopic.STORY_CARD and message.story_id:
                uow.stories.set_message(message.story_id, message.channel_id, ts)
                if result.permalink:
                    uow.stories.set_permalink(message.story_id, result.permalink)
        uow.commit()
