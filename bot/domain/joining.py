"""Joining in (SPEC 2.1b): the kudos emoji or "+1 Thanks too" on a Bravo announcement gives the
same thanks (reason, principles, kind) to the same people, from the person who joins, within
their own allowance. Slack-free; the rules are `give_kudos`'s.

One join per person per announcement (the request key `join:<shout-out>:<user>` and the
`conversation_thanks` row), so double clicks and Slack's retries add nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.applause import Reaction
from bot.domain.clock import Clock
from bot.domain.conversation import (
    Announcement,
    Messages,
    ThanksReply,
    is_kudos_emoji,
    kudos_emoji_of,
    take_back,
    thank_for_message,
)
from bot.domain.kudos import give_kudos
from bot.domain.model import GiveKudos, KudosGiven, Source, TeamRef, WorkspaceDefaults
from bot.domain.ports import Directory, UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class JoinRequest:
    """Someone wants to join in on the message at (channel, ts)."""

    team: TeamRef
    user: str
    channel: str
    ts: str
    event_id: str | None = None  # when it came as a reaction


@dataclass(frozen=True, slots=True)
class Joined:
    given: KudosGiven
    announcement: Announcement


def join_in(
    request: JoinRequest,
    *,
    uow: UnitOfWorkFactory,
    clock: Clock,
    directory: Directory,
    defaults: WorkspaceDefaults,
) -> Joined | None:
    """The joiner's own shout-out to the announcement's people (minus themselves). None when
    the message is not a Bravo announcement, the joiner gave it, or it was joined already."""
    with uow() as tx:
        workspace = tx.workspaces.by_team(request.team.team_id)
        post = tx.applause.post(workspace.id, request.channel, request.ts) if workspace else None
        original = tx.recognitions.card(post.shoutout_id) if post and post.shoutout_id else None
    if original is None or request.user == original.giver:
        return None
    recipients = tuple(r for r in original.recipients if r != request.user)
    if not recipients:
        return None
    cmd = GiveKudos(
        team=request.team,
        giver=request.user,
        user_ids=recipients,
        group_ids=(),
        reason=original.reason,
        principles=original.principles,
        kind=original.kind,
        channel_id=original.channel_id,
        source=Source.JOIN,
        request_key=f"join:{original.id}:{request.user}",
        event_id=request.event_id,
    )

    def link(tx: UnitOfWork, workspace_id: int, shoutout_id: int, now: datetime) -> None:
        tx.conversation.add(
            workspace_id, kind=Source.JOIN.value, channel=request.channel, ts=request.ts,
            giver=request.user, shoutout_id=shoutout_id, now=now, joined_shoutout_id=original.id,
        )  # fmt: skip

    given = give_kudos(
        cmd, uow=uow(), clock=clock, directory=directory, defaults=defaults, after=link
    )
    if given.replayed:
        return None
    with uow() as tx:
        card = tx.recognitions.card(original.id)
    return Joined(given, Announcement(card, request.channel, request.ts))


def is_announcement(team: TeamRef, channel: str, ts: str, *, uow: UnitOfWork) -> bool:
    """Whether the message at (channel, ts) is a Bravo shout-out announcement."""
    with uow:
        workspace = uow.workspaces.by_team(team.team_id)
        post = uow.applause.post(workspace.id, channel, ts) if workspace else None
    return bool(post and post.shoutout_id)


def react_with_kudos(
    reaction: Reaction,
    *,
    uow: UnitOfWorkFactory,
    clock: Clock,
    directory: Directory,
    messages: Messages,
    defaults: WorkspaceDefaults,
) -> ThanksReply | Announcement | None:
    """The kudos emoji added (a teammate's message thanked, or a Bravo announcement joined) or
    removed (taken back the same day); what to show in Slack now, or None."""
    if not reaction.added:
        return take_back(reaction, uow=uow, clock=clock)
    if not is_kudos_emoji(reaction.emoji, kudos_emoji_of(reaction.team.team_id, uow=uow())):
        return None
    if is_announcement(reaction.team, reaction.channel, reaction.ts, uow=uow()):
        request = JoinRequest(
            reaction.team, reaction.user, reaction.channel, reaction.ts, reaction.event_id
        )
        joined = join_in(request, uow=uow, clock=clock, directory=directory, defaults=defaults)
        return joined.announcement if joined else None
    return thank_for_message(
        reaction, uow=uow, clock=clock, directory=directory, messages=messages, defaults=defaults
    )
