"""`/kudos` and the kind switch on its confirmation."""

from __future__ import annotations

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.domain.deps import Deps
from bot.domain.kudos import give_typed_kudos, switch_kind
from bot.slack.acks import on_the_request_thread
from bot.slack.directory import SlackDirectory
from bot.slack.ids import Action, Command
from bot.slack.listeners.kudos_modal import open_kudos_modal
from bot.slack.parsing.kudos import parse_kudos_command, parse_switch_kind
from bot.slack.parsing.payloads import team_of
from bot.slack.parsing.prefill import KudosPrefill
from bot.slack.views.kudos import (
    build_kind_switched,
    build_kudos_confirmation,
    kudos_confirmation_text,
)


def register(app: App) -> None:
    app.command(Command.KUDOS, middleware=[on_the_request_thread(_answered_on_the_request_thread)])(
        handle_kudos_command
    )
    app.action(Action.SWITCH_KIND)(handle_switch_kind)


def _typed(command: dict) -> bool:
    """A `/kudos` with text: its listener's `ack()` is the last thing it does."""
    return bool((command.get("text") or "").strip())


def _answered_on_the_request_thread(command: dict) -> bool:
    """A typed `/kudos` naming no user group: it runs on the request thread. One naming a group
    asks Slack for its members first; it stays in Bolt's executor, whose 3 s wait for the ack
    frees the request thread if Slack is slow."""
    return _typed(command) and "<!subteam^" not in command.get("text", "")


def handle_kudos_command(ack: Ack, command: dict, client: WebClient, deps: Deps) -> None:
    if not _typed(command):  # no text: the kudos modal
        ack()
        prefill = KudosPrefill(origin_channel=command.get("channel_id") or None)
        open_kudos_modal(client, deps, command["trigger_id"], command, prefill)
        return
    result = give_typed_kudos(
        team_of(command),
        lambda principles: parse_kudos_command(command, principles=principles),
        uow=deps.uow(),
        clock=deps.clock,
        directory=SlackDirectory(client),
        defaults=deps.defaults,
    )
    ack(  # the last thing: this may run on the request thread, which answers after it
        response_type="ephemeral",
        text=kudos_confirmation_text(result),
        blocks=build_kudos_confirmation(result),
    )


def handle_switch_kind(ack: Ack, body: dict, respond: Respond, deps: Deps) -> None:
    ack()
    request = parse_switch_kind(body)
    language = switch_kind(
        request.team, request.shoutout_id, request.kind, by=request.user, uow=deps.uow()
    )
    respond(
        replace_original=True,
        response_type="ephemeral",
        text=" ",
        blocks=build_kind_switched(language, request.kind, request.shoutout_id),
    )
