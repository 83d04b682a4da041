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
from bot.slack.parsing.kudos import kudos_prefill, parse_kudos_submission
from bot.slack.parsing.payloads import origin_of, team_of
from bot.slack.parsing.prefill import KudosPrefill
from bot.slack.views.kudos import build_kudos_confirmation, kudos_confirmation_text
from bot.slack.views.modals import build_kudos_modal


def register(app: App) -> None:
    app.shortcut(Shortcut.GIVE_KUDOS)(handle_give_kudos_shortcut)
    app.action(Action.GIVE_KUDOS)(handle_give_kudos_button)
    app.view(View.KUDOS)(handle_kudos_submission)


def handle_give_kudos_shortcut(ack: Ack, body: dict, client: WebClient, deps: Deps) -> None:
    ack()
    open_kudos_modal(client, deps, body["trigger_id"], body, KudosPrefill())


def handle_give_kudos_button(ack: Ack, body: dict, client: WebClient, deps: Deps) -> None:
    ack()
    open_kudos_modal(client, deps, body["trigger_id"], body, kudos_prefill(body))


def handle_kudos_submission(ack: Ack, body: dict, client: WebClient, deps: Deps) -> None:
    cmd = parse_kudos_submission(body)
    result = give_kudos(
        cmd,
        uow=deps.uow(),
        clock=deps.clock,
        directory=SlackDirectory(client),
        defaults=deps.defaults,
    )
    ack()
    if result.replayed:  # a second submit of the same modal: the first was confirmed
        return
    confirm(
        client,
        cmd.channel_id or origin_of(body["view"]),
        cmd.giver,
        kudos_confirmation_text(result),
        build_kudos_confirmation(result),
    )


def open_kudos_modal(
    client: WebClient, deps: Deps, trigger_id: str, body: dict, prefill: KudosPrefill
) -> None:
    context = form_context(team_of(body), uow=deps.uow(), defaults=deps.defaults)
    client.views_open(trigger_id=trigger_id, view=build_kudos_modal(context, prefill))


def confirm(client: WebClient, channel: str | None, user: str, text: str, blocks: list) -> None:
    """Show the giver what was recorded: privately in the channel, or by DM where Bravo cannot."""
    if channel:
        try:
            client.chat_postEphemeral(channel=channel, user=user, text=text, blocks=blocks)
            return
        except SlackApiError:
            pass  # not in that channel (or it is gone): the DM below still reaches the giver
    client.chat_postMessage(channel=user, text=text, blocks=blocks)
