"""Scheduled posts in the ledger: claiming what is due, preparing it, and recording how it went.

Slack-free. The tick claims here, renders and sends, then records the outcome here; the rules of
what a failure means (pause the target, deactivate the workspace, retry) live in this module.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.domain.clock import Clock
from bot.domain.model import Claim, OutboxStatus, Target, Workspace
from bot.domain.ports import UnitOfWork, WantedPost
from bot.domain.posts import Post, prepare
from bot.domain.schedule import (
    GRACE,
    PostKind,
    is_missed,
    local_date,
    next_run,
    period_of,
    schedule_of,
)

log = logging.getLogger(__name__)

BATCH = 1000
# The channel is gone or closed to Bravo: pause what posts there, tell an admin.
CHANNEL_BROKEN = frozenset({"channel_not_found", "is_archived", "not_in_channel"})
# The token no longer works: the workspace is deactivated until it is reinstalled.
WORKSPACE_GONE = frozenset(
    {
        "invalid_auth",
        "token_revoked",
        "account_inactive",
        "not_authed",
        "team_not_found",
        "team_access_not_granted",
    }
)


@dataclass(frozen=True, slots=True)
class DueClaims:
    claims: list[Claim]
    skipped: int  # runs missed past the grace window, recorded as skipped
    more: bool  # the batch was full: claim again


@dataclass(frozen=True, slots=True)
class Delivery:
    """A claimed post with what it says; `post` is None when there is nothing to post."""

    claim: Claim
    workspace: Workspace
    post: Post | None


def claim_due(now: datetime, *, uow: UnitOfWork, limit: int = BATCH) -> DueClaims:
    """Claim a batch of due targets and move each to its next run; a missed run is skipped."""
    with uow:
        due = uow.targets.due(now, limit)
        wanted: list[WantedPost] = []
        next_runs: list[tuple[int, datetime | None]] = []
        skipped = 0
        seen: dict[tuple, tuple[str, datetime]] = {}
        for item in due:
            target = item.target
            occurrence = target.next_run_at
            period, following = _period_and_next_run(target, item.timezone, now, seen)
            next_runs.append((target.id, following))
            if is_missed(occurrence, now):
                uow.posts.record_skip(
                    target.workspace_id, target.channel_id, target.kind, period, now
                )
                skipped += 1
                log.info(
                    "skipped %s for %s: missed by %s",
                    target.kind,
                    target.channel_id,
                    now - occurrence,
                )
            else:
                wanted.append((target.workspace_id, target.channel_id, target.kind, period))
        claims = uow.posts.claim_many(wanted, now)
        uow.targets.set_next_runs(next_runs)
        uow.commit()
    return DueClaims(claims, skipped, len(due) == limit)


def _period_and_next_run(
    target: Target, timezone: str, now: datetime, seen: dict[tuple, tuple[str, datetime]]
) -> tuple[str, datetime]:
    """The period of the target's due run and its first run after `now`. A burst is thousands
    of targets on a few schedules, so each schedule is computed once (`seen`, per batch)."""
    key = (target.kind, target.local_time, target.days, timezone, target.next_run_at)
    found = seen.get(key)
    if found is None:
        period = period_of(target.kind, local_date(target.next_run_at, timezone))
        schedule = schedule_of(target.local_time, target.days, timezone)
        found = seen[key] = (period, next_run(now, schedule, kind=target.kind))
    return found


def reclaim_failed(now: datetime, *, uow: UnitOfWork) -> list[Claim]:
    """Claim again the posts that surely failed within the grace window, to retry them."""
    with uow:
        claims = uow.posts.reclaim_failed(now - GRACE, now)
        uow.commit()
    return claims


def claim_now(
    kind: PostKind, *, uow: UnitOfWork, clock: Clock, team_id: str | None = None
) -> list[Claim]:
    """Claim `kind` for this period for the team's target (or every team's), whatever its
    days and times; a period already claimed is not claimed again."""
    now = clock.now()
    with uow:
        wanted = [
            (t.workspace_id, t.channel_id, kind, period_of(kind, local_date(now, tz)))
            for t, tz in uow.targets.of_kind(kind, team_id)
        ]
        claims = uow.posts.claim_many(wanted, now)
        uow.commit()
    return claims


def prepare_delivery(
    claim: Claim, *, uow: UnitOfWork, clock: Clock, workspace: Workspace | None = None
) -> Delivery:
    """What the claimed post says as of now; `workspace` when the caller has it already."""
    with uow:
        if workspace is None:
            workspace = uow.workspaces.get(claim.workspace_id)
        post = prepare(uow, claim.kind, workspace, claim.channel_id, clock.now())
    return Delivery(claim, workspace, post)


def read_workspaces(ids: Iterable[int], *, uow: UnitOfWork) -> dict[int, Workspace]:
    """The workspaces of claimed posts, by id, read in one transaction."""
    with uow:
        return {i: uow.workspaces.get(i) for i in ids}


def failure_status(status: OutboxStatus, error: str) -> str:
    """How a refused or unanswered post is recorded: broken (never retried), unknown (never
    re-posted), or failed (retried by the next tick)."""
    if error in CHANNEL_BROKEN or error in WORKSPACE_GONE:
        return "broken"
    return "unknown" if status is OutboxStatus.UNKNOWN else "failed"


def record_delivery(
    delivery: Delivery,
    status: str,
    *,
    uow: UnitOfWork,
    clock: Clock,
    ts: str | None = None,
    error: str | None = None,
) -> bool:
    """Record the post's outcome; a broken channel pauses its target, a dead token deactivates
    the workspace. True when an admin should be told that the target is paused."""
    claim, post = delivery.claim, delivery.post
    with uow:
        uow.posts.finish(
            claim.post_id,
            status,
            clock.now(),
            ts=ts,
            error=error,
            subject=getattr(getattr(post, "principle", None), "slug", None),
            featured=post.featured if post else (),
        )
        if status == "broken":
            if (error or "") in WORKSPACE_GONE:
                uow.workspaces.set_active(delivery.workspace.id, False, clock.now())
            else:
                uow.targets.pause(delivery.workspace.id, claim.channel_id, claim.kind, error or "")
        uow.commit()
    return status == "broken" and error in CHANNEL_BROKEN
