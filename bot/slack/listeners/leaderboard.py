"""`/leaderboard` and its Export CSV button."""

from __future__ import annotations

from datetime import timedelta

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.domain.deps import Deps
from bot.domain.leaderboard import show_leaderboard
from bot.domain.presses import first_press, press_key
from bot.domain.principles import principle_slugs
from bot.domain.workspaces import language_of
from bot.slack.directory import SlackDirectory
from bot.slack.exporting import export_to_dm
from bot.slack.ids import Action, Command
from bot.slack.parsing.leaderboard import Usage, parse_export_action, parse_leaderboard_command
from bot.slack.parsing.payloads import press_of
from bot.slack.views.leaderboard import render, usage

# An export takes a few seconds; a second press of the same button within this is a double click.
EXPORT_DOUBLE_CLICK = timedelta(seconds=5)


def register(app: App) -> None:
    app.command(Command.LEADERBOARD)(handle_leaderboard_command)
    app.action(Action.LEADERBOARD_EXPORT)(handle_leaderboard_export)


def handle_leaderboard_command(ack: Ack, command: dict, client: WebClient, deps: Deps) -> None:
    team = command["team_id"]
    request = parse_leaderboard_command(command, principles=principle_slugs(team, uow=deps.uow()))
    if isinstance(request, Usage):
        language = language_of(team, uow=deps.uow(), defaults=deps.defaults)
        ack(response_type="ephemeral", text=usage(language, request.word))
        return
    result = show_leaderboard(
        request,
        uow=deps.uow(),
        clock=deps.clock,
        directory=SlackDirectory(client),
        managers=deps.managers,
        defaults=deps.defaults,
    )
    text, blocks = render(result)
    ack(response_type="ephemeral", text=text, blocks=blocks)


def handle_leaderboard_export(
    ack: Ack, body: dict, client: WebClient, respond: Respond, deps: Deps
) -> None:
    ack()
    request = parse_export_action(body)
    parts, at = press_of(body)
    key = press_key("export", request.team.team_id, *parts)
    if first_press(request.team, key, at, EXPORT_DOUBLE_CLICK, uow=deps.uow()):
        export_to_dm(request, deps=deps, client=client, respond=respond)
