"""Button presses that must not count twice: a double click arrives as two presses a moment
apart, each with its own Slack `action_ts`; the first within a window wins."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from bot.domain.model import TeamRef
from bot.domain.ports import UnitOfWork


def press_key(action: str, *parts: str) -> str:
    """A processed-event id for presses of `action` by one person on one message (64 chars)."""
    return f"{action}:" + hashlib.sha256(":".join(parts).encode()).hexdigest()[:40]


def first_press(
    team: TeamRef, key: str, at: datetime | None, window: timedelta, *, uow: UnitOfWork
) -> bool:
    """True for a press that counts; False for the second press of a double click."""
    if at is None:  # Slack always sends action_ts; without it there is nothing to compare
        return True
    with uow:
        workspace = uow.workspaces.by_team(team.team_id)
        if workspace is None:
            return True
        first = uow.events.first_within(workspace.id, key, at, window)
        uow.commit()
    return first
