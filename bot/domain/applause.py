"""Applause (SPEC 1, 2.2): the workspace's emoji or the Applaud button on a Bravo post.

One per person per post, whichever way it was given; none for the people a post is by or about;
Slack's event retries count once (deduplicated on the event id).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.domain.clock import Clock
from bot.domain.errors import BravoError, NotFound
from bot.domain.model import BravoPost, StoryCard, TeamRef
from bot.domain.ports import UnitOfWork
from bot.domain.presses import press_key

# Two presses of Applaud by one person on one post closer than this are one double click: the
# toggle would otherwise applaud and take it back at once.
DOUBLE_CLICK = timedelta(seconds=1)


class SelfApplause(BravoError):
    key = "applause.error.self"


@dataclass(frozen=True, slots=True)
class Reaction:
    """A reaction_added or reaction_removed event on a message."""

    team: TeamRef
    user: str
    emoji: str  # as Slack sends it: "clap" or "clap::skin-tone-2"
    channel: str
    ts: str
    event_id: str
    at: datetime  # when it happened, by Slack's clock
    added: bool
    item_user: str | None = None  # who posted the message, when Slack says


@dataclass(frozen=True, slots=True)
class Press:
    """Someone pressed the Applaud button on the message at (channel, ts)."""

    team: TeamRef
    user: str
    channel: str
    ts: str
    at: datetime | None = None  # when it was pressed, by Slack's clock (the action_ts)


@dataclass(frozen=True, slots=True)
class ApplauseChanged:
    applauded: bool  # whether the person applauds the post now
    count: int
    story: StoryCard | None = None  # the card to refresh, when the post is a story card


def is_applause(emoji: str, workspace_emoji: str) -> bool:
    """`clap` and any skin tone of it (`clap::skin-tone-2`) count as `clap`."""
    return emoji.split("::", 1)[0] == workspace_emoji.strip(":")


def react(
    reaction: Reaction, *, uow: UnitOfWork, clock: Clock, bot_user: str | None = None
) -> ApplauseChanged | None:
    """Add or take back applause for a reaction; None when nothing changed."""
    if reaction.item_user and bot_user and reaction.item_user != bot_user:
        return None  # someone else's message: not a Bravo post
    with uow:
        workspace = uow.workspaces.by_team(reaction.team.team_id)
        if workspace is None or not is_applause(reaction.emoji, workspace.applause_emoji):
            return None
        post = uow.applause.post(workspace.id, reaction.channel, reaction.ts)
        if post is None or reaction.user in post.owners:
            return None
        if not uow.events.first_delivery(workspace.id, reaction.event_id, clock.now()):
            return None
        if reaction.added:
            changed = uow.applause.add(workspace.id, post, reaction.user, reaction.at)
        else:
            changed = uow.applause.remove(workspace.id, post, reaction.user)
        result = _changed(uow, workspace.id, post, reaction.added)
        uow.commit()
    return result if changed else None


def press_applaud(press: Press, *, uow: UnitOfWork, clock: Clock) -> ApplauseChanged:
    """The Applaud button toggles: a first press applauds, a second takes it back; a press
    within DOUBLE_CLICK of the last one counted changes nothing."""
    with uow:
        workspace = uow.workspaces.by_team(press.team.team_id)
        post = uow.applause.post(workspace.id, press.channel, press.ts) if workspace else None
        if post is None:
            raise NotFound()
        if press.user in post.owners:
            raise SelfApplause()
        if press.at and not uow.events.first_within(
            workspace.id, _press_key(press), press.at, DOUBLE_CLICK
        ):
            applauded = uow.applause.has(workspace.id, post, press.user)
            return replace(_changed(uow, workspace.id, post, applauded), story=None)  # as it was
        if uow.applause.has(workspace.id, post, press.user):
            uow.applause.remove(workspace.id, post, press.user)
            applauded = False
        else:
            uow.applause.add(workspace.id, post, press.user, clock.now())
            applauded = True
        result = _changed(uow, workspace.id, post, applauded)
        uow.commit()
    return result


def _press_key(press: Press) -> str:
    return press_key("applaud", press.team.team_id, press.channel, press.ts, press.user)


def _changed(uow: UnitOfWork, workspace_id: int, post: BravoPost, applauded: bool):
    story = uow.stories.card(post.story_id) if post.story_id else None
    count = story.applause if story else uow.applause.count(workspace_id, post.channel, post.ts)
    return ApplauseChanged(applauded=applauded, count=count, story=story)
