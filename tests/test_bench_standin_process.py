"""The benchmarks' Slack stand-in in a process of its own: what it posted and refused, and its
own CPU time, read from the parent over real HTTP."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bench.slack_limits import Limits, SlackProcess


def test_the_stand_in_in_its_own_process_counts_posts_and_refusals():
    with SlackProcess(Limits(latency=0, channel_burst=3)) as slack:
        client = WebClient(token="xoxb-T1", base_url=slack.api_url, timeout=5)
        for n in range(3):
            client.chat_postMessage(
                channel="C1", text="hi", metadata={"event_type": "e", "event_payload": {"id": n}}
            )
        with pytest.raises(SlackApiError) as refused:
            client.chat_postMessage(channel="C1", text="one too many")
        assert refused.value.response.status_code == 429
        posted = slack.posted()
        assert [p.args["channel"] for p in posted] == ["C1"] * 3
        assert [p.args["metadata"]["event_payload"]["id"] for p in posted] == [0, 1, 2]
        assert slack.attempts() == 4
        assert slack.cpu() > 0
        slack.reset()
        assert slack.posted() == [] and slack.attempts() == 0
