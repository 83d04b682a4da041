"""Workspaces and their member cache."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import bindparam, exists, select, update
from sqlalchemy.orm import Session

from bot.domain.model import Person, TeamRef, Workspace, WorkspaceDefaults
from bot.domain.schedule import PostKind
from storage.dialect import dialect_insert
from storage.driver import Prepared, PreparedBySize, in_list, listed, utc
from storage.models import MemberRow, PostRow, WorkspaceRow

# Statements every `/kudos` runs before its ack, built once (see storage.recognitions).
_W, _M = WorkspaceRow.__table__, MemberRow.__table__
# Run for every `/kudos` on the driver's cursor (storage.driver): plain columns, in this order.
_WORKSPACE_COLUMNS = (
    "id",
    "team_id",
    "enterprise_id",
    "timezone",
    "language",
    "allowance",
    "active",
    "stories_channel",
    "leaderboard_visibility",
    "applause_emoji",
    "kudos_emoji",
    "manager_group",
    "admin_user_id",
)
_WORKSPACE_BY_TEAM = Prepared(
    select(*(_W.c[name] for name in _WORKSPACE_COLUMNS)).where(_W.c.team_id == bindparam("team_id"))
)
_MEMBER_COLUMNS = ("user_id", "name", "tz", "is_admin", "is_owner", "is_bot", "deleted")
_MEMBERS = PreparedBySize(
    lambda n: select(*(_M.c[name] for name in _MEMBER_COLUMNS), _M.c.refreshed_at).where(
        _M.c.workspace_id == bindparam("workspace_id"),
        in_list(_M.c.user_id, n, "user"),
    )
)
_LOCK_MEMBER = (
    select(_M.c.user_id)
    .where(_M.c.workspace_id == bindparam("workspace_id"), _M.c.user_id == bindparam("user_id"))
    .with_for_update()
)


def _workspace(row) -> Workspace:
    return Workspace(
        id=row.id,
        team_id=row.team_id,
        enterprise_id=row.enterprise_id,
        timezone=row.timezone,
        language=row.language,
        allowance=row.allowance,
        active=row.active,
        stories_channel=row.stories_channel,
        leaderboard_visibility=row.leaderboard_visibility,
        applause_emoji=row.applause_emoji,
        kudos_emoji=row.kudos_emoji,
        manager_group=row.manager_group,
        admin_user_id=row.admin_user_id,
    )


class WorkspaceRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def ensure(self, team: TeamRef, defaults: WorkspaceDefaults, now: datetime) -> Workspace:
        """The workspace for `team`, created with `defaults` the first time it is seen."""
        row = self.session.scalar(select(WorkspaceRow).where(WorkspaceRow.team_id == team.team_id))
        if row is None:
            self.session.execute(
                dialect_insert(self.session, WorkspaceRow)
                .values(
                    team_id=team.team_id,
                    enterprise_id=team.enterprise_id,
                    timezone=defaults.timezone,
                    language=defaults.language,
                    allowance=defaults.allowance,
                    active=True,
                    created_at=now,
                )
                .on_conflict_do_nothing(index_elements=["team_id"])
            )
            row = self.session.scalars(
                select(WorkspaceRow).where(WorkspaceRow.team_id == team.team_id)
            ).one()
        return _workspace(row)

    def by_team(self, team_id: str) -> Workspace | None:
        rows = _WORKSPACE_BY_TEAM.execute(self.session, {"team_id": team_id})
        if not rows:
            return None
        values = dict(zip(_WORKSPACE_COLUMNS, rows[0], strict=True))
        return Workspace(**values | {"active": bool(values["active"])})

    def get(self, workspace_id: int) -> Workspace:
        return _workspace(self.session.get_one(WorkspaceRow, workspace_id))

    def active(self, team_id: str | None = None, *, unsynced: str | None = None) -> list[Workspace]:
        """Active workspaces (or the team's); with `unsynced`, only those whose member sync of
        that period is not in the ledger yet (the clock's every tick would otherwise read them
        all, 10,000 rows, to claim none)."""
        stmt = select(WorkspaceRow).where(WorkspaceRow.active.is_(True)).order_by(WorkspaceRow.id)
        if team_id:
            stmt = stmt.where(WorkspaceRow.team_id == team_id)
        if unsynced is not None:
            stmt = stmt.where(
                ~exists().where(
                    PostRow.workspace_id == WorkspaceRow.id,
                    PostRow.channel_id == "",
                    PostRow.kind == PostKind.MEMBERS.value,
                    PostRow.period == unsynced,
                )
            )
        return [_workspace(row) for row in self.session.scalars(stmt)]

    SETTABLE = frozenset(
        {
            "timezone",
            "language",
            "allowance",
            "stories_channel",
            "leaderboard_visibility",
            "applause_emoji",
            "kudos_emoji",
            "manager_group",
            "admin_user_id",
        }
    )

    def update(self, workspace_id: int, **values: object) -> None:
        """Change workspace settings (only the columns in SETTABLE)."""
        unknown = set(values) - self.SETTABLE
        if unknown:
            raise ValueError(f"not a workspace setting: {sorted(unknown)}")
        self.session.execute(
            update(WorkspaceRow).where(WorkspaceRow.id == workspace_id).values(**values)
        )

    def set_active(self, workspace_id: int, active: bool, now: datetime) -> None:
        self.session.execute(
            update(WorkspaceRow)
            .where(WorkspaceRow.id == workspace_id)
            .values(active=active, deactivated_at=None if active else now)
        )


class MemberRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get_many(
        self, workspace_id: int, user_ids: Iterable[str]
    ) -> dict[str, tuple[Person, datetime]]:
        """Cached people by id, each with when it was last refreshed from Slack."""
        wanted = sorted(set(user_ids))
        if not wanted:
            return {}
        values = listed(wanted, "user") | {"workspace_id": workspace_id}
        rows = _MEMBERS(len(wanted)).execute(self.session, values)
        return {
            user_id: (
                Person(user_id, name, tz, bool(admin), bool(owner), bool(bot), bool(deleted)),
                utc(refreshed_at),
            )
            for user_id, name, tz, admin, owner, bot, deleted, refreshed_at in rows
        }

    def upsert(self, workspace_id: int, people: Sequence[Person], now: datetime) -> None:
        if not people:
            return
        values = [
            dict(
                workspace_id=workspace_id,
                user_id=p.user_id,
                name=p.name,
                tz=p.tz,
                is_admin=p.is_admin,
                is_owner=p.is_owner,
                is_bot=p.is_bot,
                deleted=p.deleted,
                refreshed_at=now,
            )
            for p in people
        ]
        stmt = dialect_insert(self.session, MemberRow).values(values)
        changed = {c: stmt.excluded[c] for c in values[0] if c not in ("workspace_id", "user_id")}
        self.session.execute(
            stmt.on_conflict_do_update(index_elements=["workspace_id", "user_id"], set_=changed)
        )

    def lock(self, workspace_id: int, user_id: str) -> None:
        """Serialise concurrent writes about one person (row lock on PostgreSQL; SQLite
        serialises writers by itself)."""
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.connection().execute(
                _LOCK_MEMBER, {"workspace_id": workspace_id, "user_id": user_id}
            )
