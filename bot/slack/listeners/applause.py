"""Applause: the workspace's emoji as a reaction on a Bravo post, and the Applaud button."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.domain.applause import press_applaud, react
from bot.domain.deps import Deps
from bot.domain.model import StoryCard
from bot.slack.ids import Action, Event
from bot.slack.parsing.applause import parse_applaud, parse_reaction
from bot.slack.views.stories import build_story_card


def register(app: App) -> None:
    app.event(Event.REACTION_ADDED)(handle_reaction)
    app.event(Event.REACTION_REMOVED)(handle_reaction)
    app.action(Action.APPLAUD)(handle_applaud)


def handle_reaction(body: dict, client: WebClient, context: BoltContext, deps: Deps) -> None:
    changed = react(
        parse_reaction(body), uow=deps.uow(), clock=deps.clock, bot_user=context.bot_user_id
    )
    if changed and changed.story:
        refresh_card(client, changed.story)


def handle_applaud(ack: Ack, body: dict, client: WebClient, deps: Deps) -> None:
    ack()
    changed = press_applaud(parse_applaud(body), uow=deps.uow(), clock=deps.clock)
    if changed.story:
        refresh_card(client, changed.story)


def refresh_card(client: WebClient, card: StoryCard) -> None:
    """Show the new applause count on the card's button."""
    if card.message_channel and card.message_ts:
        text, blocks = build_story_card(card)
        client.chat_update(
            channel=card.message_channel, ts=card.message_ts, text=text, blocks=blocks
        )
