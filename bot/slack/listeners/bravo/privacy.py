"""`/bravo forget <@U..>` (admins: a confirmation, then the erasure) and `/bravo me export`."""

from __future__ import annotations

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.domain.deps import Deps
from bot.domain.errors import BravoError
from bot.domain.privacy import forget_person, plan_forget
from bot.domain.workspaces import language_of
from bot.slack.exporting import send_my_data
from bot.slack.listeners.bravo.call import BravoCall, admin_of
from bot.slack.parsing.payloads import team_of
from bot.slack.parsing.privacy import parse_forget_press, parse_forget_target
from bot.slack.views.errors import build_error
from bot.slack.views.privacy import (
    build_forget_cancelled,
    build_forget_confirmation,
    build_forget_usage,
    build_forgotten,
    build_my_export_sent,
    build_my_export_started,
)


def handle_bravo_forget(call: BravoCall) -> None:
    """Show what forgetting the person would do, with the button that does it."""
    deps, asker = call.deps, call.asker
    target = parse_forget_target(call.request.args)
    if target is None:
        language = language_of(asker.team.team_id, uow=deps.uow(), defaults=deps.defaults)
        call.ack(response_type="ephemeral", text=build_forget_usage(language))
        return
    plan = plan_forget(asker, target, uow=deps.uow(), clock=deps.clock)
    text, blocks = build_forget_confirmation(plan)
    call.ack(response_type="ephemeral", text=text, blocks=blocks)


def handle_forget_confirm(
    ack: Ack, body: dict, client: WebClient, respond: Respond, deps: Deps
) -> None:
    """The admin confirmed: forget the person, then replace the confirmation with the result.

    Refusals are answered here, after the ack (see `bot.slack.exporting.export_to_dm`).
    """
    ack()
    press = parse_forget_press(body)
    who = admin_of(press.team, press.actor, client, deps)
    try:
        done = forget_person(who, press.target, press.pseudonym, uow=deps.uow(), clock=deps.clock)
    except BravoError as refusal:
        language = language_of(press.team.team_id, uow=deps.uow(), defaults=deps.defaults)
        respond(
            replace_original=False, response_type="ephemeral", text=build_error(refusal, language)
        )
        return
    respond(replace_original=True, response_type="ephemeral", text=build_forgotten(done))


def handle_forget_cancel(ack: Ack, body: dict, respond: Respond, deps: Deps) -> None:
    ack()
    language = language_of(team_of(body).team_id, uow=deps.uow(), defaults=deps.defaults)
    respond(replace_original=True, response_type="ephemeral", text=build_forget_cancelled(language))


def handle_bravo_me_export(call: BravoCall) -> None:
    """Acknowledge at once; the files and the "sent" note follow (uploads take a few calls)."""
    deps, asker = call.deps, call.asker
    language = language_of(asker.team.team_id, uow=deps.uow(), defaults=deps.defaults)
    call.ack(response_type="ephemeral", text=build_my_export_started(language))
    language = send_my_data(asker.team, asker.user, deps=deps, client=call.client)
    call.respond(
        replace_original=False, response_type="ephemeral", text=build_my_export_sent(language)
    )
