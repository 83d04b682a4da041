"""The one typed Settings object: every environment variable Bravo reads, validated at start."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cryptography.fernet import Fernet
from pydantic import (
    Field,
    SecretStr,
    ValidationError,
    field_serializer,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

LANGUAGES = ("en", "nl")
BOT_TOKEN_PREFIXES = ("xoxb-", "xoxe.xoxb-")
# Where each Slack credential comes from, said when one is missing, malformed or refused.
BOT_TOKEN_HELP = (
    "must be the Bot User OAuth Token (it starts xoxb-): https://api.slack.com/apps "
    "→ your app → OAuth & Permissions"
)
APP_TOKEN_HELP = (
    "must be an app-level token with connections:write (it starts xapp-): "
    "https://api.slack.com/apps → your app → Basic Information → App-Level Tokens"
)


class SettingsError(SystemExit):
    """Raised at start-up with one line saying which setting is wrong and why."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    slack_bot_token: SecretStr | None = Field(None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(None, alias="SLACK_APP_TOKEN")
    slack_client_id: str | None = Field(None, alias="SLACK_CLIENT_ID")
    slack_client_secret: SecretStr | None = Field(None, alias="SLACK_CLIENT_SECRET")
    slack_state_secret: SecretStr | None = Field(None, alias="SLACK_STATE_SECRET")
    slack_api_url: str = Field("https://slack.com/api/", alias="SLACK_API_URL")
    # Slack's authorize page (the "Add to Slack" button goes there); tests point it at a stand-in.
    slack_authorize_url: str = Field(
        "https://slack.com/oauth/v2/authorize", alias="SLACK_AUTHORIZE_URL"
    )
    # A str for SQLAlchemy, kept out of repr and dumps: it may carry a password.
    database_url: str = Field("sqlite:///bravo.db", alias="DATABASE_URL", repr=False)
    encryption_key: SecretStr | None = Field(None, alias="BRAVO_ENCRYPTION_KEY")
    managers: Annotated[tuple[str, ...], NoDecode] = Field((), alias="BRAVO_MANAGERS")
    timezone: str = Field("UTC", alias="BRAVO_TIMEZONE")
    language: str = Field("en", alias="BRAVO_LANGUAGE")
    stories_channel: str | None = Field(None, alias="BRAVO_STORIES_CHANNEL")
    digest_channel: str | None = Field(None, alias="BRAVO_DIGEST_CHANNEL")
    principle_channel: str | None = Field(None, alias="BRAVO_PRINCIPLE_CHANNEL")
    port: int = Field(3000, alias="PORT", ge=1, le=65535)
    log_level: str = Field("INFO", alias="LOG_LEVEL")
    # https://no-color.org: any value turns colour off (the demo's terminal output).
    no_color: str = Field("", alias="NO_COLOR")
    web_concurrency: int = Field(2, alias="WEB_CONCURRENCY", ge=1, le=64)
    # Days an uninstalled workspace's data is kept before the clock deletes it for good.
    retention_days: int = Field(30, alias="BRAVO_RETENTION_DAYS")
    # Scheduled posts the clock sends at once, and outbox messages the sender sends at once:
    # both mostly wait on Slack (~100 ms a call), so threads, not processes.
    post_concurrency: int = Field(32, alias="BRAVO_POST_CONCURRENCY", ge=1, le=256)
    sender_concurrency: int = Field(8, alias="BRAVO_SENDER_CONCURRENCY", ge=1, le=256)
    # Sender processes `bravo serve` starts: one uses a core at most (Python), so after a burst
    # of /kudos the announcements drain faster with two where the cores are free.
    sender_processes: int = Field(2, alias="BRAVO_SENDER_PROCESSES", ge=1, le=16)

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: SecretStr | None) -> SecretStr | None:
        # A bot token with Slack's token rotation on starts `xoxe.xoxb-`.
        if value is not None and not value.get_secret_value():
            return None  # `NAME=` in a .env file means unset
        if value is not None and not value.get_secret_value().startswith(BOT_TOKEN_PREFIXES):
            raise ValueError(BOT_TOKEN_HELP)
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value():
            return None
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError(APP_TOKEN_HELP)
        return value

    @field_validator("retention_days")
    @classmethod
    def _retention_days(cls, value: int) -> int:
        if not 0 <= value <= 3650:
            raise ValueError("must be a number of days from 0 to 3650")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value if value.endswith("/") else value + "/"

    @field_validator("slack_authorize_url")
    @classmethod
    def _authorize_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        for prefix in ("postgres://", "postgresql://"):
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value[len(prefix) :]
        if "://" not in value:
            raise ValueError("must be a SQLAlchemy URL such as sqlite:///bravo.db")
        try:
            make_url(value)
        except (ArgumentError, ValueError):
            raise ValueError("must be a SQLAlchemy URL such as sqlite:///bravo.db") from None
        return value

    @field_serializer("database_url")
    def _database_url_shown(self, value: str) -> str:
        return make_url(value).render_as_string(hide_password=True)

    @field_validator("managers", mode="before")
    @classmethod
    def _managers(cls, value: object) -> tuple[str, ...]:
        if isinstance(value, str):
            ids = tuple(part.strip() for part in value.split(",") if part.strip())
        else:
            ids = tuple(value or ())  # type: ignore[arg-type]
        bad = [i for i in ids if i[:1] not in ("U", "W") or not i.isalnum()]
        if bad:
            raise ValueError(f"not Slack user ids: {', '.join(map(repr, bad))}")
        return ids

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA time zone {value!r}") from None
        return value

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"must be one of {', '.join(LANGUAGES)}")
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        level = value.upper()
        if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError("must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    @field_validator("encryption_key")
    @classmethod
    def _encryption_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            for key in value.get_secret_value().split(","):
                try:
                    Fernet(key.strip())
                except ValueError:
                    raise ValueError("must be one or more comma-separated Fernet keys") from None
        return value

    @model_validator(mode="after")
    def _oauth_needs_key(self) -> Settings:
        if self.oauth_enabled and self.encryption_key is None:
            raise ValueError("BRAVO_ENCRYPTION_KEY is required when SLACK_CLIENT_ID is set (OAuth)")
        return self

    @property
    def oauth_enabled(self) -> bool:
        return bool(self.slack_client_id)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def require(self, *names: str, why: str) -> None:
        """Stop with one line when a variable needed for `why` is missing."""
        fields = type(self).model_fields
        for name in names:
            if getattr(self, name) is None:
                raise SettingsError(f"bravo: {fields[name].alias} is required {why}")


@contextmanager
def oauth_hidden_from_bolt() -> Iterator[None]:
    """Bolt's `App` turns on its own OAuth, with a plaintext file store in
    `$HOME/.bolt-app-installation`, whenever SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are in the
    environment (even empty) and no OAuth settings are given. Bravo gives them in OAuth mode;
    otherwise it builds the app with the two hidden for that moment (at start-up, one thread)."""
    names = ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")
    saved = {name: os.environ.pop(name) for name in names if name in os.environ}
    try:
        yield
    finally:
        os.environ.update(saved)


def load_settings(**overrides: object) -> Settings:
    """Read the environment (and .env); stop with one readable line when a value is wrong."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        field = error["loc"][0] if error["loc"] else ""
        alias = Settings.model_fields[field].alias if field in Settings.model_fields else field
        message = str(error["msg"]).removeprefix("Value error, ")
        where = f"{alias}: " if alias else ""
        raise SettingsError(f"bravo: invalid setting {where}{message}") from None
