"""Publishing scheduled posts that were claimed in the ledger, and handling what Slack answers."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from slack_sdk import WebClient

from bot.domain.clock import Clock
from bot.domain.ledger import Delivery, failure_status, prepare_delivery, record_delivery
from bot.domain.model import Claim, Workspace
from bot.domain.ports import UnitOfWorkFactory
from bot.slack.views.posts import build_post, build_target_paused
from jobs.delivery import Outcome, call_slack
from jobs.traces import POST_EVENT, metadata

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
        delivery = prepare_delivery(claim, uow=uow(), clock=clock)
        status, ts, error = _send(delivery, client_for)
        if record_delivery(delivery, status, uow=uow(), clock=clock, ts=ts, error=error):
            _tell_admin(delivery, error or "", client_for, managers)
        results.append(Published(claim, status, error))
    return results


def _send(delivery: Delivery, client_for: ClientFor) -> tuple[str, str | None, str | None]:
    """(status, ts, error) of posting the delivery's content, if it has any."""
    if delivery.post is None:
        return "empty", None, None
    claim, workspace = delivery.claim, delivery.workspace
    text, blocks = build_post(delivery.post)
    try:
        response = call_slack(
            client_for(workspace).chat_postMessage,
            channel=claim.channel_id,
            text=text,
            blocks=blocks,
            unfurl_links=False,
            metadata=metadata(POST_EVENT, claim.post_id),
        )
    except Outcome as outcome:
        status = failure_status(outcome.status, outcome.error)
        log.warning(
            "%s post to %s in workspace %s: %s (%s)",
            claim.kind,
            claim.channel_id,
            workspace.team_id,
            status,
            outcome.error,
        )
        return status, None, outcome.error
    return "sent", response["ts"], None


def _tell_admin(
    delivery: Delivery, error: str, client_for: ClientFor, managers: tuple[str, ...]
) -> None:
    claim, workspace = delivery.claim, delivery.workspace
    admin = workspace.admin_user_id or (managers[0] if managers else None)
    if not admin:
        log.warning("no admin to tell that %s posts to %s are paused", claim.kind, claim.channel_id)
        return
    text = build_target_paused(workspace.language, claim.kind.value, claim.channel_id, error)
    try:
        call_slack(client_for(workspace).chat_postMessage, channel=admin, text=text)
    except Outcome as outcome:
        log.warning("could not tell %s about a paused target: %s", admin, outcome.error)
