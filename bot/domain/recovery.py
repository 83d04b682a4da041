"""Reconciling what a dead process left half done: outbox messages left `sending`, and scheduled
posts whose outcome is unknown. Nothing lost, nothing posted twice.

Slack-free. A job takes the stale items here (a compare-and-set on their claim time, so two
processes never both take one), looks for each in Slack's history by the message metadata
Bravo attaches to every post, and settles it here: found (sent, with its ts), absent (sent
again), or unknowable (the history could not be read: left unknown, never re-sent blindly).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.clock import Clock
from bot.domain.model import Claim, OutboxMessage, OutboxStatus, Workspace
from bot.domain.outbox import VIA_REPLY_URL, Result, record_result
from bot.domain.ports import UnitOfWork
from bot.domain.schedule import GRACE

log = logging.getLogger(__name__)

# A claim this old was left by a dead process: far above the Slack client's 10 s timeout, so a
# live sender has always recorded its outcome by then.
STALE_AFTER = timedelta(minutes=2)
# The error of an unknown post that Slack's history could not confirm either: left alone.
UNVERIFIABLE = "unverifiable"


@dataclass(frozen=True, slots=True)
class Trace:
    """What Slack's history shows of a message: its ts when found, the error when the history
    could not be read, neither when it is surely absent."""

    ts: str | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class StaleMessage:
    """An outbox message taken over from a dead sender; posted, if at all, after `since`."""

    message: OutboxMessage
    since: datetime
    via_reply_url: bool


@dataclass(frozen=True, slots=True)
class UnknownPost:
    """A scheduled post taken to be checked; posted, if at all, after `since`."""

    claim: Claim
    workspace: Workspace
    since: datetime


def stale_messages(now: datetime, *, uow: UnitOfWork, limit: int = 100) -> list[StaleMessage]:
    """Take over the messages left `sending` for longer than STALE_AFTER, in one transaction.

    `since` is when the message was stored: it bounds every attempt, including one made by an
    earlier reconciliation that died too (its claim time is overwritten by each take-over).
    """
    with uow:
        taken = []
        for message_id, seen in uow.outbox.stale(now - STALE_AFTER, limit):
            row = uow.outbox.reclaim(message_id, seen, now)
            if row is not None:
                message, created_at, note = row
                taken.append(StaleMessage(message, created_at, VIA_REPLY_URL in (note or "")))
        uow.commit()
    return taken


def settle_message(
    stale: StaleMessage, trace: Trace, *, uow: UnitOfWork, clock: Clock
) -> OutboxStatus:
    """Found: sent. Absent: queued to be sent again. Unknowable (or posted through the
    response_url, which leaves no trace to look for): unknown, never re-sent."""
    message = stale.message
    if trace.ts:
        result = Result(message, OutboxStatus.SENT, ts=trace.ts)
        if not record_result(result, uow=uow, clock=clock):
            return OutboxStatus.SENDING  # refused even without its ts: logged, left as it is
        return OutboxStatus.SENT
    if trace.error or stale.via_reply_url:
        error = trace.error or VIA_REPLY_URL
        if not trace.error:  # a history that could not be read was logged by the job
            log.warning("outbox %s left unknown: it went %s", message.id, VIA_REPLY_URL)
        result = Result(message, OutboxStatus.UNKNOWN, error=f"{UNVERIFIABLE}: {error}")
        if not record_result(result, uow=uow, clock=clock):
            return OutboxStatus.SENDING  # refused: logged, left as it is
        return OutboxStatus.UNKNOWN
    now = clock.now()
    with uow:
        uow.outbox.finish(
            message.id, OutboxStatus.PENDING, now, error="lost by a dead sender", retry_at=now
        )
        uow.commit()
    return OutboxStatus.PENDING


def unknown_posts(now: datetime, *, uow: UnitOfWork, limit: int = 100) -> list[UnknownPost]:
    """Take the scheduled posts left unknown for longer than STALE_AFTER (and within their
    grace window: never posted late) to check them; one clock takes each."""
    with uow:
        taken = []
        for post_id, seen in uow.posts.unknown(now - STALE_AFTER, now - GRACE, limit):
            row = uow.posts.reclaim_unknown(post_id, seen, now)
            if row is not None:
                claim, claimed_at = row
                workspace = uow.workspaces.get(claim.workspace_id)
                taken.append(UnknownPost(claim, workspace, claimed_at))
        uow.commit()
    return taken


def settle_post(unknown: UnknownPost, trace: Trace, *, uow: UnitOfWork, clock: Clock) -> bool:
    """Record a found post as sent, an unknowable one as unverifiable (left alone from now on).
    True when the post is surely absent: the caller posts it again, once."""
    claim = unknown.claim
    if trace.ts is None and trace.error is None:
        return True
    with uow:
        if trace.ts:
            uow.posts.settle(claim.post_id, "sent", clock.now(), ts=trace.ts)
        else:
            error = f"{UNVERIFIABLE}: {trace.error}"
            uow.posts.settle(claim.post_id, "unknown", clock.now(), error=error)
        uow.commit()
    return False
