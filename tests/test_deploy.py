"""The deployment files say what the code does: every command in the Procfile and the systemd
units is a `bravo` command, and the example environment file holds only known settings."""

from __future__ import annotations

import configparser
import os
import shlex
from pathlib import Path

import pytest

from bot.entrypoints.cli import _parser
from bot.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parents[1]
UNITS = {"bravo-web.service": ["serve"], "bravo-clock.service": ["scheduler"]}


def runs(command: str) -> list[str]:
    """The `bravo` arguments of a command line, checked against the real parser."""
    words = shlex.split(command)
    assert Path(words[0]).name == "bravo", command
    args = _parser().parse_args(words[1:])  # an unknown command exits here
    assert callable(getattr(args, "run", None)), f"{command!r} runs nothing"
    return words[1:]


def procfile() -> dict[str, str]:
    entries = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, command = line.partition(":")
            entries[name.strip()] = command.strip()
    return entries


def unit(name: str) -> configparser.ConfigParser:
    # systemd repeats keys (ExecStartPre) and uses % specifiers: no interpolation, not strict.
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string((ROOT / "deploy" / name).read_text())
    return parser


def test_procfile_runs_release_web_and_clock():
    entries = procfile()
    assert {name: runs(command) for name, command in entries.items()} == {
        "release": ["db", "upgrade"],
        "web": ["serve"],
        "clock": ["scheduler"],
    }


def test_the_parser_refuses_what_is_not_a_command():
    with pytest.raises(SystemExit):
        runs("bravo serv")


@pytest.mark.parametrize("name", sorted(UNITS))
def test_systemd_unit_runs_a_bravo_command_safely(name):
    service = unit(name)["Service"]
    assert runs(service["ExecStart"]) == UNITS[name]
    assert service["Restart"] == "on-failure"
    assert service["User"] not in ("", "root") and service["User"] == service["Group"]
    assert service["EnvironmentFile"] == "/etc/bravo/bravo.env"
    assert unit(name)["Install"]["WantedBy"] == "multi-user.target"


def test_the_web_unit_migrates_before_it_serves():
    assert runs(unit("bravo-web.service")["Service"]["ExecStartPre"]) == ["db", "upgrade"]
    assert "ExecStartPre" not in unit("bravo-clock.service")["Service"]


def test_the_example_environment_file_holds_only_known_settings(monkeypatch, tmp_path):
    values = {}
    for line in (ROOT / "deploy" / "bravo.env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key] = value
    known = {field.alias for field in Settings.model_fields.values()}
    assert set(values) <= known, set(values) - known
    for key in list(os.environ):
        if key.startswith(("SLACK_", "BRAVO_", "DATABASE_URL")):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)  # no .env
    settings = load_settings(**values)  # valid as it stands
    assert settings.retention_days == 30 and not settings.is_sqlite


def test_the_committed_env_example_loads_as_it_stands_and_names_the_two_tokens(
    monkeypatch, tmp_path
):
    text = (ROOT / ".env.example").read_text()
    values = dict(
        line.partition("=")[::2]
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )
    assert {"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"} <= set(values)
    known = {field.alias for field in Settings.model_fields.values()}
    assert set(values) <= known, set(values) - known
    for key in list(os.environ):
        if key.startswith(("SLACK_", "BRAVO_", "DATABASE_URL")):
            monkeypatch.delenv(key)
    (tmp_path / ".env").write_text(text)
    monkeypatch.chdir(tmp_path)  # read as `cp .env.example .env` leaves it
    settings = load_settings()
    assert settings.timezone == "Europe/Amsterdam" and settings.is_sqlite
    assert settings.slack_bot_token is None  # empty until filled in: not a malformed token
