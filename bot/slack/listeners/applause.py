"""Applause: the workspace's emoji as a reaction on a Bravo post, and the Applaud button."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.domain.applause import press_applaud, react
from bot.domain.deps import Deps
from bot.domain.model import StoryCard
from bot.slack.ids import Action, Event
from bot.slack.payloads import parse_applaud, parse_reaction
from bot.slack.views.stories import build_story_card


def register(app: App, services: Deps) -> None:
    @app.event(Event.REACTION_ADDED)
    @app.event(Event.REACTION_REMOVED)
    def handle_reaction(body: dict, client: WebClient, context: BoltContext) -> None:
        changed = react(
            parse_reaction(body),
            uow=services.uow(),
            clock=services.clock,
            bot_user=context.bot_user_id,
        )
        if changed and changed.story:
            refresh_card(client, changed.story)

    @app.action(Action.APPLAUD)
    def handle_applaud(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        changed = press_applaud(parse_applaud(body), uow=services.uow(), clock=services.clock)
        if changed.story:
            refresh_card(client, changed.story)


def refresh_card(client: WebClient, card: StoryCard) -> None:
    """Show the new applause count on the card's button."""
    if card.message_channel and card.message_ts:
        text, blocks = build_story_card(card)
        client.chat_update(
            channel=card.message_channel, ts=card.message_ts, text=text, blocks=blocks
        )
