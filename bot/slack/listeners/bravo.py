"""`/bravo`: help, settings (command and modal) and the principle library."""

from __future__ import annotations

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.domain import admin
from bot.domain.admin import Admin, SettingsRejected
from bot.domain.deps import Deps
from bot.domain.errors import BravoError
from bot.domain.leaderboard import LeaderboardRequest, build_profile
from bot.domain.model import TeamRef
from bot.domain.periods import normalise_period
from bot.domain.workspaces import language_of
from bot.slack.directory import SlackDirectory
from bot.slack.exporting import send_export
from bot.slack.ids import Command, View
from bot.slack.parsing import (
    BravoCommand,
    parse_bravo_command,
    parse_settings_submission,
    team_of,
)
from bot.slack.views.bravo import (
    build_export_started,
    build_export_usage,
    build_help,
    build_principle_added,
    build_principle_switched,
    build_principle_usage,
    build_principles,
    build_principles_text,
    build_set_usage,
    build_setting_changed,
    build_settings_modal,
    build_settings_saved,
    settings_errors,
)
from bot.slack.views.errors import build_error
from bot.slack.views.leaderboard import export_sent_text, render


def register(app: App, services: Deps) -> None:
    def who(team: TeamRef, client: WebClient, user: str) -> Admin:
        return Admin(team, user, SlackDirectory(client), services.defaults, services.managers)

    @app.command(Command.BRAVO)
    def handle_bravo_command(ack: Ack, command: dict, client: WebClient) -> None:
        request = parse_bravo_command(command.get("text", ""))
        asker = who(team_of(command), client, command["user_id"])
        handler = ACTIONS.get(request.action)
        if handler is None:
            language = language_of(
                command["team_id"], uow=services.uow(), defaults=services.defaults
            )
            unknown = request.args[0] if request.action == "unknown" else None
            ack(response_type="ephemeral", text=build_help(language, unknown=unknown))
            return
        handler(ack, request, asker, command, client)

    def set_one(ack: Ack, request: BravoCommand, asker: Admin, command: dict, client) -> None:
        if len(request.args) != 2:
            ack(
                response_type="ephemeral",
                text=build_set_usage(
                    language_of(asker.team.team_id, uow=services.uow(), defaults=services.defaults)
                ),
            )
            return
        changed, language = admin.set_setting(
            asker, *request.args, uow=services.uow(), clock=services.clock
        )
        ack(response_type="ephemeral", text=build_setting_changed(language, changed))

    def open_settings(ack: Ack, request: BravoCommand, asker: Admin, command: dict, client) -> None:
        snapshot = admin.snapshot(asker, uow=services.uow(), clock=services.clock)
        ack()
        client.views_open(trigger_id=command["trigger_id"], view=build_settings_modal(snapshot))

    def list_principles(
        ack: Ack, request: BravoCommand, asker: Admin, command: dict, client
    ) -> None:
        language, found = admin.principles(
            asker.team, services.defaults, uow=services.uow(), clock=services.clock
        )
        ack(
            response_type="ephemeral",
            text=build_principles_text(language),
            blocks=build_principles(language, found),
        )

    def add_principle(ack: Ack, request: BravoCommand, asker: Admin, command: dict, client) -> None:
        language = language_of(asker.team.team_id, uow=services.uow(), defaults=services.defaults)
        if len(request.args) != 2:
            ack(response_type="ephemeral", text=build_principle_usage(language))
            return
        slug, language = admin.add_own_principle(
            asker, *request.args, uow=services.uow(), clock=services.clock
        )
        ack(response_type="ephemeral", text=build_principle_added(language, slug))

    def switch_principle(
        ack: Ack, request: BravoCommand, asker: Admin, command: dict, client
    ) -> None:
        on = request.action == "principle-on"
        slug = request.args[0]
        language = admin.switch_library_principle(
            asker, slug, on, uow=services.uow(), clock=services.clock
        )
        ack(response_type="ephemeral", text=build_principle_switched(language, slug, on))

    def show_me(ack: Ack, request: BravoCommand, asker: Admin, command: dict, client) -> None:
        profile = build_profile(
            asker.team,
            asker.user,
            uow=services.uow(),
            clock=services.clock,
            directory=asker.directory,
            managers=services.managers,
            defaults=services.defaults,
        )
        text, blocks = render(profile)
        ack(response_type="ephemeral", text=text, blocks=blocks)

    def export(ack: Ack, request: BravoCommand, asker: Admin, command: dict, client) -> None:
        language = language_of(asker.team.team_id, uow=services.uow(), defaults=services.defaults)
        period = request.args[0] if request.args else "month"
        if normalise_period(period) is None:
            ack(response_type="ephemeral", text=build_export_usage(language, period))
            return
        ack(response_type="ephemeral", text=build_export_started(language))
        try:
            sent = send_export(
                LeaderboardRequest(team=asker.team, asker=asker.user, period=period),
                services=services,
                client=client,
            )
        except BravoError as refusal:
            respond_to(command, build_error(refusal, language))
            return
        respond_to(command, export_sent_text(sent.language, sent.rows))

    def respond_to(command: dict, text: str) -> None:
        WebhookClient(command["response_url"]).send(text=text, response_type="ephemeral")

    ACTIONS = {
        "me": show_me,
        "export": export,
        "set": set_one,
        "settings": open_settings,
        "principles": list_principles,
        "principle-add": add_principle,
        "principle-on": switch_principle,
        "principle-off": switch_principle,
    }

    @app.view(View.SETTINGS)
    def handle_settings_submission(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        asker = who(team_of(body), client, body["user"]["id"])
        try:
            applied = admin.apply_settings(
                asker, parse_settings_submission(view), uow=services.uow(), clock=services.clock
            )
        except SettingsRejected as rejected:
            language = language_of(
                asker.team.team_id, uow=services.uow(), defaults=services.defaults
            )
            ack(response_action="errors", errors=settings_errors(rejected.errors, language))
            return
        ack()
        client.chat_postMessage(channel=asker.user, text=build_settings_saved(applied.language))
