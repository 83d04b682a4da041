"""The kudos modal: opened by `/kudos` without text, the Give kudos shortcut and buttons.

Submitting it applies exactly the rules of the slash path (`give_kudos`, source: modal).
"""

from __future__ import annotations

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.deps import Deps
from bot.domain.kudos import give_kudos
from bot.domain.stories import form_context
from bot.slack.directory import SlackDirectory
from bot.slack.ids import Action, Shortcut, View
from bot.slack.parsing import team_of
from bot.slack.payloads import kudos_prefill, origin_of, parse_kudos_submission
from bot.slack.views.kudos import build_kudos_confirmation, kudos_confirmation_text
from bot.slack.views.modals import KudosPrefill, build_kudos_modal


def open_kudos_modal(
    client: WebClient, services: Deps, trigger_id: str, body: dict, prefill: KudosPrefill
) -> None:
    context = form_context(team_of(body), uow=services.uow(), defaults=services.defaults)
    client.views_open(trigger_id=trigger_id, view=build_kudos_modal(context, prefill))


def register(app: App, services: Deps) -> None:
    @app.shortcut(Shortcut.GIVE_KUDOS)
    def handle_give_kudos_shortcut(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        open_kudos_modal(client, services, body["trigger_id"], body, KudosPrefill())

    @app.action(Action.GIVE_KUDOS)
    def handle_give_kudos_button(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        open_kudos_modal(client, services, body["trigger_id"], body, kudos_prefill(body))

    @app.view(View.KUDOS)
    def handle_kudos_submission(ack: Ack, body: dict, client: WebClient) -> None:
        cmd = parse_kudos_submission(body)
        result = give_kudos(
            cmd,
            uow=services.uow(),
            clock=services.clock,
            directory=SlackDirectory(client),
            defaults=services.defaults,
        )
        ack()
        confirm(
            client,
            cmd.channel_id or origin_of(body["view"]),
            cmd.giver,
            kudos_confirmation_text(result),
            build_kudos_confirmation(result),
        )


def confirm(client: WebClient, channel: str | None, user: str, text: str, blocks: list) -> None:
    """Show the giver what was recorded: privately in the channel, or by DM where Bravo cannot."""
    if channel:
        try:
            client.chat_postEphemeral(channel=channel, user=user, text=text, blocks=blocks)
            return
        except SlackApiError:
            pass  # not in that channel (or it is gone): the DM below still reaches the giver
    client.chat_postMessage(channel=user, text=text, blocks=blocks)
