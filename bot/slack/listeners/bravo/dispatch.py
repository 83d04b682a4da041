"""`/bravo <subcommand>`: parse, then hand the call to the subcommand's handler (or help)."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.domain.deps import Deps
from bot.domain.workspaces import language_of
from bot.slack.listeners.bravo.call import BravoCall, admin_of
from bot.slack.listeners.bravo.me import handle_bravo_export, handle_bravo_me
from bot.slack.listeners.bravo.principles import (
    handle_bravo_principle_add,
    handle_bravo_principle_switch,
    handle_bravo_principles,
)
from bot.slack.listeners.bravo.privacy import handle_bravo_forget, handle_bravo_me_export
from bot.slack.listeners.bravo.settings import handle_bravo_set, handle_bravo_settings
from bot.slack.parsing.bravo import parse_bravo_command
from bot.slack.parsing.payloads import team_of
from bot.slack.views.bravo import build_help

SUBCOMMANDS: dict[str, Callable[[BravoCall], None]] = {
    "me": handle_bravo_me,
    "export": handle_bravo_export,
    "me-export": handle_bravo_me_export,
    "forget": handle_bravo_forget,
    "set": handle_bravo_set,
    "settings": handle_bravo_settings,
    "principles": handle_bravo_principles,
    "principle-add": handle_bravo_principle_add,
    "principle-on": handle_bravo_principle_switch,
    "principle-off": handle_bravo_principle_switch,
}


def handle_bravo_command(
    ack: Ack, command: dict, client: WebClient, respond: Respond, deps: Deps
) -> None:
    request = parse_bravo_command(command.get("text", ""))
    asker = admin_of(team_of(command), command["user_id"], client, deps)
    call = BravoCall(ack, request, asker, command, client, respond, deps)
    SUBCOMMANDS.get(request.action, handle_bravo_help)(call)


def handle_bravo_help(call: BravoCall) -> None:
    """`/bravo help`, and what to say to anything Bravo does not understand."""
    deps, request = call.deps, call.request
    language = language_of(call.command["team_id"], uow=deps.uow(), defaults=deps.defaults)
    unknown = request.args[0] if request.action == "unknown" else None
    call.ack(response_type="ephemeral", text=build_help(language, unknown=unknown))
