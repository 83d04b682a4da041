"""`/bravo`: help, settings (command and modal), the principle library, `me`, `export`,
`me export` and `forget` (with its confirmation buttons).

`dispatch` reads the subcommand and hands it to its group's module.
"""

from __future__ import annotations

from slack_bolt import App

from bot.slack.ids import Action, Command, View
from bot.slack.listeners.bravo.dispatch import handle_bravo_command
from bot.slack.listeners.bravo.privacy import handle_forget_cancel, handle_forget_confirm
from bot.slack.listeners.bravo.settings import handle_settings_submission


def register(app: App) -> None:
    app.command(Command.BRAVO)(handle_bravo_command)
    app.view(View.SETTINGS)(handle_settings_submission)
    app.action(Action.FORGET_CONFIRM)(handle_forget_confirm)
    app.action(Action.FORGET_CANCEL)(handle_forget_cancel)
