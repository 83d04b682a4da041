"""`bravo check`: settings, database and Slack auth, as a readable report."""

from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from slack_sdk.errors import SlackApiError

from bot.domain.workspaces import count_installed
from bot.entrypoints.cli_help import counted
from bot.entrypoints.runtime import slack_client
from bot.settings import Settings
from storage.db import make_engine, make_session_factory
from storage.migrate import alembic_config
from storage.uow import UnitOfWorkFactory

SIGNING_SECRET_MISSING = (
    "SLACK_SIGNING_SECRET is not set: HTTP mode cannot verify requests and `bravo serve` will "
    "not start; copy the Signing Secret from https://api.slack.com/apps → your app → Basic "
    "Information"
)
APP_CREDENTIALS = "https://api.slack.com/apps → your app → Basic Information → App Credentials"


def run_checks(settings: Settings) -> int:
    """Print one line per check; the exit code is 1 when any check failed."""
    results = [("settings", True, _describe(settings))]
    if settings.oauth_enabled or settings.slack_app_token is None:
        results.append(_http(settings))
    if settings.oauth_enabled:
        results.append(_oauth(settings))
    results.append(_database(settings))
    results.append(_slack(settings))
    for name, ok, detail in results:
        print(f"{'ok  ' if ok else 'FAIL'} {name:<9} {detail}")
    return 0 if all(ok for _, ok, _ in results) else 1


def _describe(settings: Settings) -> str:
    if settings.oauth_enabled:
        mode = "OAuth (multi-workspace)"
    elif settings.slack_app_token:
        mode = "Socket Mode"
    else:
        mode = "HTTP, single workspace"
    return f"{mode}; timezone {settings.timezone}; language {settings.language}"


def _database(settings: Settings) -> tuple[str, bool, str]:
    engine = None
    try:
        engine = make_engine(settings.database_url)
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return "database", False, f"cannot connect: {exc.__class__.__name__}: {exc}".splitlines()[0]
    finally:
        if engine is not None:
            engine.dispose()
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    where = engine.url.render_as_string(hide_password=True)
    if current != head:
        return (
            "database",
            False,
            f"{where} is at {current or 'no revision'}, head is {head}: run `bravo db upgrade`",
        )
    return "database", True, f"{where} at revision {head}"


def _http(settings: Settings) -> tuple[str, bool, str]:
    """HTTP mode (`bravo serve`, and every OAuth install) verifies each request's signature."""
    secret = settings.slack_signing_secret
    if secret is None or not secret.get_secret_value().strip():
        return "http", False, SIGNING_SECRET_MISSING
    return "http", True, "SLACK_SIGNING_SECRET set: requests are verified"


def _oauth(settings: Settings) -> tuple[str, bool, str]:
    """What OAuth needs, set or missing (never the values), and how many installations."""
    secret = settings.slack_client_secret
    has_secret = secret is not None and bool(secret.get_secret_value().strip())
    key = settings.encryption_key
    keys = len(key.get_secret_value().split(",")) if key else 0  # Settings checked each key
    parts = [
        f"client id {settings.slack_client_id}",
        "client secret " + ("set" if has_secret else "MISSING"),
        "state secret " + ("set" if settings.slack_state_secret else "not set"),
        f"encryption key valid ({keys} key{'s' if keys != 1 else ''})",
        _installed(settings),
    ]
    detail = "; ".join(parts)
    if not has_secret:
        detail += f" (copy SLACK_CLIENT_SECRET from {APP_CREDENTIALS})"
    return "oauth", has_secret, detail


def _installed(settings: Settings) -> str:
    engine = None
    try:
        engine = make_engine(settings.database_url)
        count = count_installed(uow=UnitOfWorkFactory(make_session_factory(engine))())
    except Exception as exc:  # noqa: BLE001 - reported, not raised; the database line says more
        return f"installed workspaces unknown ({exc.__class__.__name__})"
    finally:
        if engine is not None:
            engine.dispose()
    return f"{counted(count, 'workspace')} installed"


def _slack(settings: Settings) -> tuple[str, bool, str]:
    if settings.slack_bot_token is None and settings.oauth_enabled:
        return "slack", True, "each workspace's token comes from its installation (OAuth)"
    if settings.slack_bot_token is None:
        return "slack", False, "SLACK_BOT_TOKEN is not set"
    try:
        auth = slack_client(settings).auth_test()
    except SlackApiError as exc:
        return "slack", False, f"auth.test refused: {exc.response.get('error')}"
    except OSError as exc:
        return "slack", False, f"cannot reach {settings.slack_api_url}: {exc}"
    return (
        "slack",
        True,
        f"authenticated as @{auth.get('user')} in {auth.get('team')} ({auth.get('team_id')})",
    )
