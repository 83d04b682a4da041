"""How many transactions a shout-out takes (`bot.domain.kudos._give`), on real databases: when
everyone named is in the member cache and no group is named, one serialised transaction checks
the rules and stores it (each transaction costs about 150 µs before its statements);
otherwise Slack is asked first, outside the write transaction, and the result is the same."""

from __future__ import annotations

from datetime import timedelta

import pytest

import storage.uow
from bot.domain.errors import InvalidRecipients
from bot.domain.kudos import give_kudos
from bot.domain.model import GiveKudos, Person, TeamRef, WorkspaceDefaults
from bot.domain.people import MEMBER_TTL
from bot.domain.workspaces import ensure_workspace

TEAM = TeamRef("T0TX")
DEFAULTS = WorkspaceDefaults(timezone="Europe/Amsterdam")


class Directory:
    """Slack's directory: who it knows, and who was asked for."""

    def __init__(self, *known: str, groups: dict[str, list[str]] | None = None) -> None:
        self.known, self.groups = set(known), groups or {}
        self.asked: list[str] = []

    def person(self, user_id: str) -> Person | None:
        self.asked.append(user_id)
        return Person(user_id, name=user_id) if user_id in self.known else None

    def group_members(self, group_id: str) -> list[str] | None:
        self.asked.append(group_id)
        return self.groups.get(group_id)


@pytest.fixture
def transactions(monkeypatch) -> list[str]:
    """Each unit of work entered: 'serialised' or 'plain'."""
    seen: list[str] = []
    enter = storage.uow.UnitOfWork.__enter__

    def counted(self):
        seen.append("serialised" if self._serialized else "plain")
        return enter(self)

    monkeypatch.setattr(storage.uow.UnitOfWork, "__enter__", counted)
    return seen


def cache(uow, clock, *user_ids: str, age: timedelta = timedelta(0)) -> None:
    with uow() as tx:
        workspace = ensure_workspace(tx, TEAM, DEFAULTS, clock.now())
        tx.members.upsert(workspace.id, [Person(u, name=u) for u in user_ids], clock.now() - age)
        tx.commit()


def kudos(*users: str, groups: tuple[str, ...] = (), key: str = "trigger:1") -> GiveKudos:
    return GiveKudos(TEAM, "U0GIVER", users, groups, "for the calm call with ACME", request_key=key)


def test_everyone_cached_is_one_serialised_transaction(uow, clock, db, transactions):
    cache(uow, clock, "U0GIVER", "U1", "U2")
    transactions.clear()
    directory = Directory()
    given = give_kudos(
        kudos("U1", "U2"), uow=uow(), clock=clock, directory=directory, defaults=DEFAULTS
    )
    assert transactions == ["serialised"]
    assert directory.asked == []
    assert given.recipients == ("U1", "U2") and given.remaining == 3
    assert db.scalar("SELECT count(*) FROM recognitions") == 2
    assert db.scalar("SELECT count(*) FROM outbox") == 2  # no channel: the two DMs


@pytest.mark.parametrize("why", ["not cached", "stale", "a group"])
def test_otherwise_slack_is_asked_outside_the_write_transaction(uow, clock, db, transactions, why):
    cache(uow, clock, "U0GIVER", "U1")
    if why == "stale":
        cache(uow, clock, "U2", age=MEMBER_TTL + timedelta(minutes=1))
    if why == "a group":  # everyone cached: only the group is asked for
        cache(uow, clock, "U2")
    transactions.clear()
    directory = Directory("U2", groups={"S1": ["U2"]})
    cmd = kudos("U1", groups=("S1",)) if why == "a group" else kudos("U1", "U2")
    given = give_kudos(cmd, uow=uow(), clock=clock, directory=directory, defaults=DEFAULTS)
    # A try that found it must ask, then the lookup, then the store; a group is asked at once.
    tried = [] if why == "a group" else ["serialised"]
    assert transactions == [*tried, "plain", "serialised"]
    assert directory.asked == (["S1"] if why == "a group" else ["U2"])
    assert set(given.recipients) == {"U1", "U2"}
    assert db.scalar("SELECT count(*) FROM recognitions") == 2
    if why != "a group":  # what Slack said is cached: the next one is one transaction
        transactions.clear()
        again = kudos("U2", key="trigger:2")
        give_kudos(again, uow=uow(), clock=clock, directory=directory, defaults=DEFAULTS)
        assert transactions == ["serialised"] and directory.asked == ["U2"]


def test_a_refusal_found_in_the_cache_asks_nobody_and_stores_nothing(uow, clock, db, transactions):
    cache(uow, clock, "U0GIVER", "U1")
    with uow() as tx:
        workspace = tx.workspaces.by_team(TEAM.team_id)
        tx.members.upsert(workspace.id, [Person("UBOT", is_bot=True)], clock.now())
        tx.commit()
    transactions.clear()
    directory = Directory()
    with pytest.raises(InvalidRecipients):
        give_kudos(
            kudos("U1", "UBOT"), uow=uow(), clock=clock, directory=directory, defaults=DEFAULTS
        )
    assert transactions == ["serialised"] and directory.asked == []
    assert db.scalar("SELECT count(*) FROM shoutouts") == 0


def test_a_request_seen_before_is_answered_from_the_cache_without_storing_again(
    uow, clock, db, transactions
):
    cache(uow, clock, "U0GIVER", "U1")
    first = give_kudos(
        kudos("U1"), uow=uow(), clock=clock, directory=Directory(), defaults=DEFAULTS
    )
    transactions.clear()
    again = give_kudos(
        kudos("U1"), uow=uow(), clock=clock, directory=Directory(), defaults=DEFAULTS
    )
    assert transactions == ["serialised"]
    assert again.replayed and again.shoutout_id == first.shoutout_id
    assert db.scalar("SELECT count(*) FROM shoutouts") == 1


def test_a_deactivated_workspace_is_reactivated_in_a_transaction_of_its_own(
    uow, clock, db, transactions
):
    """Reactivating resumes the workspace's posts: that is committed even when the shout-out
    is then refused (its allowance spent), so it is not done in the shout-out's transaction."""
    cache(uow, clock, "U0GIVER", "U1")
    with uow() as tx:
        tx.workspaces.set_active(tx.workspaces.by_team(TEAM.team_id).id, False, clock.now())
        tx.commit()
    transactions.clear()
    give_kudos(kudos("U1"), uow=uow(), clock=clock, directory=Directory(), defaults=DEFAULTS)
    assert transactions == ["serialised", "plain", "serialised"]
    assert db.scalar("SELECT active FROM workspaces") in (True, 1)
