"""The leaderboard services on real databases: who sees what, profiles, exports.

The directory is a small fake of Slack's users.info and usergroups.users.list (a port the domain
defines), so every rule here runs the real services, repositories and SQL.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest

from bot.domain.export import prepare_export, weekly_series, write_csv
from bot.domain.leaderboard import (
    MEMBER_TOP,
    Audience,
    Leaderboard,
    LeaderboardRequest,
    ManagersOnly,
    Profile,
    UnknownScopeGroup,
    build_profile,
    show_leaderboard,
)
from bot.domain.model import (
    Kind,
    KindDecision,
    KindSource,
    Person,
    Source,
    TeamRef,
    WorkspaceDefaults,
)

TEAM = TeamRef("T0001")
DEFAULTS = WorkspaceDefaults(timezone="Europe/Amsterdam")
ADMIN, BOSS, LEAD, MEMBER = "U0ADMIN", "U0BOSS", "U0LEAD", "U0MEMBER"


class Directory:
    """What Slack would answer: an admin, a member of the managers group, plain members."""

    def __init__(self) -> None:
        self.groups = {"S0MANAGERS": [LEAD], "S0SUPPORT": ["U0R01", "U0R02", MEMBER]}

    def person(self, user_id: str) -> Person | None:
        return Person(user_id, user_id.title(), "Europe/Amsterdam", is_admin=user_id == ADMIN)

    def group_members(self, group_id: str) -> list[str] | None:
        return self.groups.get(group_id)


@pytest.fixture
def seeded(uow, clock):
    """14 people recognised this month: U0R01 most (14), U0R14 least (1); MEMBER gave them all."""
    with uow() as tx:
        workspace = tx.workspaces.ensure(TEAM, DEFAULTS, clock.now())
        for n in range(1, 15):
            for i in range(15 - n):
                tx.recognitions.add_shoutout(
                    workspace.id,
                    giver=MEMBER,
                    recipients=(f"U0R{n:02d}",),
                    reason="for a lovely save on the phone",
                    kind=KindDecision(
                        Kind.RECOVERY if i % 4 == 3 else Kind.SUCCESS, KindSource.TAG
                    ),
                    principles=("care",) if n == 2 else (),
                    source=Source.COMMAND,
                    channel_id="C0SUPPORT",
                    now=datetime(2026, 11, 2 + i, 12, tzinfo=UTC),
                )
        tx.commit()
    return workspace


def ask(services, asker: str, **fields) -> Leaderboard | Profile:
    return show_leaderboard(
        LeaderboardRequest(team=TEAM, asker=asker, **fields),
        uow=services.uow(),
        clock=services.clock,
        directory=Directory(),
        managers=services.managers,
        defaults=DEFAULTS,
    )


def test_members_see_the_top_ten_and_their_own_rank(services, seeded):
    board = ask(services, "U0R12")
    assert isinstance(board, Leaderboard) and board.audience is Audience.MEMBER
    assert [s.user_id for s in board.recipients.top] == [f"U0R{n:02d}" for n in range(1, 11)]
    assert len(board.recipients.top) == MEMBER_TOP
    assert board.recipients.mine.place == 12 and board.recipients.people == 14
    assert board.givers.top[0].user_id == MEMBER and board.givers.top[0].total == 105


@pytest.mark.parametrize("who", ["admin", "configured", "manager group"])
def test_managers_see_the_full_ranking(services, seeded, uow, who):
    asker = {"admin": ADMIN, "configured": BOSS, "manager group": LEAD}[who]
    with uow() as tx:
        tx.workspaces.update(seeded.id, manager_group="S0MANAGERS")
        tx.commit()
    services = type(services)(uow=services.uow, clock=services.clock, managers=(BOSS,))
    board = ask(services, asker)
    assert board.audience is Audience.MANAGER
    assert len(board.recipients.top) == 14


def test_under_managers_visibility_others_see_only_their_own_stats(services, seeded, uow):
    with uow() as tx:
        tx.workspaces.update(seeded.id, leaderboard_visibility="managers")
        tx.commit()
    own = ask(services, "U0R03")
    assert isinstance(own, Profile) and own.user_id == "U0R03"
    assert (own.received.total, own.place, own.shows_rank) == (12, None, False)
    other = ask(services, "U0R03", person="U0R01")
    assert other.user_id == "U0R03" and other.only_own
    assert isinstance(ask(services, ADMIN), Leaderboard)


def test_a_person_scope_gives_their_profile(services, seeded):
    profile = ask(services, "U0R05", person="U0R02")
    assert isinstance(profile, Profile) and not profile.is_self
    assert (profile.received.total, profile.received.success, profile.place) == (13, 10, 2)
    assert profile.principles == (("care", 13),)
    assert len(profile.trend) == 12
    assert sum(w.success + w.recovery for w in profile.trend) == 13


def test_bravo_me_is_the_askers_profile_for_all_time(services, seeded):
    profile = build_profile(
        TEAM, MEMBER, uow=services.uow(), clock=services.clock, directory=Directory()
    )
    assert profile.is_self and profile.window.period == "all"
    assert (profile.given, profile.received.total, profile.place) == (105, 0, None)
    assert profile.shows_rank


def test_a_user_group_scope_ranks_its_members(services, seeded):
    board = ask(services, "U0R02", group="S0SUPPORT")
    assert [s.user_id for s in board.recipients.top] == ["U0R01", "U0R02"]
    assert [s.user_id for s in board.givers.top] == [MEMBER]


def test_an_unknown_user_group_is_refused(services, seeded):
    with pytest.raises(UnknownScopeGroup):
        ask(services, "U0R02", group="S0NOPE")


def export(services, asker: str, **fields):
    return prepare_export(
        LeaderboardRequest(team=TEAM, asker=asker, **fields),
        uow=services.uow(),
        clock=services.clock,
        directory=Directory(),
        defaults=DEFAULTS,
    )


def test_a_non_manager_can_never_export(services, seeded):
    with pytest.raises(ManagersOnly):
        export(services, MEMBER, period="all")


def test_a_manager_exports_every_recognition_in_the_slice(services, seeded):
    job = export(services, ADMIN, principle="care")
    out = io.StringIO()
    assert write_csv(job, out, uow=services.uow()) == 13
    assert job.filename == "bravo-t0001-month.csv"
    series = weekly_series(job, uow=services.uow(), clock=services.clock)
    assert len(series.weeks) >= 12 and sum(series.success) + sum(series.recovery) == 13
