"""Looking people up through the member cache, refreshing from the directory when stale; and
the six-hourly sync that refreshes each workspace's whole cache, claimed in the ledger."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from bot.domain.clock import Clock
from bot.domain.model import Claim, Person, Workspace
from bot.domain.ports import Directory, UnitOfWork
from bot.domain.schedule import PostKind, sync_period

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
    found, stale = _from_cache(uow, workspace_id, user_ids, now)
    fetched: list[Person] = []
    for user_id in stale:
        person = directory.person(user_id)
        found[user_id] = person
        if person is not None:
            fetched.append(person)
    uow.members.upsert(workspace_id, fetched, now)
    return found


def cached_people(
    uow: UnitOfWork, workspace_id: int, user_ids: Iterable[str], *, now: datetime
) -> dict[str, Person | None] | None:
    """Each id mapped to its cached Person, or None when any is missing or stale (Slack would
    have to be asked: `resolve_people`)."""
    found, stale = _from_cache(uow, workspace_id, user_ids, now)
    return None if stale else found


def _from_cache(
    uow: UnitOfWork, workspace_id: int, user_ids: Iterable[str], now: datetime
) -> tuple[dict[str, Person | None], list[str]]:
    """The people cached and fresh, and the ids missing or stale, in the order given."""
    wanted = list(dict.fromkeys(user_ids))
    cached = uow.members.get_many(workspace_id, wanted)
    found: dict[str, Person | None] = {}
    stale: list[str] = []
    for user_id in wanted:
        hit = cached.get(user_id)
        if hit and now - hit[1] < MEMBER_TTL:
            found[user_id] = hit[0]
        else:
            stale.append(user_id)
    return found, stale


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


def claim_member_syncs(
    now: datetime, *, uow: UnitOfWork, team_id: str | None = None
) -> list[tuple[Claim, Workspace]]:
    """Claim the sync of every active workspace (or one) not yet synced in this six-hour window."""
    period = sync_period(now)
    with uow:  # those synced in this window already are not read: most ticks, all of them
        workspaces = uow.workspaces.active(team_id, unsynced=period)
        claims = uow.posts.claim_many(
            [(w.id, "", PostKind.MEMBERS, period) for w in workspaces], now
        )
        uow.commit()
    by_id = {w.id: w for w in workspaces}
    return [(claim, by_id[claim.workspace_id]) for claim in claims]


def sync_directory(
    claim: Claim, people: Iterable[Person], now: datetime, *, uow: UnitOfWork, clock: Clock
) -> int:
    """Store a full directory listing and record the claimed sync as done; returns how many
    people were stored. Whatever reading `people` raises leaves nothing stored."""
    with uow:
        count = store_directory(uow, claim.workspace_id, people, now)
        uow.posts.finish(claim.post_id, "sent", clock.now(), subject=str(count)[:64])
        uow.commit()
    return count


def record_failed_sync(claim: Claim, error: str, *, uow: UnitOfWork, clock: Clock) -> None:
    with uow:
        uow.posts.finish(claim.post_id, "failed", clock.now(), error=error[:120])
        uow.commit()
