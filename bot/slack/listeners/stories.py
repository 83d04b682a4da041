"""`/story`, the Share a story shortcut and button, Save as success story, and the story modal."""

from __future__ import annotations

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.deps import Deps
from bot.domain.model import TeamRef
from bot.domain.principles import principle_slugs
from bot.domain.stories import form_context, people_names, share_story
from bot.slack.directory import SlackDirectory
from bot.slack.ids import Action, Command, Shortcut, View
from bot.slack.parsing.payloads import team_of
from bot.slack.parsing.prefill import StoryPrefill
from bot.slack.parsing.stories import (
    message_of,
    parse_story_command,
    parse_story_message,
    parse_story_submission,
    story_prefill,
)
from bot.slack.parsing.tokens import mentioned_users
from bot.slack.views.modals import build_story_modal, build_story_shared


def register(app: App) -> None:
    app.command(Command.STORY)(handle_story_command)
    app.shortcut(Shortcut.SHARE_STORY)(handle_share_story_shortcut)
    app.action(Action.SHARE_STORY)(handle_share_story_button)
    app.shortcut(Shortcut.STORY_FROM_MESSAGE)(handle_story_from_message)
    app.view(View.STORY)(handle_story_submission)


def handle_story_command(ack: Ack, command: dict, client: WebClient, deps: Deps) -> None:
    ack()
    team = team_of(command)
    prefill = parse_story_command(command, principles=principle_slugs(team.team_id, uow=deps.uow()))
    open_story_modal(client, deps, command["trigger_id"], team, prefill)


def handle_share_story_shortcut(ack: Ack, body: dict, client: WebClient, deps: Deps) -> None:
    ack()
    open_story_modal(client, deps, body["trigger_id"], team_of(body), StoryPrefill())


def handle_share_story_button(ack: Ack, body: dict, client: WebClient, deps: Deps) -> None:
    ack()
    open_story_modal(client, deps, body["trigger_id"], team_of(body), story_prefill(body))


def handle_story_from_message(ack: Ack, body: dict, client: WebClient, deps: Deps) -> None:
    ack()
    team = team_of(body)
    channel, ts, text = message_of(body)
    names = people_names(
        team,
        mentioned_users(text),
        uow=deps.uow(),
        clock=deps.clock,
        directory=SlackDirectory(client),
        defaults=deps.defaults,
    )
    prefill = parse_story_message(body, permalink=permalink(client, channel, ts), names=names)
    open_story_modal(client, deps, body["trigger_id"], team, prefill)


def handle_story_submission(ack: Ack, body: dict, client: WebClient, deps: Deps) -> None:
    result = share_story(
        parse_story_submission(body),
        uow=deps.uow(),
        clock=deps.clock,
        directory=SlackDirectory(client),
        defaults=deps.defaults,
    )
    ack(response_action="update", view=build_story_shared(result))


def open_story_modal(
    client: WebClient, deps: Deps, trigger_id: str, team: TeamRef, prefill: StoryPrefill
) -> None:
    context = form_context(team, uow=deps.uow(), defaults=deps.defaults)
    client.views_open(trigger_id=trigger_id, view=build_story_modal(context, prefill))


def permalink(client: WebClient, channel: str, ts: str) -> str | None:
    """The message's permalink; a story saved from a message Bravo cannot see has none."""
    try:
        return client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"]
    except SlackApiError:
        return None
