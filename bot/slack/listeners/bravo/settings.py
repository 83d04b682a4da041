"""`/bravo set <setting> <value>`, `/bravo settings` and the settings modal it opens."""

from __future__ import annotations

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.domain import admin
from bot.domain.admin import SettingsRejected
from bot.domain.deps import Deps
from bot.domain.workspaces import language_of
from bot.slack.listeners.bravo.call import BravoCall, admin_of
from bot.slack.parsing.bravo import parse_settings_submission
from bot.slack.parsing.payloads import team_of
from bot.slack.views.bravo import (
    build_set_usage,
    build_setting_changed,
    build_settings_modal,
    build_settings_saved,
    settings_errors,
)


def handle_bravo_set(call: BravoCall) -> None:
    deps, asker = call.deps, call.asker
    if len(call.request.args) != 2:
        language = language_of(asker.team.team_id, uow=deps.uow(), defaults=deps.defaults)
        call.ack(response_type="ephemeral", text=build_set_usage(language))
        return
    changed, language = admin.set_setting(
        asker, *call.request.args, uow=deps.uow(), clock=deps.clock
    )
    call.ack(response_type="ephemeral", text=build_setting_changed(language, changed))


def handle_bravo_settings(call: BravoCall) -> None:
    snapshot = admin.snapshot(call.asker, uow=call.deps.uow(), clock=call.deps.clock)
    call.ack()
    call.client.views_open(
        trigger_id=call.command["trigger_id"], view=build_settings_modal(snapshot)
    )


def handle_settings_submission(
    ack: Ack, body: dict, view: dict, client: WebClient, deps: Deps
) -> None:
    asker = admin_of(team_of(body), body["user"]["id"], client, deps)
    try:
        applied = admin.apply_settings(
            asker, parse_settings_submission(view), uow=deps.uow(), clock=deps.clock
        )
    except SettingsRejected as rejected:
        language = language_of(asker.team.team_id, uow=deps.uow(), defaults=deps.defaults)
        ack(response_action="errors", errors=settings_errors(rejected.errors, language))
        return
    ack()
    client.chat_postMessage(channel=asker.user, text=build_settings_saved(applied.language))
