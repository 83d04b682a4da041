"""Reconciling what a dead process left: outbox messages left `sending` and scheduled posts whose
outcome is unknown are looked for in Slack's history, then settled or sent again once.

Run by the sender when it starts (and every minute) and by the clock's tick; any number of
them may run at once: `bot.domain.recovery` hands each item to one of them.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime

from slack_sdk import WebClient

from bot.domain.clock import Clock
from bot.domain.errors import Unstorable
from bot.domain.model import OutboxStatus
from bot.domain.ports import UnitOfWorkFactory
from bot.domain.recovery import (
    StaleMessage,
    Trace,
    UnknownPost,
    settle_message,
    settle_post,
    stale_messages,
    unknown_posts,
)
from jobs.delivery import Outcome
from jobs.outbox_clients import Clients, client_of
from jobs.posts import ClientFor, Published, publish
from jobs.traces import OUTBOX_EVENT, POST_EVENT, find_traces

log = logging.getLogger(__name__)


def reconcile_outbox(
    *, uow: UnitOfWorkFactory, client: Clients, clock: Clock
) -> dict[int, OutboxStatus]:
    """Settle each message a dead sender left `sending`: sent when Slack has it, queued again
    when it surely does not, unknown when Slack cannot tell. One history read per channel,
    with the token of the channel's workspace. A message whose settlement the database refuses
    stays taken over, and is taken over again after `STALE_AFTER`, while the others are
    settled; any other failure (the database down or busy) ends the pass, as it would end each
    message's in turn, and the messages left are taken over again the same way."""
    by_channel: dict[tuple[int, str], list[StaleMessage]] = defaultdict(list)
    for stale in stale_messages(clock.now(), uow=uow()):
        by_channel[stale.message.workspace_id, stale.message.channel_id].append(stale)
    settled = {}
    for (workspace_id, channel), stales in by_channel.items():
        since = min(stale.since for stale in stales)
        traces = _traces(client_of(client, workspace_id), channel, since, OUTBOX_EVENT)
        for stale in stales:
            trace = _pick(traces, stale.message.id)
            try:
                settled[stale.message.id] = settle_message(stale, trace, uow=uow(), clock=clock)
            except Unstorable:  # the others are settled all the same; this one next time
                log.exception("outbox %s: not settled; taken over again later", stale.message.id)
    return settled


def reconcile_posts(
    *,
    uow: UnitOfWorkFactory,
    clock: Clock,
    client_for: ClientFor,
    managers: tuple[str, ...] = (),
) -> list[Published]:
    """Settle each scheduled post left unknown: sent when Slack has it, posted again (once)
    when it surely does not, left unknown when Slack cannot tell."""
    published = []
    for unknown in unknown_posts(clock.now(), uow=uow()):
        if settle_post(unknown, _post_trace(unknown, client_for), uow=uow(), clock=clock):
            published += publish(
                [unknown.claim], uow=uow, clock=clock, client_for=client_for, managers=managers
            )
    return published


def _post_trace(unknown: UnknownPost, client_for: ClientFor) -> Trace:
    claim = unknown.claim
    client = client_for(unknown.workspace)
    traces = _traces(client, claim.channel_id, unknown.since, POST_EVENT)
    return _pick(traces, claim.post_id)


def _traces(
    client: WebClient, channel: str, since: datetime, event_type: str
) -> dict[str, Trace] | Trace:
    """Each trace found by payload id, or one Trace carrying why the history could not be read."""
    try:
        found = find_traces(client, channel, since, event_type)
    except Outcome as outcome:
        log.warning("cannot read the history of %s to reconcile: %s", channel, outcome.error)
        return Trace(error=outcome.error)
    return {ident: Trace(ts=ts) for ident, ts in found.items()}


def _pick(traces: dict[str, Trace] | Trace, ident: int) -> Trace:
    """The trace of one message: found, absent, or the history's error for all of them."""
    return traces.get(str(ident), Trace()) if isinstance(traces, dict) else traces
