"""Retention: an uninstalled workspace's data is kept `BRAVO_RETENTION_DAYS`, then deleted for
good; `bravo purge` deletes it now. Also the pruning of what only matters for a while (handled
event ids, sent outbox messages), so those tables stop growing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.domain.clock import Clock
from bot.domain.model import Claim
from bot.domain.ports import UnitOfWork, UnitOfWorkFactory
from bot.domain.schedule import PostKind

RETENTION_DAYS = 30  # the default of BRAVO_RETENTION_DAYS
PURGES_PER_TICK = 20  # more wait for the next tick
# Slack retries an event for about 5 minutes; a day is plenty to recognise a retry.
EVENTS_KEPT = timedelta(days=1)
# A sent message's row matters while someone may still ask about it (reconciling, support).
OUTBOX_KEPT = timedelta(days=30)
PRUNE_BATCH = 5000  # rows per table per tick: a backlog drains over a few ticks


@dataclass(frozen=True, slots=True)
class WorkspaceData:
    """What Bravo holds for one workspace: rows per table."""

    team_id: str
    rows: dict[str, int]
    deactivated_at: datetime | None  # None: installed (active)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


@dataclass(frozen=True, slots=True)
class Pruned:
    events: int = 0
    outbox: int = 0


def workspace_footprint(team_id: str, *, uow: UnitOfWork) -> WorkspaceData | None:
    """Rows per table for the team's workspace, or None when Bravo never saw that team."""
    with uow:
        found = uow.retention.state(team_id)
        if found is None:
            return None
        workspace_id, deactivated_at = found
        return WorkspaceData(team_id, uow.retention.footprint(workspace_id), deactivated_at)


def purge_workspace(
    team_id: str, *, uow: UnitOfWork, dormant_before: datetime | None = None
) -> WorkspaceData | None:
    """Delete every row of the team's workspace, in one transaction; what was deleted.

    With `dormant_before`, only if it is still uninstalled since before then: a reinstall
    between the claim and the purge keeps the data. None when nothing was deleted.
    """
    with uow.serialized():
        found = uow.retention.state(team_id, lock=True)
        if found is None:
            return None
        workspace_id, deactivated_at = found
        if dormant_before is not None and (
            deactivated_at is None or deactivated_at >= dormant_before
        ):
            return None
        rows = uow.retention.delete_workspace(workspace_id, team_id)
        uow.commit()
    return WorkspaceData(team_id, rows, deactivated_at)


def claim_expired(
    now: datetime, cutoff: datetime, *, uow: UnitOfWork, limit: int = PURGES_PER_TICK
) -> list[tuple[Claim, str]]:
    """Claim, in the ledger, the deletion of workspaces uninstalled before `cutoff` (once per
    UTC day each, so two clocks never both do it and a failed deletion is tried again
    tomorrow): (claim, team id) pairs."""
    with uow.serialized():
        dormant = uow.retention.dormant_since(cutoff, limit)
        period = f"{now.astimezone(UTC):%Y-%m-%d}"
        claims = uow.posts.claim_many(
            [(workspace_id, "", PostKind.RETENTION, period) for workspace_id, _ in dormant], now
        )
        uow.commit()
    teams = dict(dormant)
    return [(claim, teams[claim.workspace_id]) for claim in claims]


def purge_expired(
    *, uow: UnitOfWorkFactory, clock: Clock, retention_days: int
) -> list[WorkspaceData]:
    """The clock's step: delete the workspaces uninstalled more than `retention_days` ago."""
    now = clock.now()
    cutoff = now - timedelta(days=retention_days)
    with uow() as tx:  # the usual answer, found without taking the write lock
        if not tx.retention.dormant_since(cutoff, 1):
            return []
    purged = []
    for claim, team_id in claim_expired(now, cutoff, uow=uow()):
        done = purge_workspace(team_id, uow=uow(), dormant_before=cutoff)
        if done is None:  # reinstalled since the claim: the claim stays, as skipped
            with uow() as tx:
                tx.posts.finish(claim.id, "skipped", now, error="reinstalled")
                tx.commit()
        else:
            purged.append(done)
    return purged


def prune_history(*, uow: UnitOfWork, clock: Clock) -> Pruned:
    """Forget handled event ids after a day and finished outbox messages after 30 days.

    Idempotent: two clocks pruning at once delete each row once between them.
    """
    now = clock.now()
    with uow:
        pruned = Pruned(
            events=uow.retention.prune_events(now - EVENTS_KEPT, PRUNE_BATCH),
            outbox=uow.retention.prune_outbox(now - OUTBOX_KEPT, PRUNE_BATCH),
        )
        uow.commit()
    return pruned
