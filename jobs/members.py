"""The member directory sync: every six hours the clock refreshes each workspace's member cache
from users.list, so commands rarely wait on users.info."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.clock import Clock
from bot.domain.model import Workspace
from bot.domain.people import store_directory
from bot.domain.ports import UnitOfWorkFactory
from bot.domain.schedule import PostKind, sync_period
from bot.slack.directory import SlackDirectory

log = logging.getLogger(__name__)


def sync_members(
    *,
    uow: UnitOfWorkFactory,
    clock: Clock,
    client_for: Callable[[Workspace], WebClient],
    team_id: str | None = None,
) -> int:
    """Sync every active workspace (or one) not yet synced in this six-hour window."""
    now = clock.now()
    period = sync_period(now)
    with uow() as tx:
        workspaces = tx.workspaces.active(team_id)
        claims = tx.posts.claim_many(
            [(w.id, "", PostKind.MEMBERS, period) for w in workspaces], now
        )
        tx.commit()
    by_id = {w.id: w for w in workspaces}
    synced = 0
    for claim in claims:
        workspace = by_id[claim.workspace_id]
        try:
            with uow() as tx:
                count = store_directory(
                    tx, workspace.id, SlackDirectory(client_for(workspace)).everyone(), now
                )
                tx.posts.finish(claim.post_id, "sent", clock.now(), subject=str(count)[:64])
                tx.commit()
            synced += 1
        except (SlackApiError, OSError) as exc:
            log.warning("member sync for %s failed: %s", workspace.team_id, exc)
            with uow() as tx:
                tx.posts.finish(claim.post_id, "failed", clock.now(), error=str(exc)[:120])
                tx.commit()
    return synced
