"""429s from two channels of a workspace are its limit: the sender then holds the whole workspace
for the `Retry-After` rather than trying each of its other channels in turn and being refused
each time. Real databases, over HTTP to the stand-in with Slack's limits."""

from __future__ import annotations

from slack_sdk import WebClient

from bench.slack_limits import LimitedSlack, Limits
from bot.domain.kudos import give_kudos
from bot.domain.model import GiveKudos, OutboxStatus, TeamRef
from jobs.outbox import send_outbox
from tests.test_fanout import Everyone

CHANNELS = 12  # one shout-out announced in each: 12 announcements and 12 DMs, 24 channels


def _backlog(services) -> list[int]:
    ids = []
    for n in range(CHANNELS):
        result = give_kudos(
            GiveKudos(
                team=TeamRef("T0001"),
                giver=f"U{n:04d}G",
                user_ids=(f"U{n:04d}R",),
                group_ids=(),
                reason="for calming an upset customer and solving it the same day",
                channel_id=f"C{n:04d}",
            ),
            uow=services.uow(),
            clock=services.clock,
            directory=Everyone(),
            defaults=services.defaults,
        )
        ids += result.outbox_ids
    return ids


def test_a_workspace_limit_holds_the_workspace_not_each_channel_in_turn(services, db):
    ids = _backlog(services)
    # The channel limits never bind; the workspace takes 3 at once, then 1 a second.
    limits = Limits(latency=0, channel_burst=100, per_workspace_minute=60, workspace_burst=3)
    with LimitedSlack(limits) as slack:
        client = WebClient(token="xoxb-t", base_url=slack.api_url, timeout=5)
        outcome = send_outbox(
            ids, uow=services.uow, client=client, clock=services.clock, concurrency=2
        )
        refused = slack.attempts() - len(slack.posted())
    assert len(slack.posted()) == 3
    # Refused in two channels, the workspace waits: at most those and what was in flight.
    assert 2 <= refused <= 3, refused
    assert list(outcome.values()).count(OutboxStatus.SENT) == 3
    # Nothing lost: the rest wait, unsent and with no attempt counted, for a later round.
    rows = db.rows("SELECT status, attempts, next_attempt_at IS NOT NULL FROM outbox")
    waiting = [r for r in rows if r[0] != "sent"]
    assert len(waiting) == 2 * CHANNELS - 3
    assert {(status, attempts, retry) for status, attempts, retry in waiting} == {
        ("failed", 0, True)
    }
