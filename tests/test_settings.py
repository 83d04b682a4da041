"""The one Settings object: defaults, rewriting, .env, and one-line refusals at start."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from bot.settings import Settings, SettingsError, load_settings

ALIASES = [field.alias for field in Settings.model_fields.values()]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    """No variable from the machine running the tests, and no stray .env file."""
    for alias in ALIASES:
        monkeypatch.delenv(alias, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def refusal(**overrides: object) -> str:
    with pytest.raises(SettingsError) as refused:
        load_settings(**overrides)
    return str(refused.value)


def test_starts_with_the_documented_defaults():
    settings = load_settings()
    assert settings.database_url == "sqlite:///bravo.db" and settings.is_sqlite
    assert (settings.timezone, settings.language, settings.port) == ("UTC", "en", 3000)
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.managers == () and not settings.oauth_enabled


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db.example:5432/bravo", "postgresql+psycopg://u:p@db.example:5432/bravo"),
        ("postgresql://db.example/bravo", "postgresql+psycopg://db.example/bravo"),
        ("postgresql+psycopg://db.example/bravo", "postgresql+psycopg://db.example/bravo"),
        ("sqlite:////var/lib/bravo.db", "sqlite:////var/lib/bravo.db"),
    ],
)
def test_rewrites_heroku_style_postgres_urls_for_psycopg(monkeypatch, given, expected):
    monkeypatch.setenv("DATABASE_URL", given)
    assert load_settings().database_url == expected


def test_reads_managers_as_a_comma_separated_list(monkeypatch):
    monkeypatch.setenv("BRAVO_MANAGERS", " U0ANN, W0BO,,U0CY ")
    assert load_settings().managers == ("U0ANN", "W0BO", "U0CY")


def test_adds_the_missing_slash_to_the_api_url():
    assert load_settings(SLACK_API_URL="http://127.0.0.1:9000/api").slack_api_url == (
        "http://127.0.0.1:9000/api/"
    )


def test_keeps_secrets_out_of_reprs(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret")
    settings = load_settings()
    assert "xoxb-very-secret" not in repr(settings)
    assert settings.slack_bot_token.get_secret_value() == "xoxb-very-secret"


def test_accepts_oauth_with_an_encryption_key_ring():
    keys = f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}"
    settings = load_settings(SLACK_CLIENT_ID="123.456", BRAVO_ENCRYPTION_KEY=keys)
    assert settings.oauth_enabled


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("BRAVO_TIMEZONE", "Mars/Olympus_Mons"),
        ("BRAVO_TIMEZONE", "../../etc/passwd"),
        ("BRAVO_LANGUAGE", "fr"),
        ("PORT", "http"),
        ("PORT", "70000"),
        ("BRAVO_ENCRYPTION_KEY", "not-a-fernet-key"),
        ("BRAVO_MANAGERS", "U0ANN,maria"),
        ("DATABASE_URL", "bravo.db"),
        ("SLACK_API_URL", "slack.com/api"),
        ("LOG_LEVEL", "LOUD"),
        ("BRAVO_SENDER_PROCESSES", "0"),
        ("BRAVO_SENDER_PROCESSES", "17"),
        ("BRAVO_SENDER_PROCESSES", "two"),
    ],
)
def test_refuses_a_malformed_value_in_one_line_naming_the_variable(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    message = refusal()
    assert "\n" not in message
    assert message.startswith("bravo: ") and variable in message


def test_refuses_a_malformed_override_the_same_way():
    message = refusal(BRAVO_LANGUAGE="de")
    assert message == "bravo: invalid setting BRAVO_LANGUAGE: must be one of en, nl"


def test_refuses_oauth_without_an_encryption_key(monkeypatch):
    monkeypatch.setenv("SLACK_CLIENT_ID", "123.456")
    message = refusal()
    assert "\n" not in message
    assert "BRAVO_ENCRYPTION_KEY" in message and "SLACK_CLIENT_ID" in message


def test_keeps_the_refusal_on_one_line_even_for_a_value_with_a_newline(monkeypatch):
    monkeypatch.setenv("BRAVO_MANAGERS", "U0ANN,maria\nU0BO")
    assert "\n" not in refusal()


def test_stops_the_process_with_a_message_rather_than_a_traceback():
    with pytest.raises(SystemExit) as stopped:
        load_settings(PORT="0")
    assert stopped.value.code == str(stopped.value)
    assert stopped.value.__suppress_context__


def test_reads_a_dotenv_file_in_the_working_directory(clean_environment):
    (clean_environment / ".env").write_text(
        "BRAVO_TIMEZONE=Europe/Amsterdam\nBRAVO_LANGUAGE=nl\nDATABASE_URL=postgres://db/bravo\n"
    )
    settings = load_settings()
    assert (settings.timezone, settings.language) == ("Europe/Amsterdam", "nl")
    assert settings.database_url == "postgresql+psycopg://db/bravo"


def test_lets_the_environment_win_over_dotenv(clean_environment, monkeypatch):
    (clean_environment / ".env").write_text("BRAVO_LANGUAGE=nl\n")
    monkeypatch.setenv("BRAVO_LANGUAGE", "en")
    assert load_settings().language == "en"


def test_refuses_a_malformed_value_from_dotenv(clean_environment):
    (clean_environment / ".env").write_text("PORT=eighty\n")
    message = refusal()
    assert "PORT" in message and "\n" not in message


def test_require_stops_with_one_line_naming_the_missing_variable():
    settings = load_settings()
    with pytest.raises(SettingsError) as stopped:
        settings.require("slack_bot_token", "slack_signing_secret", why="for `bravo serve`")
    assert str(stopped.value) == "bravo: SLACK_BOT_TOKEN is required for `bravo serve`"


def test_require_passes_when_everything_is_set(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s3cret")
    load_settings().require("slack_bot_token", "slack_signing_secret", why="for `bravo serve`")
