"""The benchmark stand-in's Slack limits: pure token buckets, and one call over real HTTP."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bench.slack_limits import LimitedSlack, Limits, RateLimiter, TokenBucket, retry_after


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_its_burst_then_one_per_interval():
    bucket = TokenBucket(rate=1.0, burst=3, now=0.0)
    assert [bucket.take(0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take(0.0) == pytest.approx(1.0)
    assert bucket.take(0.5) == pytest.approx(0.5)  # refused calls take nothing
    assert bucket.take(1.0) == 0.0
    assert bucket.take(1.0) == pytest.approx(1.0)


def test_a_bucket_refills_no_further_than_its_burst():
    bucket = TokenBucket(rate=2.0, burst=2, now=0.0)
    bucket.take(0.0)
    bucket.take(0.0)
    assert bucket.wait(100.0) == 0.0
    assert [bucket.take(100.0) for _ in range(3)] == [0.0, 0.0, pytest.approx(0.5)]


def test_a_bucket_refuses_nonsense():
    with pytest.raises(ValueError):
        TokenBucket(rate=0, burst=1, now=0)
    with pytest.raises(ValueError):
        TokenBucket(rate=1, burst=0, now=0)


def test_channels_are_limited_apart_and_a_workspace_as_a_whole():
    ticks = Ticks()
    limiter = RateLimiter(
        Limits(per_channel=1, channel_burst=2, per_workspace_minute=60, workspace_burst=5), ticks
    )
    assert [limiter.admit("T1", "C1") for _ in range(2)] == [0.0, 0.0]
    assert limiter.admit("T1", "C1") == pytest.approx(1.0)
    assert limiter.admit("T1", "C2") == 0.0  # another channel has its own bucket
    assert limiter.admit("T2", "C1") == 0.0  # and so does another workspace's channel
    assert [limiter.admit("T1", f"C{n}") for n in range(3, 6)] == [0.0, 0.0, pytest.approx(1.0)]
    assert limiter.refused == 2
    ticks.now += 1
    assert limiter.admit("T1", "C9") == 0.0


def test_retry_after_is_whole_seconds_and_at_least_one():
    assert retry_after(0.01) == 1
    assert retry_after(1.0) == 1
    assert retry_after(1.2) == 2


def test_posting_past_the_channel_limit_is_refused_with_429_and_retry_after():
    limits = Limits(latency=0.02, per_channel=1, channel_burst=1)
    with LimitedSlack(limits) as slack:
        client = WebClient(token="xoxb-limits", base_url=slack.api_url, timeout=5)
        client.chat_postMessage(channel="C1", text="first")
        with pytest.raises(SlackApiError) as refused:
            client.chat_postMessage(channel="C1", text="second, too soon")
        client.chat_postMessage(channel="C2", text="another channel")
        assert refused.value.response.status_code == 429
        assert refused.value.response.headers.get("Retry-After") == "1"
        assert [c.args["text"] for c in slack.posted()] == ["first", "another channel"]
        assert len(slack.calls_to("chat.postMessage")) == 3
