"""Start-up that explains itself: `bravo serve`, `bravo socket` and `bravo manifest` stop with one
line naming the variable and where to get it, never a traceback; `bravo check` says the mode."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from tests.conftest import free_port
from tests.slack_standin import SlackStandIn
from tests.test_cli import bravo
from tests.test_retention import seed

SECRET = "startup-signing-secret-0123456789"
APPS = "https://api.slack.com/apps"
REFUSED_BOT = (
    "bravo: Slack refused SLACK_BOT_TOKEN (invalid_auth); copy the Bot User OAuth Token "
    f"(xoxb-…) from {APPS} → your app → OAuth & Permissions"
)


def one_line(result) -> str:
    """The process stopped with exit code 2 and exactly one line, and no traceback."""
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and result.stdout == "", result.stdout + result.stderr
    return lines[0]


def env(slack: SlackStandIn, tmp_path, **extra: str) -> dict[str, str]:
    return {
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'b.db'}",
        "PORT": str(free_port()),
        "LOG_LEVEL": "WARNING",
    } | extra


@pytest.fixture
def slack():
    with SlackStandIn() as standin:
        yield standin


def test_serve_with_a_token_slack_refuses_says_which_and_where(slack, tmp_path):
    slack.fail("auth.test", "invalid_auth")
    result = bravo(
        "serve",
        env=env(slack, tmp_path, SLACK_BOT_TOKEN="xoxb-revoked", SLACK_SIGNING_SECRET=SECRET),
        cwd=tmp_path,
    )
    assert one_line(result) == REFUSED_BOT
    assert not (tmp_path / "b.db").exists()  # stopped before touching anything


def test_socket_with_a_bot_token_slack_refuses_says_which_and_where(slack, tmp_path):
    slack.fail("auth.test", "invalid_auth")
    result = bravo(
        "socket",
        env=env(slack, tmp_path, SLACK_BOT_TOKEN="xoxb-revoked", SLACK_APP_TOKEN="xapp-1-ok"),
        cwd=tmp_path,
    )
    assert one_line(result) == REFUSED_BOT


def test_socket_with_an_app_token_slack_refuses_says_which_and_where(slack, tmp_path):
    slack.fail("apps.connections.open", "invalid_auth")
    result = bravo(
        "socket",
        env=env(slack, tmp_path, SLACK_BOT_TOKEN="xoxb-ok", SLACK_APP_TOKEN="xapp-1-revoked"),
        cwd=tmp_path,
    )
    line = one_line(result)
    assert line.startswith("bravo: Slack refused SLACK_APP_TOKEN (invalid_auth); ")
    assert f"{APPS} → your app → Basic Information → App-Level Tokens" in line
    assert [c.method for c in slack.calls][:1] == ["auth.test"]


@pytest.mark.parametrize(
    ("command", "variable", "value", "where"),
    [
        ("serve", "SLACK_BOT_TOKEN", "xoxp-a-user-token", "OAuth & Permissions"),
        ("socket", "SLACK_BOT_TOKEN", "bot-token-without-prefix", "OAuth & Permissions"),
        ("socket", "SLACK_APP_TOKEN", "xoxb-the-bot-token-again", "App-Level Tokens"),
    ],
)
def test_a_malformed_token_stops_with_one_line(slack, tmp_path, command, variable, value, where):
    good = {"SLACK_BOT_TOKEN": "xoxb-ok", "SLACK_APP_TOKEN": "xapp-1-ok"}
    settings = env(slack, tmp_path, SLACK_SIGNING_SECRET=SECRET, **(good | {variable: value}))
    line = one_line(bravo(command, env=settings, cwd=tmp_path))
    assert line.startswith(f"bravo: invalid setting {variable}: ")
    assert APPS in line and where in line
    assert value not in line  # a token, even a wrong one, is never printed
    assert slack.calls == []  # refused before asking Slack


def test_slack_out_of_reach_is_one_line_too(tmp_path):
    settings = {
        "SLACK_API_URL": f"http://127.0.0.1:{free_port()}/api/",
        "SLACK_BOT_TOKEN": "xoxb-ok",
        "SLACK_SIGNING_SECRET": SECRET,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'b.db'}",
    }
    line = one_line(bravo("serve", env=settings, cwd=tmp_path))
    assert line.startswith("bravo: cannot reach Slack at http://127.0.0.1:")
    assert "to check SLACK_BOT_TOKEN" in line


@pytest.mark.parametrize("url", ["http://bravo.example.com", "bravo.example.com", "https://"])
def test_manifest_url_must_be_https(url):
    line = one_line(bravo("manifest", "--url", url))
    assert line.startswith("bravo: --url must be your server's public https:// address")


def test_check_fails_http_mode_without_a_signing_secret(slack, tmp_path):
    settings = env(slack, tmp_path, SLACK_BOT_TOKEN="xoxb-ok")
    assert bravo("db", "upgrade", env=settings, cwd=tmp_path).returncode == 0
    result = bravo("check", env=settings, cwd=tmp_path)
    assert result.returncode == 1
    assert "FAIL http      SLACK_SIGNING_SECRET is not set" in result.stdout
    with_secret = bravo("check", env=settings | {"SLACK_SIGNING_SECRET": SECRET}, cwd=tmp_path)
    assert with_secret.returncode == 0, with_secret.stdout
    assert "ok   http      SLACK_SIGNING_SECRET set" in with_secret.stdout
    assert SECRET not in with_secret.stdout


def test_check_in_socket_mode_needs_no_signing_secret(slack, tmp_path):
    settings = env(slack, tmp_path, SLACK_BOT_TOKEN="xoxb-ok", SLACK_APP_TOKEN="xapp-1-ok")
    assert bravo("db", "upgrade", env=settings, cwd=tmp_path).returncode == 0
    result = bravo("check", env=settings, cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert "Socket Mode" in result.stdout and " http " not in result.stdout


def test_check_in_oauth_mode_lists_what_is_configured_and_never_a_secret(db, slack, tmp_path):
    seed(db, "T0ONE")
    seed(db, "T0TWO")
    key, client_secret = Fernet.generate_key().decode(), "oauth-client-secret-9f8e7d"
    settings = {
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": db.url,
        "SLACK_CLIENT_ID": "1234.5678",
        "SLACK_CLIENT_SECRET": client_secret,
        "SLACK_SIGNING_SECRET": SECRET,
        "BRAVO_ENCRYPTION_KEY": f"{key},{Fernet.generate_key().decode()}",
    }
    result = bravo("check", env=settings, cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert "ok   settings  OAuth (multi-workspace)" in result.stdout
    assert (
        "ok   oauth     client id 1234.5678; client secret set; state secret not set; "
        "encryption key valid (2 keys); 2 workspaces installed"
    ) in result.stdout
    assert "ok   slack     each workspace's token comes from its installation" in result.stdout
    for secret in (key, client_secret, SECRET):
        assert secret not in result.stdout + result.stderr

    no_secret = {k: v for k, v in settings.items() if k != "SLACK_CLIENT_SECRET"}
    missing = bravo("check", env=no_secret, cwd=tmp_path)
    assert missing.returncode == 1
    assert "FAIL oauth     client id 1234.5678; client secret MISSING" in missing.stdout
    assert "copy SLACK_CLIENT_SECRET from https://api.slack.com/apps" in missing.stdout
