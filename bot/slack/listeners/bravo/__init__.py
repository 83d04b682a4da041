"""`/bravo`: help, settings (command and modal), the principle library, `me` and `export`.

`dispatch` reads the subcommand and hands it to its group's module.
"""

from __future__ import annotations

from slack_bolt import App

from bot.slack.ids import Command, View
from bot.slack.listeners.bravo.dispatch import handle_bravo_command
from bot.slack.listeners.bravo.settings import handle_settings_submission


def register(app: App) -> None:
    app.command(Command.BRAVO)(handle_bravo_command)
    app.view(View.SETTINGS)(handle_settings_submission)
