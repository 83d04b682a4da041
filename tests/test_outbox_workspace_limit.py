"""429s from two channels of a workspace are its limit: the sender then holds the whole workspace
for the `Retry-After` rather than trying each of its other channels in turn and being refused
each time. Real databases, over HTTP to the stand-in with Slack's limits."""

from __future__ import annotations

from slack_sdk import WebClient

from bench.slack_limits import LimitedSlack, Limits
from bot.domain.clock import SystemClock
from bot.domain.model import OutboxStatus
from jobs.outbox import send_outbox
from tests.test_fanout import backlog

SHOUTOUTS = 12  # announced in ten channels, each with a DM: 22 channels


def test_a_workspace_limit_holds_the_workspace_not_each_channel_in_turn(services, db):
    ids = backlog(services.uow, SHOUTOUTS)
    # The channel limits never bind; the workspace takes 3 at once, then 1 a second.
    limits = Limits(latency=0, channel_burst=100, per_workspace_minute=60, workspace_burst=3)
    with LimitedSlack(limits) as slack:
        client = WebClient(token="xoxb-t", base_url=slack.api_url, timeout=5)
        outcome = send_outbox(
            ids, uow=services.uow, client=client, clock=SystemClock(), concurrency=2
        )
        refused = slack.attempts() - len(slack.posted())
    assert len(slack.posted()) == 3
    # Refused in two channels, the workspace waits: at most those and what was in flight.
    assert 2 <= refused <= 3, refused
    assert list(outcome.values()).count(OutboxStatus.SENT) == 3
    # Nothing lost: the rest wait, unsent and with no attempt counted, for a later round.
    rows = db.rows("SELECT status, attempts, next_attempt_at IS NOT NULL FROM outbox")
    waiting = [r for r in rows if r[0] != "sent"]
    assert len(waiting) == 2 * SHOUTOUTS - 3
    assert {(status, attempts, retry) for status, attempts, retry in waiting} == {
        ("failed", 0, True)
    }
