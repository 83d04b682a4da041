"""Thanking in the conversation (SPEC 2.1b): the kudos emoji on a teammate's message and taking
it back. Slack-free; the rules are `give_kudos`'s, so nothing here can be more lenient.

A reaction thanks the message's author with the message's own words (and its permalink) as the
reason. Each thanks is one shout-out per person per message (`conversation_thanks`, and the
request key `reaction:<channel>:<ts>:<user>`), so Slack's retries (also deduplicated on the
event id) never thank twice. Joining in on an announcement is in `bot.domain.joining`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from bot.domain.applause import Reaction
from bot.domain.clock import Clock, local_day_bounds
from bot.domain.kudos import REASON_MAX, give_kudos
from bot.domain.model import GiveKudos, ShoutoutCard, Source, TeamRef, Workspace, WorkspaceDefaults
from bot.domain.ports import Directory, UnitOfWork, UnitOfWorkFactory

DEFAULT_KUDOS_EMOJI = "raised_hands"
PENDING = "pending"  # the reply's ts while its first poster is posting it


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """A message as Bravo read it back: its author and its text already made plain."""

    user: str | None
    text: str
    from_bot: bool = False


class Messages(Protocol):
    """Reading a message someone reacted to (needs the history scopes)."""

    def message(self, channel: str, ts: str) -> ChatMessage | None: ...
    def permalink(self, channel: str, ts: str) -> str | None: ...


@dataclass(frozen=True, slots=True)
class ThanksReply:
    """Bravo's one reply under a thanked message, as it should read now.

    `reply_ts` is the posted reply to update; `post` is set for the one caller that posts it.
    """

    team: TeamRef
    channel: str
    message_ts: str
    author: str
    givers: tuple[str, ...]
    language: str
    reply_ts: str | None = None
    post: bool = False


@dataclass(frozen=True, slots=True)
class Announcement:
    """A Bravo announcement to refresh (its "Also thanked by" line changed)."""

    card: ShoutoutCard
    channel: str
    ts: str


def is_kudos_emoji(emoji: str, kudos_emoji: str | None) -> bool:
    """`raised_hands` and any skin tone of it count; nothing counts when the setting is off."""
    return bool(kudos_emoji) and emoji.split("::", 1)[0] == kudos_emoji


def kudos_emoji_of(team_id: str, *, uow: UnitOfWork) -> str | None:
    """The workspace's kudos emoji (the default for a workspace not seen yet; None: off)."""
    with uow:
        workspace = uow.workspaces.by_team(team_id)
    return workspace.kudos_emoji if workspace else DEFAULT_KUDOS_EMOJI


def reaction_reason(text: str, permalink: str | None) -> str:
    """The message's words, cut to fit the reason limit, followed by its permalink.

    The link is part of the reason, so a short message ("ty!") still says what it was for: the
    minimum length is met by the link, never waived.
    """
    words = " ".join(text.split())
    room = REASON_MAX - (len(permalink) + 1 if permalink else 0)
    if len(words) > room:
        words = words[: max(room - 1, 0)].rstrip() + "…"
    return f"{words}\n{permalink}".strip() if permalink else words


def thank_for_message(
    reaction: Reaction,
    *,
    uow: UnitOfWorkFactory,
    clock: Clock,
    directory: Directory,
    messages: Messages,
    defaults: WorkspaceDefaults,
) -> ThanksReply | None:
    """The kudos emoji on a teammate's message: its author is thanked for it. None when nothing
    happens, quietly (own message, a bot's, a retry); a refusal of the rules is raised."""
    author = reaction.item_user
    if not author or author == reaction.user:
        return None
    person = directory.person(author)
    if person is None or person.is_bot or person.deleted:
        return None
    message = messages.message(reaction.channel, reaction.ts)
    if message is None or message.from_bot or (message.user and message.user != author):
        return None
    cmd = GiveKudos(
        team=reaction.team,
        giver=reaction.user,
        user_ids=(author,),
        group_ids=(),
        reason=reaction_reason(message.text, messages.permalink(reaction.channel, reaction.ts)),
        channel_id=reaction.channel,
        source=Source.REACTION,
        request_key=f"reaction:{reaction.channel}:{reaction.ts}:{reaction.user}"[:80],
        event_id=reaction.event_id,
    )
    claimed: list[bool] = []

    def link(tx: UnitOfWork, workspace_id: int, shoutout_id: int, now: datetime) -> None:
        where = (workspace_id, reaction.channel, reaction.ts)
        tx.conversation.add(
            workspace_id, kind=Source.REACTION.value, channel=reaction.channel,
            ts=reaction.ts, giver=reaction.user, shoutout_id=shoutout_id, now=now,
        )  # fmt: skip
        tx.conversation.open_reply(*where, author, now)
        claimed.append(tx.conversation.claim_reply(*where))

    given = give_kudos(
        cmd, uow=uow(), clock=clock, directory=directory, defaults=defaults, after=link
    )
    reply = None if given.replayed else thanks_reply(*_where(reaction), uow=uow())
    if reply and claimed and claimed[0]:
        return replace(reply, reply_ts=None, post=True)
    return reply


def thanks_reply(team: TeamRef, channel: str, ts: str, *, uow: UnitOfWork) -> ThanksReply | None:
    """The reply under the message at (channel, ts) as it should read now (None: never
    thanked by reaction)."""
    with uow:
        workspace = uow.workspaces.by_team(team.team_id)
        found = uow.conversation.reply(workspace.id, channel, ts) if workspace else None
        if found is None:
            return None
        givers = uow.conversation.givers(workspace.id, channel, ts)
    author, reply_ts = found
    return ThanksReply(
        team, channel, ts, author, tuple(givers), workspace.language,
        reply_ts=None if reply_ts == PENDING else reply_ts,
    )  # fmt: skip


def reply_posted(reply: ThanksReply, reply_ts: str | None, *, uow: UnitOfWork) -> None:
    """Remember where the reply went (None: it could not be posted; the next thanks tries)."""
    with uow:
        workspace = uow.workspaces.by_team(reply.team.team_id)
        if workspace:
            uow.conversation.set_reply(workspace.id, reply.channel, reply.message_ts, reply_ts)
            uow.commit()


def take_back(
    reaction: Reaction, *, uow: UnitOfWorkFactory, clock: Clock
) -> ThanksReply | Announcement | None:
    """The kudos emoji removed on the giver's own local day: that thanks is taken back (its
    recognitions gone from every count, the allowance returned). Later, the thanks stays."""
    now = clock.now()
    with uow().serialized() as tx:
        workspace = tx.workspaces.by_team(reaction.team.team_id)
        if workspace is None or not is_kudos_emoji(reaction.emoji, workspace.kudos_emoji):
            return None
        found = tx.conversation.find(workspace.id, reaction.channel, reaction.ts, reaction.user)
        if found is None or not _same_day(tx, workspace, reaction.user, found[1], now):
            return None
        if not tx.events.first_delivery(workspace.id, reaction.event_id, now):
            return None
        tx.conversation.take_back(found[0])
        post = tx.applause.post(workspace.id, reaction.channel, reaction.ts)
        card = tx.recognitions.card(post.shoutout_id) if post and post.shoutout_id else None
        tx.commit()
    if card is not None:  # a join taken back: the announcement loses that name
        return Announcement(card, reaction.channel, reaction.ts)
    return thanks_reply(*_where(reaction), uow=uow())


def _where(reaction: Reaction) -> tuple[TeamRef, str, str]:
    return reaction.team, reaction.channel, reaction.ts


def _same_day(tx: UnitOfWork, workspace: Workspace, giver: str, at: datetime, now: datetime):
    """Whether `at` is on the giver's current local day (their Slack time zone, else the
    workspace's): the day their allowance counts."""
    cached = tx.members.get_many(workspace.id, [giver]).get(giver)
    tz = (cached[0].tz if cached and cached[0].tz else None) or workspace.timezone
    try:
        start, _ = local_day_bounds(now, tz)
    except (KeyError, ValueError):
        start, _ = local_day_bounds(now, workspace.timezone)
    return at >= start
