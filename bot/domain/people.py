"""Looking people up through the member cache, refreshing from the directory when stale."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.domain.model import Person
from bot.domain.ports import Directory

if TYPE_CHECKING:
    from storage.uow import UnitOfWork

# users.info is Tier 4; a few hours is fresh enough to notice deactivations and moves.
MEMBER_TTL = timedelta(hours=6)


def resolve_people(
    uow: UnitOfWork,
    workspace_id: int,
    user_ids: Iterable[str],
    *,
    directory: Directory,
    now: datetime,
) -> dict[str, Person | None]:
    """Each id mapped to its Person (None if Slack does not know it), caching what was fetched."""
    wanted = list(dict.fromkeys(user_ids))
    cached = uow.members.get_many(workspace_id, wanted)
    found: dict[str, Person | None] = {}
    fetched: list[Person] = []
    for user_id in wanted:
        hit = cached.get(user_id)
        if hit and now - hit[1] < MEMBER_TTL:
            found[user_id] = hit[0]
            continue
        person = directory.person(user_id)
        found[user_id] = person
        if person is not None:
            fetched.append(person)
    uow.members.upsert(workspace_id, fetched, now)
    return found


def store_directory(
    uow: UnitOfWork, workspace_id: int, people: Iterable[Person], now: datetime, *, chunk: int = 500
) -> int:
    """Refresh the member cache from a full directory listing; returns how many were stored."""
    stored, batch = 0, []
    for person in people:
        batch.append(person)
        if len(batch) == chunk:
            uow.members.upsert(workspace_id, batch, now)
            stored, batch = stored + len(batch), []
    uow.members.upsert(workspace_id, batch, now)
    return stored + len(batch)
