"""`app_uninstalled` and `tokens_revoked`: the workspace is deactivated and its posts paused."""

from __future__ import annotations

from slack_bolt import App

from bot.domain.deps import Deps
from bot.domain.workspaces import deactivate_workspace
from bot.slack.ids import Event
from bot.slack.parsing import team_of


def register(app: App, services: Deps) -> None:
    def deactivate(body: dict) -> None:
        team = team_of(body)
        if team.team_id:  # an organisation-wide event names no workspace
            deactivate_workspace(team, uow=services.uow(), clock=services.clock)

    @app.event(Event.APP_UNINSTALLED)
    def handle_app_uninstalled(body: dict) -> None:
        deactivate(body)

    @app.event(Event.TOKENS_REVOKED)
    def handle_tokens_revoked(body: dict, event: dict) -> None:
        # Only the bot token matters to Bravo; revoked user tokens change nothing.
        if (event.get("tokens") or {}).get("bot"):
            deactivate(body)
