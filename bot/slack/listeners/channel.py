"""Bravo added to a channel: a short intro there (once, whatever Slack retries)."""

from __future__ import annotations

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.domain.deps import Deps
from bot.domain.home import bot_joined
from bot.slack.ids import Event
from bot.slack.parsing.payloads import team_of
from bot.slack.views.home import build_intro


def register(app: App) -> None:
    app.event(Event.MEMBER_JOINED_CHANNEL)(handle_member_joined_channel)


def handle_member_joined_channel(
    event: dict, body: dict, client: WebClient, context: BoltContext, deps: Deps
) -> None:
    if event.get("user") != context.bot_user_id:  # someone else joined: not Bravo's business
        return
    workspace = bot_joined(
        team_of(body),
        body.get("event_id") or f"joined:{event['channel']}:{body.get('event_time')}",
        uow=deps.uow(),
        clock=deps.clock,
        defaults=deps.defaults,
    )
    if workspace is None:
        return
    text, blocks = build_intro(workspace.language, workspace.applause_emoji)
    client.chat_postMessage(channel=event["channel"], text=text, blocks=blocks)
