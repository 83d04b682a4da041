"""The outbox sender against the stand-in: sent once, definite failures retried, unknowns not."""

from __future__ import annotations

from datetime import timedelta

from slack_sdk import WebClient

from bot.domain.kudos import give_kudos
from bot.domain.model import GiveKudos, OutboxStatus, TeamRef
from bot.slack.directory import SlackDirectory
from jobs.outbox import send_outbox
from tests.conftest import BO, CY, GIVER


def _give(services, standin, channel="C0SUPPORT", reply_url=None):
    client = WebClient(token="xoxb-t", base_url=standin.api_url, timeout=1)
    result = give_kudos(
        GiveKudos(
            team=TeamRef("T0001"),
            giver=GIVER,
            user_ids=(BO, CY),
            group_ids=(),
            reason="for the calm handover at midnight",
            channel_id=channel,
            reply_url=reply_url,
        ),
        uow=services.uow(),
        clock=services.clock,
        directory=SlackDirectory(client),
        defaults=services.defaults,
    )
    return result, client


def _send(services, client, ids):
    return send_outbox(ids, uow=services.uow, client=client, clock=services.clock)


def test_sends_the_announcement_and_each_dm_once(services, standin):
    result, client = _give(services, standin)
    assert set(_send(services, client, result.outbox_ids).values()) == {OutboxStatus.SENT}
    assert _send(services, client, result.outbox_ids) == {}  # already sent: nothing again
    assert len(standin.calls_to("chat.postMessage")) == 3


def test_a_definite_failure_is_retried_later(services, standin, db):
    result, client = _give(services, standin)
    announcement = result.outbox_ids[0]
    standin.fail("chat.postMessage", "internal_error", channel="C0SUPPORT", times=1)
    assert _send(services, client, [announcement]) == {announcement: OutboxStatus.FAILED}
    assert _send(services, client, [announcement]) == {}  # not before its retry time
    services.clock.advance(minutes=1)
    assert _send(services, client, [announcement]) == {announcement: OutboxStatus.SENT}
    assert len(standin.calls_to("chat.postMessage")) == 2
    assert db.scalar("SELECT attempts FROM outbox WHERE id=:i", i=announcement) == 2


def test_a_rate_limited_post_waits_for_retry_after(services, standin, db):
    result, client = _give(services, standin)
    dm = result.outbox_ids[1]
    standin.ratelimit("chat.postMessage", retry_after=30, channel=BO)
    assert _send(services, client, [dm]) == {dm: OutboxStatus.FAILED}
    services.clock.advance(seconds=29)
    assert _send(services, client, [dm]) == {}
    services.clock.advance(seconds=1)
    assert _send(services, client, [dm]) == {dm: OutboxStatus.SENT}


def test_an_unknown_outcome_is_never_sent_again(services, standin, db):
    result, client = _give(services, standin)
    dm = result.outbox_ids[2]
    standin.hang("chat.postMessage", 2.5, channel=CY)
    assert _send(services, client, [dm]) == {dm: OutboxStatus.UNKNOWN}
    services.clock.advance(hours=1)
    assert _send(services, client, [dm]) == {}
    with services.uow() as tx:
        assert dm not in tx.outbox.due(services.clock.now() + timedelta(days=1))


def test_gives_up_after_repeated_definite_failures(services, standin, db):
    result, client = _give(services, standin)
    dm = result.outbox_ids[1]
    standin.fail("chat.postMessage", "internal_error", channel=BO)
    statuses = []
    for _ in range(5):
        statuses.extend(_send(services, client, [dm]).values())
        services.clock.advance(hours=1)
    assert statuses[-1] is OutboxStatus.DEAD and statuses[:-1] == [OutboxStatus.FAILED] * 4


def test_falls_back_to_response_url_when_the_bot_is_not_in_the_channel(services, standin):
    result, client = _give(services, standin, channel="G0PRIV", reply_url=standin.response_url())
    standin.fail("chat.postMessage", "not_in_channel", channel="G0PRIV")
    assert _send(services, client, result.outbox_ids[:1]) == {
        result.outbox_ids[0]: OutboxStatus.SENT
    }
    assert standin.calls_to("response_url")[0].args["response_type"] == "in_channel"
