"""Publishing scheduled posts that were claimed in the ledger, and handling what Slack answers."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from slack_sdk import WebClient

from bot.domain.clock import Clock
from bot.domain.model import Claim, OutboxStatus, Workspace
from bot.domain.ports import UnitOfWorkFactory
from bot.domain.posts import prepare
from bot.slack.views.posts import build_post, build_target_paused
from jobs.delivery import CHANNEL_BROKEN, WORKSPACE_GONE, Outcome, call_slack

log = logging.getLogger(__name__)

ClientFor = Callable[[Workspace], WebClient]


@dataclass(frozen=True, slots=True)
class Published:
    claim: Claim
    status: str  # sent | empty | failed | unknown | broken
    error: str | None = None


def publish(
    claims: Iterable[Claim],
    *,
    uow: UnitOfWorkFactory,
    clock: Clock,
    client_for: ClientFor,
    managers: tuple[str, ...] = (),
) -> list[Published]:
    """Post each claimed ledger row once and record the outcome (never re-posting an unknown)."""
    results = []
    for claim in claims:
        now = clock.now()
        with uow() as tx:
            workspace = tx.workspaces.get(claim.workspace_id)
            post = prepare(tx, claim.kind, workspace, claim.channel_id, now)
        if post is None:
            status, ts, error = "empty", None, None
        else:
            text, blocks = build_post(post)
            client = client_for(workspace)
            try:
                ts = call_slack(
                    client.chat_postMessage,
                    channel=claim.channel_id,
                    text=text,
                    blocks=blocks,
                    unfurl_links=False,
                )["ts"]
                status, error = "sent", None
            except Outcome as outcome:
                ts, error = None, outcome.error
                status = _status(outcome)
                log.warning(
                    "%s post to %s in workspace %s: %s (%s)",
                    claim.kind,
                    claim.channel_id,
                    workspace.team_id,
                    status,
                    error,
                )
        with uow() as tx:
            tx.posts.finish(
                claim.post_id,
                status,
                clock.now(),
                ts=ts,
                error=error,
                subject=getattr(getattr(post, "principle", None), "slug", None),
                featured=post.featured if post else (),
            )
            if status == "broken":
                _handle_broken(tx, workspace, claim, error or "", clock)
            tx.commit()
        if status == "broken" and error in CHANNEL_BROKEN:
            _tell_admin(workspace, claim, error, client_for, managers)
        results.append(Published(claim, status, error))
    return results


def _status(outcome: Outcome) -> str:
    if outcome.error in CHANNEL_BROKEN or outcome.error in WORKSPACE_GONE:
        return "broken"
    return "unknown" if outcome.status is OutboxStatus.UNKNOWN else "failed"


def _handle_broken(tx, workspace: Workspace, claim: Claim, error: str, clock: Clock) -> None:
    if error in WORKSPACE_GONE:
        tx.workspaces.set_active(workspace.id, False, clock.now())
    else:
        tx.targets.pause(workspace.id, claim.channel_id, claim.kind, error)


def _tell_admin(
    workspace: Workspace, claim: Claim, error: str, client_for: ClientFor, managers: tuple[str, ...]
) -> None:
    admin = workspace.admin_user_id or (managers[0] if managers else None)
    if not admin:
        log.warning("no admin to tell that %s posts to %s are paused", claim.kind, claim.channel_id)
        return
    text = build_target_paused(workspace.language, claim.kind.value, claim.channel_id, error)
    try:
        call_slack(client_for(workspace).chat_postMessage, channel=admin, text=text)
    except Outcome as outcome:
        log.warning("could not tell %s about a paused target: %s", admin, outcome.error)
