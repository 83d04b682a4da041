"""Many processes, one PostgreSQL database, in OAuth mode: two `bravo serve` processes on
different ports (an install may start on one and come back to the other: the OAuth state is
shared) and clock runs (`bravo tick --at`, two at once) post each workspace's scheduled post
once, each with its own workspace's token."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import PG_URL, Database
from tests.oauth_support import (
    ANA,
    T1,
    T2,
    ZOE,
    ServedOAuthBravo,
    get,
    oauth_env,
    start_install,
    two_teams,
)
from tests.slack_standin import SlackStandIn

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs TEST_DATABASE_URL (PostgreSQL)")


@pytest.fixture
def cluster(tmp_path):
    database = Database("postgresql", tmp_path)
    slack = two_teams(SlackStandIn()).start()
    first = ServedOAuthBravo(database, slack, tmp_path)
    second = ServedOAuthBravo(database, slack, tmp_path)
    yield database, slack, first, second
    for served in (first, second):
        served.stop()
    slack.stop()
    database.drop()


def tick(database, slack, at: str) -> subprocess.CompletedProcess:
    env = oauth_env(database, slack, 3000)
    return subprocess.run(
        [sys.executable, "-m", "bot.entrypoints.cli", "tick", "--at", at],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_two_servers_and_two_clocks_post_once_per_workspace_with_its_own_token(cluster):
    database, slack, first, second = cluster
    for team, starts, finishes in ((T1, first, second), (T2, second, first)):
        slack.oauth.redirect_uri = finishes.url + "/slack/oauth_redirect"
        attempt = start_install(starts, team)
        assert get(attempt.allow_url, cookie=attempt.cookie).status == 200
    assert database.scalar("SELECT count(*) FROM installations") == 2
    for team, user, served in ((T1, ANA, first), (T2, ZOE, second)):
        reply = served.client.command(
            "/bravo", "set principle-channel <#C0LOVE|love>", user=user, team=team
        )
        assert "now <#C0LOVE>" in reply.text or "nu <#C0LOVE>" in reply.text, reply.text
    due = database.rows(
        "SELECT w.team_id, t.next_run_at FROM targets t JOIN workspaces w ON w.id = t.workspace_id "
        "WHERE t.kind = 'principle' ORDER BY w.team_id"
    )
    assert [r[0] for r in due] == [T1, T2]
    slack.reset()
    # Earliest first: a tick past a workspace's due time would record its post as missed.
    for _team, when in sorted(due, key=lambda row: row[1]):
        at = when.isoformat()
        with ThreadPoolExecutor(2) as pool:  # two clocks at the same minute
            runs = list(pool.map(lambda moment: tick(database, slack, moment), [at, at]))
        assert all(r.returncode == 0 for r in runs), [r.stderr for r in runs]
    posts = [c for c in slack.calls_to("chat.postMessage") if c.channel == "C0LOVE"]
    tokens = {team: f"Bearer {slack.oauth.tokens_of(team)[-1]}" for team in (T1, T2)}
    assert sorted(c.authorization for c in posts) == sorted(tokens.values())
