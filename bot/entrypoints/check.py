"""`bravo check`: settings, database and Slack auth, as a readable report."""

from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from slack_sdk.errors import SlackApiError

from bot.entrypoints.runtime import slack_client
from bot.settings import Settings
from storage.db import make_engine
from storage.migrate import alembic_config


def run_checks(settings: Settings) -> int:
    """Print one line per check; the exit code is 1 when any check failed."""
    results = [("settings", True, _describe(settings))]
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


def _slack(settings: Settings) -> tuple[str, bool, str]:
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
