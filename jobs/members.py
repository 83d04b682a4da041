"""The member directory sync: every six hours the clock refreshes each workspace's member cache
from users.list, so commands rarely wait on users.info."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.clock import Clock
from bot.domain.model import Workspace
from bot.domain.people import claim_member_syncs, record_failed_sync, sync_directory
from bot.domain.ports import UnitOfWorkFactory
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
    synced = 0
    for claim, workspace in claim_member_syncs(now, uow=uow(), team_id=team_id):
        try:
            people = SlackDirectory(client_for(workspace)).everyone()
            sync_directory(claim, people, now, uow=uow(), clock=clock)
            synced += 1
        except (SlackApiError, OSError) as exc:
            log.warning("member sync for %s failed: %s", workspace.team_id, exc)
            record_failed_sync(claim, str(exc), uow=uow(), clock=clock)
    return synced
