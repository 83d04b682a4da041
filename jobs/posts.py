"""Publishing scheduled posts that were claimed in the ledger, and handling what Slack answers."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from slack_sdk import WebClient

from bot.domain.clock import Clock
from bot.domain.ledger import (
    Delivery,
    failure_status,
    prepare_delivery,
    read_workspaces,
    record_delivery,
)
from bot.domain.model import Claim, Workspace
from bot.domain.ports import UnitOfWorkFactory
from bot.slack.views.posts import build_post, build_target_paused
from jobs.delivery import Outcome, call_slack
from jobs.fanout import Fanout, Later
from jobs.traces import POST_EVENT, metadata

log = logging.getLogger(__name__)

ClientFor = Callable[[Workspace], WebClient]
# Threads posting at once: the clock's burst waits on Slack, not on its CPU (SPEC 5 fanout).
CONCURRENCY = 32
RATELIMITED = "ratelimited"
WORKSPACE_CHUNK = 64  # claims whose workspaces are read in one transaction


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
    concurrency: int = CONCURRENCY,
) -> list[Published]:
    """Post each claimed ledger row once and record the outcome (never re-posting an unknown).

    `concurrency` workers post at once, each recording its own post right after its send;
    `claims` is read as the workers take them (the tick claims its next batch meanwhile). A
    channel Slack rate-limits is posted to again after its `Retry-After`, within this call if
    that comes soon, else the row is left failed for the next tick's `reclaim_failed`.
    """
    with Fanout(concurrency) as pool:
        for claim, workspace in _with_workspaces(claims, uow):
            post = _Post(claim, workspace, uow, clock, client_for, managers)
            pool.submit((claim.workspace_id, claim.channel_id), post.attempt, post.give_up)
        return pool.join()


def _with_workspaces(
    claims: Iterable[Claim], uow: UnitOfWorkFactory, chunk: int = WORKSPACE_CHUNK
) -> Iterator[tuple[Claim, Workspace]]:
    """Each claim with its workspace, read once for a chunk of claims: a workspace's posts
    (principle, digest, leaderboard) are due together, and its workers would each read it."""
    claims = iter(claims)
    while batch := list(islice(claims, chunk)):
        workspaces = read_workspaces({claim.workspace_id for claim in batch}, uow=uow())
        yield from ((claim, workspaces[claim.workspace_id]) for claim in batch)


@dataclass
class _Post:
    """One claimed row, prepared on its first attempt and kept for a retry after a 429."""

    claim: Claim
    workspace: Workspace
    uow: UnitOfWorkFactory
    clock: Clock
    client_for: ClientFor
    managers: tuple[str, ...]
    delivery: Delivery | None = field(default=None)

    def attempt(self) -> Published | Later:
        if self.delivery is None:
            self.delivery = prepare_delivery(
                self.claim, uow=self.uow(), clock=self.clock, workspace=self.workspace
            )
        try:
            status, ts, error = _send(self.delivery, self.client_for)
        except Outcome as limited:  # a 429: nothing was posted
            return Later(limited.retry_after or 1.0)
        return self._record(status, ts, error)

    def give_up(self) -> Published:
        """Slack keeps refusing for now: failed, which the next tick's reclaim retries."""
        return self._record("failed", None, RATELIMITED)

    def _record(self, status: str, ts: str | None, error: str | None) -> Published:
        delivery = self.delivery
        assert delivery is not None
        if record_delivery(delivery, status, uow=self.uow(), clock=self.clock, ts=ts, error=error):
            _tell_admin(delivery, error or "", self.client_for, self.managers)
        return Published(self.claim, status, error)


def _send(delivery: Delivery, client_for: ClientFor) -> tuple[str, str | None, str | None]:
    """(status, ts, error) of posting the delivery's content, if it has any; a 429 is raised
    as the Outcome carrying its `retry_after`."""
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
        if outcome.retry_after is not None:
            raise  # rate limited: the caller posts it again after Retry-After
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
