"""Thanking in the conversation: `@Bravo` mentions, the kudos emoji on a teammate's message (and
taking it back), and joining in on an announcement by emoji or "+1 Thanks too".

Events are acked by Bolt before these run; a refusal the person should read is sent here, as an
ephemeral message in that channel (the error handler cannot answer an event).
"""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.conversation import (
    Announcement,
    ThanksReply,
    is_kudos_emoji,
    kudos_emoji_of,
    reply_posted,
    thanks_reply,
)
from bot.domain.deps import Deps
from bot.domain.errors import BravoError, Busy
from bot.domain.joining import join_in, react_with_kudos
from bot.domain.kudos import give_kudos
from bot.domain.principles import principle_slugs
from bot.domain.workspaces import language_of
from bot.slack.directory import SlackDirectory
from bot.slack.error_handler import describe
from bot.slack.ids import Action, Event
from bot.slack.messages import SlackMessages
from bot.slack.parsing.applause import parse_reaction
from bot.slack.parsing.conversation import parse_mention, parse_thanks_too
from bot.slack.parsing.payloads import team_of
from bot.slack.views.conversation import build_thanks_reply, mention_hint
from bot.slack.views.kudos import (
    build_kudos_announcement,
    build_kudos_confirmation,
    kudos_confirmation_text,
)


def register(app: App) -> None:
    app.event(Event.APP_MENTION)(handle_app_mention)
    # Before applause (listeners/applause.py): Bolt runs the first listener that matches.
    app.event(Event.REACTION_ADDED, matchers=[is_kudos_reaction])(handle_kudos_reaction)
    app.event(Event.REACTION_REMOVED, matchers=[is_kudos_reaction])(handle_kudos_reaction)
    app.action(Action.THANKS_TOO)(handle_thanks_too)


def is_kudos_reaction(body: dict, context: BoltContext) -> bool:
    """Matcher: the workspace's kudos emoji (any skin tone), added or removed; never when off.
    Other reactions go on to the applause listener."""
    deps = context.get("deps")
    emoji = str((body.get("event") or {}).get("reaction") or "")
    if deps is None or not emoji:
        return False
    return is_kudos_emoji(emoji, kudos_emoji_of(team_of(body).team_id, uow=deps.uow()))


def handle_app_mention(body: dict, client: WebClient, context: BoltContext, deps: Deps) -> None:
    team = team_of(body).team_id
    principles = principle_slugs(team, uow=deps.uow())
    cmd = parse_mention(body, bot_user=context.bot_user_id, principles=principles)
    if cmd is None or not cmd.channel_id:
        return
    if not (cmd.user_ids or cmd.group_ids):
        hint = mention_hint(language_of(team, uow=deps.uow(), defaults=deps.defaults))
        whisper(client, cmd.channel_id, cmd.giver, hint, thread_ts=cmd.thread_ts)
        return
    try:
        result = give_kudos(
            cmd,
            uow=deps.uow(),
            clock=deps.clock,
            directory=SlackDirectory(client),
            defaults=deps.defaults,
        )
    except Busy:  # offer the mention again as typed: Slack will not resend an acked event
        typed = body["event"].get("text", "").replace(f"<@{context.bot_user_id}>", "").strip()
        busy = Busy(command="@Bravo", text=typed)
        refuse(client, deps, team, cmd.channel_id, cmd.giver, busy, thread_ts=cmd.thread_ts)
        return
    except BravoError as error:
        refuse(client, deps, team, cmd.channel_id, cmd.giver, error, thread_ts=cmd.thread_ts)
        return
    if not result.replayed:
        text, blocks = kudos_confirmation_text(result), build_kudos_confirmation(result)
        whisper(client, cmd.channel_id, cmd.giver, text, blocks, thread_ts=cmd.thread_ts)


def handle_kudos_reaction(body: dict, client: WebClient, deps: Deps) -> None:
    reaction = parse_reaction(body)
    directory = SlackDirectory(client)
    try:
        changed = react_with_kudos(
            reaction,
            uow=deps.uow,
            clock=deps.clock,
            directory=directory,
            messages=SlackMessages(client, directory),
            defaults=deps.defaults,
        )
    except BravoError as error:
        refuse(client, deps, reaction.team.team_id, reaction.channel, reaction.user, error)
        return
    show(client, deps, changed)


def handle_thanks_too(ack: Ack, body: dict, client: WebClient, deps: Deps) -> None:
    ack()
    joined = join_in(
        parse_thanks_too(body),
        uow=deps.uow,
        clock=deps.clock,
        directory=SlackDirectory(client),
        defaults=deps.defaults,
    )
    if joined:
        show(client, deps, joined.announcement)


def show(client: WebClient, deps: Deps, changed: ThanksReply | Announcement | None) -> None:
    """Refresh what the conversation shows: the reply under a message, or an announcement."""
    if isinstance(changed, Announcement):
        text, blocks = build_kudos_announcement(changed.card)
        client.chat_update(channel=changed.channel, ts=changed.ts, text=text, blocks=blocks)
    elif isinstance(changed, ThanksReply) and changed.post:
        post_reply(client, deps, changed)
    elif isinstance(changed, ThanksReply) and changed.reply_ts:
        text, blocks = build_thanks_reply(changed)
        client.chat_update(channel=changed.channel, ts=changed.reply_ts, text=text, blocks=blocks)


def post_reply(client: WebClient, deps: Deps, reply: ThanksReply) -> None:
    """The first thanks on a message: Bravo's one reply in its thread."""
    text, blocks = build_thanks_reply(reply)
    try:
        ts = client.chat_postMessage(
            channel=reply.channel, thread_ts=reply.message_ts, text=text, blocks=blocks
        )["ts"]
    except SlackApiError:
        reply_posted(reply, None, uow=deps.uow())  # the next thanks posts it
        raise
    reply_posted(reply, ts, uow=deps.uow())
    latest = thanks_reply(reply.team, reply.channel, reply.message_ts, uow=deps.uow())
    if latest and latest.givers != reply.givers:  # someone joined while it was being posted
        text, blocks = build_thanks_reply(latest)
        client.chat_update(channel=reply.channel, ts=ts, text=text, blocks=blocks)


def refuse(client, deps, team, channel, user, error: BravoError, thread_ts=None) -> None:
    """A refusal of the rules, privately to the person, in the channel where they acted."""
    message = describe(error, language_of(team, uow=deps.uow(), defaults=deps.defaults))
    whisper(client, channel, user, message, thread_ts=thread_ts)


def whisper(client, channel, user, text, blocks=None, *, thread_ts=None) -> None:
    """An ephemeral message (in the thread, when there is one)."""
    extra = {"thread_ts": thread_ts} if thread_ts else {}
    client.chat_postEphemeral(channel=channel, user=user, text=text, blocks=blocks, **extra)
