"""Installing Bravo in any workspace, end to end over real HTTP: `bravo serve` in OAuth mode
(the real gunicorn) against the stand-in, two workspaces installed through Bolt's OAuth flow,
on SQLite and PostgreSQL. Each workspace is served with its own token and sees only its own
data; tokens are stored encrypted; uninstalling one leaves the other working."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.conftest import BACKENDS, Database
from tests.oauth_support import (
    ANA,
    BO,
    T1,
    T2,
    YAN,
    ZOE,
    ServedOAuthBravo,
    get,
    install,
    start_install,
    two_teams,
)
from tests.slack_standin import SlackStandIn


@pytest.fixture(scope="module", params=BACKENDS)
def served(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"oauth-{request.param}")
    database = Database(request.param, tmp)
    slack = two_teams(SlackStandIn()).start()
    bravo = ServedOAuthBravo(database, slack, tmp)
    yield bravo
    bravo.stop()
    slack.stop()
    database.drop()


@pytest.fixture
def bravo(served):
    served.db.clean()
    served.slack.reset()
    served.slack.oauth.revoked.clear()
    served.log_mark = Path(served.log.name).stat().st_size
    yield served


def bearer(bravo, team: str) -> set[str]:
    """The Authorization of the team's current token (the last one the stand-in issued)."""
    return {f"Bearer {bravo.slack.oauth.tokens_of(team)[-1]}"}


def installed(bravo) -> list[str]:
    return [r[0] for r in bravo.db.rows("SELECT install_key FROM installations ORDER BY id")]


def both_installed(bravo) -> None:
    for team in (T1, T2):
        page = install(bravo, team)
        assert page.status == 200, page.body
    assert installed(bravo) == [T1, T2]


def wait_until(condition, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_install_page_shows_what_bravo_does_and_the_add_to_slack_button(bravo):
    attempt = start_install(bravo, T1)
    page = attempt.install_page.body
    assert "Add to Slack" in page and "/kudos" in page
    asked = bravo.slack.calls_to("oauth.authorize")[0].args
    assert "chat:write" in asked["scope"].split(",") and "commands" in asked["scope"].split(",")
    assert installed(bravo) == []  # nothing until the installer approves


def test_a_new_installation_creates_its_workspace_and_welcomes_the_installer(bravo):
    page = install(bravo, T2)
    assert page.status == 200 and "/invite @Bravo" in page.body and "/bravo help" in page.body
    tz, language = bravo.db.rows(
        "SELECT timezone, language FROM workspaces WHERE team_id = :t", t=T2
    )[0]
    assert (tz, language) == ("America/New_York", "nl")  # the installer's zone and locale
    welcome = bravo.slack.wait_for("chat.postMessage", channel=ZOE)
    assert welcome and welcome[0].authorization in bearer(bravo, T2)
    assert (
        "principle-channel" in welcome[0].args["text"]
        and "digest-channel" in welcome[0].args["text"]
    )
    assert "Bedankt" in welcome[0].args["text"]  # in Dutch
    oauth = bravo.slack.calls_to("oauth.v2.access")
    assert oauth and oauth[0].authorization.startswith("Basic ")  # client credentials, not a token


def test_each_workspace_is_served_with_its_own_token_and_keeps_its_own_data(bravo):
    both_installed(bravo)
    bravo.slack.reset()
    one = bravo.client.kudos(f"<@{BO}> for calming down the Jansen escalation", user=ANA, team=T1)
    two = bravo.client.kudos(f"<@{YAN}> for a spotless onboarding call", user=ZOE, team=T2)
    assert one.status == 200 and two.status == 200, (one.text, two.text)
    assert "Bravo is not installed" not in one.text + two.text
    rows = bravo.db.rows(
        "SELECT w.team_id, r.giver_id, r.recipient_id FROM recognitions r "
        "JOIN workspaces w ON w.id = r.workspace_id ORDER BY r.id"
    )
    assert [tuple(r) for r in rows] == [(T1, ANA, BO), (T2, ZOE, YAN)]
    assert wait_until(lambda: len(bravo.slack.calls_to("chat.postMessage")) >= 4)
    time.sleep(0.2)
    mine, theirs = bearer(bravo, T1), bearer(bravo, T2)
    assert all(
        c.authorization in mine | theirs for c in bravo.slack.calls if c.method != "response_url"
    )
    checked = {"auth.test": 0, "users.info": 0, "DM": 0}
    for call in bravo.slack.calls:
        if call.method == "auth.test":  # Bolt's authorize, once per request, per token
            team = call.response["team_id"]
            assert call.authorization in (mine if team == T1 else theirs)
        elif call.method == "users.info":
            assert call.authorization in (mine if call.args["user"] in (ANA, BO) else theirs)
        elif call.method == "chat.postMessage" and call.channel in (BO, YAN):
            assert call.authorization in (mine if call.channel == BO else theirs)
            checked["DM"] += 1
            continue
        else:
            continue
        checked[call.method] += 1
    assert all(checked.values()), checked
    announced = sorted(
        c.authorization
        for c in bravo.slack.calls_to("chat.postMessage")
        if c.channel == "C0SUPPORT"
    )
    assert announced == sorted(mine | theirs)


def test_a_user_of_another_workspace_is_unknown(bravo):
    both_installed(bravo)
    reply = bravo.client.kudos(f"<@{YAN}> for a great save on the phone", user=ANA, team=T1)
    assert reply.json()["response_type"] == "ephemeral" and "doesn't know" in reply.text
    assert bravo.db.scalar("SELECT count(*) FROM recognitions") == 0


def test_a_team_without_an_installation_is_refused_politely_and_nothing_is_stored(bravo):
    install(bravo, T1)
    reply = bravo.client.kudos(f"<@{YAN}> for a great save on the phone", user=ZOE, team=T2)
    assert reply.status == 200 and reply.json()["response_type"] == "ephemeral"
    assert "Bravo is not installed in this workspace" in reply.text
    time.sleep(0.3)
    assert bravo.db.scalar("SELECT count(*) FROM recognitions") == 0
    assert bravo.db.scalar("SELECT count(*) FROM workspaces WHERE team_id = :t", t=T2) == 0


def test_a_wrong_or_reused_state_installs_nothing(bravo):
    attempt = start_install(bravo, T1)
    forged = attempt.allow_url.replace(f"state={attempt.state}", "state=forged")
    assert get(forged, cookie="slack-app-oauth-state=forged").status >= 400
    assert get(attempt.allow_url).status >= 400  # no state cookie: another browser
    assert installed(bravo) == []
    assert get(attempt.allow_url, cookie=attempt.cookie).status == 200
    assert installed(bravo) == [T1]
    bravo.db.clean()
    again = get(attempt.allow_url, cookie=attempt.cookie)
    assert again.status >= 400 and "Try again" in again.body
    assert installed(bravo) == []


def test_uninstalling_one_workspace_leaves_the_other_working(bravo):
    both_installed(bravo)
    old = bearer(bravo, T1)
    uninstall = {
        "token": "ignored",
        "team_id": T1,
        "api_app_id": "A0BRAVO",
        "type": "event_callback",
        "event_id": "Ev0UNINSTALL1",
        "event_time": 1790000100,
        "event": {"type": "app_uninstalled"},
    }
    assert bravo.client.event(uninstall).status == 200
    assert wait_until(lambda: installed(bravo) == [T2])
    bravo.slack.reset()
    refused = bravo.client.kudos(f"<@{BO}> for the calm handover", user=ANA, team=T1)
    assert "Bravo is not installed in this workspace" in refused.text
    served = bravo.client.kudos(f"<@{YAN}> for the calm handover", user=ZOE, team=T2)
    assert (
        "Bravo is not installed" not in served.text
        and served.json()["response_type"] == "ephemeral"
    )
    assert bravo.db.scalar("SELECT count(*) FROM recognitions") == 1
    assert wait_until(lambda: bravo.slack.calls_to("chat.postMessage"))
    time.sleep(0.3)
    assert not [c for c in bravo.slack.calls if c.authorization in old]


def test_no_token_is_stored_in_plaintext(bravo):
    both_installed(bravo)
    tokens = bravo.slack.oauth.tokens_of(T1) + bravo.slack.oauth.tokens_of(T2)
    assert tokens
    if bravo.db.backend == "sqlite":
        with bravo.db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(FULL)")
        path = Path(bravo.db.url.removeprefix("sqlite:///"))
        raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    else:
        raw = repr(bravo.db.rows("SELECT * FROM installations")).encode()
    for token in tokens:
        assert token.encode() not in raw
        assert token.split("-")[-1].encode() not in raw  # not even its secret part
    assert bravo.db.scalar("SELECT count(*) FROM installations WHERE bot_token LIKE 'gAAAA%'") == 2


def test_bolt_never_switches_on_its_file_store(bravo):
    both_installed(bravo)
    assert not (bravo.home / ".bolt-app-installation").exists()
    assert not list(bravo.home.iterdir())
