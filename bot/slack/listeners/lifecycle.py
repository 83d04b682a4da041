"""`app_uninstalled` and `tokens_revoked`: the workspace is deactivated and its posts paused."""

from __future__ import annotations

from slack_bolt import App

from bot.domain.deps import Deps
from bot.domain.workspaces import deactivate_workspace
from bot.slack.ids import Event
from bot.slack.parsing.payloads import team_of


def register(app: App) -> None:
    app.event(Event.APP_UNINSTALLED)(handle_app_uninstalled)
    app.event(Event.TOKENS_REVOKED)(handle_tokens_revoked)


def handle_app_uninstalled(body: dict, deps: Deps) -> None:
    deactivate(body, deps)


def handle_tokens_revoked(body: dict, event: dict, deps: Deps) -> None:
    # Only the bot token matters to Bravo; revoked user tokens change nothing.
    if (event.get("tokens") or {}).get("bot"):
        deactivate(body, deps)


def deactivate(body: dict, deps: Deps) -> None:
    team = team_of(body)
    if team.team_id:  # an organisation-wide event names no workspace
        deactivate_workspace(team, uow=deps.uow(), clock=deps.clock)
