"""Every admin- and manager-only service refuses a plain member, and changes nothing, on real
databases. (The leaderboard's manager views and exports: tests/test_leaderboard_service.py;
forgetting: tests/test_privacy.py; over HTTP: tests/test_roles_e2e.py.)"""

from __future__ import annotations

import pytest

from bot.domain import admin
from bot.domain.admin import Admin
from bot.domain.model import Person, TeamRef, WorkspaceDefaults
from bot.domain.workspaces import KEYS, NotAManager

TEAM = TeamRef("T0001")
DEFAULTS = WorkspaceDefaults(timezone="Europe/Amsterdam")
ANA, MEMBER = "U0ANA", "U0MEMBER"
GOOD = {  # a value each key accepts, so a refusal can only come from who asks
    "stories-channel": "<#C0LOVE>",
    "principle-channel": "<#C0LOVE>",
    "principle-time": "08:30",
    "principle-days": "mon-fri",
    "digest-channel": "<#C0LOVE>",
    "digest-day": "thu",
    "digest-time": "16:00",
    "leaderboard-channel": "<#C0LOVE>",
    "timezone": "America/New_York",
    "language": "nl",
    "allowance": "9",
    "leaderboard": "managers",
    "applause-emoji": "tada",
    "kudos-emoji": "star",
    "managers": "<!subteam^S0LEADS>",
}


class Directory:
    def person(self, user_id: str) -> Person | None:
        return Person(user_id, user_id.title(), is_admin=user_id == ANA)

    def group_members(self, group_id: str) -> list[str] | None:
        return []


def asking(user: str) -> Admin:
    return Admin(TEAM, user, Directory(), DEFAULTS)


def state(db) -> list:
    """Everything a settings or principle change could touch."""
    return [
        db.rows("SELECT * FROM workspaces"),
        db.rows("SELECT * FROM targets ORDER BY kind"),
        db.rows("SELECT * FROM workspace_principles ORDER BY slug"),
    ]


def test_every_key_accepts_its_good_value_from_an_admin(services):
    assert set(GOOD) == set(KEYS)
    for key, value in GOOD.items():
        changed, _ = admin.set_setting(
            asking(ANA), key, value, uow=services.uow(), clock=services.clock
        )
        assert changed.key == key


@pytest.mark.parametrize("key", KEYS)
def test_a_member_cannot_set_any_key(services, db, key):
    admin.snapshot(asking(ANA), uow=services.uow(), clock=services.clock)  # the workspace exists
    before = state(db)
    with pytest.raises(NotAManager):
        admin.set_setting(asking(MEMBER), key, GOOD[key], uow=services.uow(), clock=services.clock)
    assert state(db) == before


def test_a_member_cannot_open_or_submit_the_settings_modal(services, db):
    with pytest.raises(NotAManager):
        admin.snapshot(asking(MEMBER), uow=services.uow(), clock=services.clock)
    before = state(db)
    with pytest.raises(NotAManager):
        admin.apply_settings(asking(MEMBER), GOOD, uow=services.uow(), clock=services.clock)
    assert state(db) == before


def test_a_member_cannot_add_or_switch_principles(services, db):
    before = state(db)
    with pytest.raises(NotAManager):
        admin.add_own_principle(
            asking(MEMBER),
            "Follow up",
            "Call back the next day",
            uow=services.uow(),
            clock=services.clock,
        )
    for on in (False, True):
        with pytest.raises(NotAManager):
            admin.switch_library_principle(
                asking(MEMBER), "care", on, uow=services.uow(), clock=services.clock
            )
    assert state(db)[2] == before[2] == []
