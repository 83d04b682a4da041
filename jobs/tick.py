"""The clock's one job: find due targets by query, claim them in the ledger, post, retry.

Run every minute by `bravo scheduler` (and in-process by `bravo socket`); `bravo tick --at`
runs it once as if the clock read that instant. Any number of clocks may run: the ledger's
unique key means each post is claimed by exactly one of them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.clock import Clock
from bot.domain.ledger import claim_due, claim_now, reclaim_failed
from bot.domain.model import Claim
from bot.domain.outbox import due_messages
from bot.domain.ports import UnitOfWorkFactory
from bot.domain.retention import RETENTION_DAYS, WorkspaceData, prune_history, purge_expired
from bot.domain.schedule import PostKind
from jobs.members import sync_members
from jobs.outbox import SENDER_CONCURRENCY, send_outbox
from jobs.posts import CONCURRENCY, ClientFor, Published, publish
from jobs.recovery import reconcile_outbox, reconcile_posts

log = logging.getLogger(__name__)


@dataclass
class TickReport:
    claimed: int = 0
    skipped: int = 0
    published: list[Published] = field(default_factory=list)
    outbox: int = 0
    members: int = 0  # workspaces whose member directory was synced
    purged: list[WorkspaceData] = field(default_factory=list)  # past their retention
    pruned: int = 0  # handled event ids and finished outbox messages forgotten


def tick(
    *,
    uow: UnitOfWorkFactory,
    clock: Clock,
    client_for: ClientFor,
    managers: tuple[str, ...] = (),
    outbox_client=None,
    retention_days: int = RETENTION_DAYS,
    concurrency: int = CONCURRENCY,
    outbox_concurrency: int = SENDER_CONCURRENCY,
) -> TickReport:
    """One pass: claim what is due (in batches, while `concurrency` workers post what was
    claimed), retry definite failures, reconcile posts and outbox messages left unknown or
    mid-send, sync member directories every six hours, retry the outbox; then delete
    workspaces uninstalled over `retention_days` ago and prune."""
    report = TickReport()
    now = clock.now()
    post = dict(
        uow=uow, clock=clock, client_for=client_for, managers=managers, concurrency=concurrency
    )
    report.published += publish(_claims_due(now, uow, report), **post)
    retries = reclaim_failed(now, uow=uow())
    report.published += publish(retries, **post)
    report.published += reconcile_posts(
        uow=uow, clock=clock, client_for=client_for, managers=managers
    )
    report.members = sync_members(uow=uow, clock=clock, client_for=client_for)
    if outbox_client is not None:
        reconcile_outbox(uow=uow, client=outbox_client, clock=clock)
        waiting = due_messages(now, uow=uow())
        sent = send_outbox(
            waiting, uow=uow, client=outbox_client, clock=clock, concurrency=outbox_concurrency
        )
        report.outbox = len(sent)
    report.purged = purge_expired(uow=uow, clock=clock, retention_days=retention_days)
    pruned = prune_history(uow=uow(), clock=clock)
    report.pruned = pruned.events + pruned.outbox
    for gone in report.purged:
        log.info(
            "deleted workspace %s for good (uninstalled over %d days ago): %d rows",
            gone.team_id,
            retention_days,
            gone.total,
        )
    _log(report, now)
    return report


def _claims_due(now: datetime, uow: UnitOfWorkFactory, report: TickReport) -> Iterator[Claim]:
    """Each due target's claim, a batch claimed at a time as the posting pool takes them."""
    while True:
        due = claim_due(now, uow=uow())
        report.claimed += len(due.claims)
        report.skipped += due.skipped
        yield from due.claims
        if not due.more:
            return


def _log(report: TickReport, now) -> None:
    """One line per tick that did something (INFO); an idle tick only at DEBUG."""
    sent = sum(p.status == "sent" for p in report.published)
    failed = sum(p.status not in ("sent", "empty") for p in report.published)
    busy = report.claimed or report.skipped or report.published or report.outbox
    (log.info if busy else log.debug)(
        "tick at %s: %d due, %d posted, %d failed, %d skipped; %d outbox messages handled",
        now.isoformat(timespec="seconds"),
        report.claimed,
        sent,
        failed,
        report.skipped,
        report.outbox,
    )


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
    claims = claim_now(kind, uow=uow(), clock=clock, team_id=team_id)
    return publish(claims, uow=uow, clock=clock, client_for=client_for, managers=managers)
