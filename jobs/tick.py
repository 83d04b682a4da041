"""The clock's one job: find due targets by query, claim them in the ledger, post, retry.

Run every minute by `bravo scheduler` (and in-process by `bravo socket`); `bravo tick --at`
runs it once as if the clock read that instant. Any number of clocks may run: the ledger's
unique key means each post is claimed by exactly one of them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.clock import Clock
from bot.domain.model import Claim
from bot.domain.ports import UnitOfWorkFactory
from bot.domain.schedule import (
    GRACE,
    PostKind,
    is_missed,
    local_date,
    next_run,
    period_of,
    schedule_of,
)
from jobs.members import sync_members
from jobs.outbox import send_outbox
from jobs.posts import ClientFor, Published, publish

log = logging.getLogger(__name__)

BATCH = 1000


@dataclass
class TickReport:
    claimed: int = 0
    skipped: int = 0
    published: list[Published] = field(default_factory=list)
    outbox: int = 0
    members: int = 0  # workspaces whose member directory was synced


def tick(
    *,
    uow: UnitOfWorkFactory,
    clock: Clock,
    client_for: ClientFor,
    managers: tuple[str, ...] = (),
    outbox_client=None,
) -> TickReport:
    """One pass: claim what is due (in batches), retry definite failures, sync member
    directories every six hours, retry the outbox."""
    report = TickReport()
    now = clock.now()
    while True:
        claims, skipped, more = claim_due(uow, now)
        report.claimed += len(claims)
        report.skipped += skipped
        report.published += publish(
            claims, uow=uow, clock=clock, client_for=client_for, managers=managers
        )
        if not more:
            break
    with uow() as tx:
        retries = tx.posts.reclaim_failed(now - GRACE, now)
        tx.commit()
    report.published += publish(
        retries, uow=uow, clock=clock, client_for=client_for, managers=managers
    )
    report.members = sync_members(uow=uow, clock=clock, client_for=client_for)
    if outbox_client is not None:
        with uow() as tx:
            due = tx.outbox.due(now)
        report.outbox = len(send_outbox(due, uow=uow, client=outbox_client, clock=clock))
    return report


def claim_due(uow: UnitOfWorkFactory, now: datetime) -> tuple[list[Claim], int, bool]:
    """Claim a batch of due targets and move each to its next run; (claims, skipped, more)."""
    with uow() as tx:
        due = tx.targets.due(now, BATCH)
        wanted, next_runs, skipped = [], [], 0
        for item in due:
            target, tz = item.target, item.timezone
            occurrence = target.next_run_at
            period = period_of(target.kind, local_date(occurrence, tz))
            schedule = schedule_of(target.local_time, target.days, tz)
            next_runs.append((target.id, next_run(now, schedule, kind=target.kind)))
            if is_missed(occurrence, now):
                tx.posts.record_skip(
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
        claims = tx.posts.claim_many(wanted, now)
        tx.targets.set_next_runs(next_runs)
        tx.commit()
    return claims, skipped, len(due) == BATCH


def run_job(
    kind: PostKind,
    *,
    uow: UnitOfWorkFactory,
    clock: Clock,
    client_for: ClientFor,
    team_id: str | None = None,
    managers: tuple[str, ...] = (),
) -> list[Published]:
    """Post `kind` now for the team's target (or every team's), whatever its days and times.

    The ledger is still claimed, so a second run for the same period posts nothing.
    """
    now = clock.now()
    with uow() as tx:
        targets = tx.targets.of_kind(kind, team_id)
        wanted = [
            (t.workspace_id, t.channel_id, kind, period_of(kind, local_date(now, tz)))
            for t, tz in targets
        ]
        claims = tx.posts.claim_many(wanted, now)
        tx.commit()
    return publish(claims, uow=uow, clock=clock, client_for=client_for, managers=managers)
