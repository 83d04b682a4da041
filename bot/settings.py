"""The one typed Settings object: every environment variable Bravo reads, validated at start."""

from __future__ import annotations

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
    web_concurrency: int = Field(2, alias="WEB_CONCURRENCY", ge=1, le=64)

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value if value.endswith("/") else value + "/"

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
