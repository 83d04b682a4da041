"""The `bravo` command line, run as a user would: manifest, db upgrade, check, bad settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from referencing import Registry, Resource

from bot.slack.ids import BOT_SCOPES, Command, Event, Shortcut
from tests.slack_standin import SlackStandIn

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT.parent / "shared" / "slack-manifest-schema" / "manifest.schema.json"


def bravo(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None):
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "BRAVO_", "DATABASE_URL"))
    }
    return subprocess.run(
        [sys.executable, "-m", "bot.entrypoints.cli", *args],
        capture_output=True,
        text=True,
        env=base | (env or {}),
        cwd=cwd or ROOT,
        timeout=60,
    )


def _manifest(*args: str) -> dict:
    result = bravo("manifest", *args)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


@pytest.mark.skipif(not SCHEMA.exists(), reason="Slack's manifest schema is kept in ../shared")
@pytest.mark.parametrize("args", [("--url", "https://bravo.acme.io"), ("--socket",)])
def test_manifest_validates_against_slacks_schema(args):
    # The top schema refers to its versions by URL; resolve them from the local copies.
    base = "https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/"
    registry = Registry().with_resources(
        (base + name, Resource.from_contents(json.loads((SCHEMA.parent / name).read_text())))
        for name in ("manifest.schema.1.0.0.json", "manifest.schema.2.0.0.json")
    )
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft7Validator(schema, registry=registry).validate(_manifest(*args))


def test_manifest_declares_what_bravo_uses():
    manifest = _manifest("--url", "https://bravo.acme.io/")
    commands = manifest["features"]["slash_commands"]
    assert {c["command"] for c in commands} == {str(c) for c in Command}
    assert all(
        c["should_escape"] and c["url"] == "https://bravo.acme.io/slack/events" for c in commands
    )
    assert {s["callback_id"] for s in manifest["features"]["shortcuts"]} == {
        str(s) for s in Shortcut
    }
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == [str(e) for e in Event]
    assert manifest["oauth_config"]["scopes"]["bot"] == list(BOT_SCOPES)
    assert manifest["features"]["app_home"]["home_tab_enabled"]


def test_socket_manifest_has_no_urls():
    manifest = _manifest("--socket")
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert "url" not in json.dumps(manifest["features"]["slash_commands"])
    assert "request_url" not in manifest["settings"]["event_subscriptions"]


def test_committed_manifest_matches_the_command():
    assert (ROOT / "manifest.yml").read_text() == bravo(
        "manifest", "--url", "https://bravo.example.com"
    ).stdout


def test_a_malformed_setting_stops_with_one_line(tmp_path):
    result = bravo("check", env={"BRAVO_TIMEZONE": "Mars/Olympus"}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "bravo: invalid setting BRAVO_TIMEZONE: unknown IANA time zone 'Mars/Olympus'"
    ]


def test_serve_without_a_signing_secret_says_so(tmp_path):
    result = bravo("serve", env={"SLACK_BOT_TOKEN": "xoxb-1"}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().startswith(
        "bravo: SLACK_SIGNING_SECRET is required for HTTP mode (bravo serve); copy the Signing "
        "Secret from your app's Basic Information page"
    )


def test_settings_are_read_from_a_dotenv_file(tmp_path):
    (tmp_path / ".env").write_text("LOG_LEVEL=loud\n")
    result = bravo("check", cwd=tmp_path)
    assert result.returncode == 2 and "LOG_LEVEL" in result.stderr


def test_db_upgrade_then_check_reports_everything_ok(tmp_path):
    with SlackStandIn() as slack:
        env = {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'b.db'}",
            "SLACK_BOT_TOKEN": "xoxb-1",
            "SLACK_SIGNING_SECRET": "cli-test-signing-secret",  # HTTP mode: required
            "SLACK_API_URL": slack.api_url,
        }
        before = bravo("check", env=env, cwd=tmp_path)
        assert before.returncode == 1 and "run `bravo db upgrade`" in before.stdout
        upgraded = bravo("db", "upgrade", env=env, cwd=tmp_path)
        assert upgraded.returncode == 0, upgraded.stderr
        after = bravo("check", env=env, cwd=tmp_path)
    assert after.returncode == 0, after.stdout
    assert "ok   slack     authenticated as @bravo in Acme Support (T0001)" in after.stdout


def test_check_reports_a_refused_token(tmp_path):
    with SlackStandIn() as slack:
        slack.fail("auth.test", "invalid_auth")
        result = bravo(
            "check",
            env={
                "SLACK_BOT_TOKEN": "xoxb-bad",
                "SLACK_API_URL": slack.api_url,
                "DATABASE_URL": f"sqlite:///{tmp_path / 'b.db'}",
            },
            cwd=tmp_path,
        )
    assert result.returncode == 1 and "auth.test refused: invalid_auth" in result.stdout
