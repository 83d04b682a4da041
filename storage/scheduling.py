"""Targets (what is posted where and when) and the ledger of scheduled posts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from bot.domain.model import Claim, DueTarget, Target
from bot.domain.recovery import UNVERIFIABLE
from bot.domain.schedule import PostKind
from storage import scheduling_sql
from storage.dialect import dialect_insert
from storage.driver import Prepared
from storage.models import PostRow, TargetRow, WorkspaceRow
from storage.scheduling_sql import TARGET_COLUMNS

# A post whose outcome is unknown, or being checked by a clock that may have died doing it.
UNSETTLED = ("unknown", "checking")
# Every scheduled post's outcome (`PostRepository.finish`): built once, run on the driver's cursor.
_FINISH = Prepared(
    update(PostRow.__table__)
    .where(PostRow.__table__.c.id == bindparam("post_id"))
    .values(
        {
            name: bindparam(name, type_=PostRow.__table__.c[name].type)
            for name in ("status", "message_ts", "error", "subject", "featured", "finished_at")
        }
    )
)


def _target(row: TargetRow) -> Target:
    return Target(
        row.id,
        row.workspace_id,
        PostKind(row.kind),
        row.channel_id,
        row.local_time,
        row.days,
        row.enabled,
        row.paused_reason,
        row.next_run_at,
    )


class TargetRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def for_workspace(self, workspace_id: int) -> dict[PostKind, Target]:
        rows = self.session.scalars(select(TargetRow).where(TargetRow.workspace_id == workspace_id))
        return {PostKind(r.kind): _target(r) for r in rows}

    def upsert(
        self,
        workspace_id: int,
        kind: PostKind,
        *,
        channel_id: str,
        local_time: str,
        days: str,
        enabled: bool,
        next_run_at: datetime | None,
    ) -> None:
        """Create or change the workspace's target of `kind`; un-pauses it."""
        values = dict(
            workspace_id=workspace_id,
            kind=kind.value,
            channel_id=channel_id,
            local_time=local_time,
            days=days,
            enabled=enabled,
            paused_reason=None,
            next_run_at=next_run_at,
        )
        stmt = dialect_insert(self.session, TargetRow).values(values)
        changed = {k: stmt.excluded[k] for k in values if k not in ("workspace_id", "kind")}
        self.session.execute(
            stmt.on_conflict_do_update(index_elements=["workspace_id", "kind"], set_=changed)
        )

    def set_next_runs(self, next_runs: Sequence[tuple[int, datetime | None]]) -> None:
        if not next_runs:
            return
        scheduling_sql.set_next_runs(self.session.connection(), next_runs)

    def pause(self, workspace_id: int, channel_id: str, kind: PostKind, reason: str) -> None:
        self.session.execute(
            update(TargetRow)
            .where(
                TargetRow.workspace_id == workspace_id,
                TargetRow.channel_id == channel_id,
                TargetRow.kind == kind.value,
            )
            .values(paused_reason=reason[:64])
        )

    def due(self, now: datetime, limit: int) -> list[DueTarget]:
        """Targets whose next run has come, in active workspaces, locked for this transaction.

        On PostgreSQL the rows are locked with SKIP LOCKED, so two clocks split the work instead
        of waiting on each other; the ledger's unique key makes a double claim harmless anyway.
        """
        # Plain rows through Core, not ORM objects: a burst reads thousands of them.
        targets, workspaces = TargetRow.__table__, WorkspaceRow.__table__
        stmt = (
            select(*TARGET_COLUMNS, workspaces.c.timezone)
            .join(workspaces, workspaces.c.id == targets.c.workspace_id)
            .where(
                targets.c.next_run_at <= now,
                targets.c.enabled.is_(True),
                targets.c.paused_reason.is_(None),
                workspaces.c.active.is_(True),
            )
            .order_by(targets.c.next_run_at)
            .limit(limit)
        )
        if self.session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update(of=targets, skip_locked=True)
        return [
            DueTarget(Target(i, w, PostKind(k), *rest), tz)
            for i, w, k, *rest, tz in self.session.connection().execute(stmt)
        ]

    def of_kind(self, kind: PostKind, team_id: str | None = None) -> list[tuple[Target, str]]:
        """Enabled, unpaused targets of `kind` in active workspaces (optionally one team's)."""
        stmt = (
            select(TargetRow, WorkspaceRow.timezone)
            .join(WorkspaceRow, WorkspaceRow.id == TargetRow.workspace_id)
            .where(
                TargetRow.kind == kind.value,
                TargetRow.enabled.is_(True),
                TargetRow.paused_reason.is_(None),
                WorkspaceRow.active.is_(True),
            )
            .order_by(TargetRow.id)
        )
        if team_id:
            stmt = stmt.where(WorkspaceRow.team_id == team_id)
        return [(_target(row), tz) for row, tz in self.session.execute(stmt)]

    def pause_workspace(self, workspace_id: int, reason: str) -> None:
        self.session.execute(
            update(TargetRow)
            .where(TargetRow.workspace_id == workspace_id, TargetRow.paused_reason.is_(None))
            .values(paused_reason=reason[:64])
        )

    def resume_workspace(self, workspace_id: int, reason: str) -> None:
        """Un-pause the targets paused for `reason` (not those paused for a broken channel)."""
        self.session.execute(
            update(TargetRow)
            .where(TargetRow.workspace_id == workspace_id, TargetRow.paused_reason == reason)
            .values(paused_reason=None)
        )


class PostRepository:
    """The ledger: each `(workspace, channel, kind, period)` is claimed once, before posting."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def claim_many(
        self, wanted: Sequence[tuple[int, str, PostKind, str]], now: datetime
    ) -> list[Claim]:
        """Claim each (workspace, channel, kind, period) not yet claimed; return the new claims."""
        if not wanted:
            return []
        rows = scheduling_sql.claim_many(self.session.connection(), wanted, now)
        return [Claim(i, w, c, PostKind(k), p) for i, w, c, k, p in rows]

    def reclaim_failed(self, since: datetime, before: datetime, limit: int = 100) -> list[Claim]:
        """Take back posts claimed since `since` that failed before `before`, to try again."""
        ids = list(
            self.session.scalars(
                select(PostRow.id)
                .where(
                    PostRow.status == "failed",
                    PostRow.claimed_at >= since,
                    PostRow.finished_at < before,
                    PostRow.kind != PostKind.MEMBERS.value,  # a sync waits for its next window
                )
                .order_by(PostRow.id)
                .limit(limit)
            )
        )
        claims = []
        for post_id in ids:
            taken = self.session.execute(
                update(PostRow)
                .where(PostRow.id == post_id, PostRow.status == "failed")
                .values(status="claimed")
                .returning(PostRow.workspace_id, PostRow.channel_id, PostRow.kind, PostRow.period)
            ).first()
            if taken:
                claims.append(Claim(post_id, taken[0], taken[1], PostKind(taken[2]), taken[3]))
        return claims

    def unknown(
        self, before: datetime, since: datetime, limit: int = 100
    ) -> list[tuple[int, datetime | None]]:
        """(id, finished_at) of posts claimed since `since` whose outcome is unknown (or whose
        check was left by a dead clock) since before `before`, not yet found unverifiable."""
        rows = self.session.execute(
            select(PostRow.id, PostRow.finished_at)
            .where(
                PostRow.status.in_(UNSETTLED),
                PostRow.finished_at < before,
                PostRow.claimed_at >= since,
                or_(PostRow.error.is_(None), PostRow.error.not_like(f"{UNVERIFIABLE}%")),
                PostRow.kind != PostKind.MEMBERS.value,
            )
            .order_by(PostRow.id)
            .limit(limit)
        )
        return [(r.id, r.finished_at) for r in rows]

    def reclaim_unknown(
        self, post_id: int, seen: datetime | None, now: datetime
    ) -> tuple[Claim, datetime] | None:
        """Take an unknown post to check it, if no other clock did since it was seen at `seen`:
        (claim, claimed_at), or None."""
        row = self.session.execute(
            update(PostRow)
            .where(
                PostRow.id == post_id,
                PostRow.status.in_(UNSETTLED),
                PostRow.finished_at == seen,
            )
            .values(status="checking", finished_at=now)
            .returning(
                PostRow.workspace_id,
                PostRow.channel_id,
                PostRow.kind,
                PostRow.period,
                PostRow.claimed_at,
            )
        ).first()
        if row is None:
            return None
        return Claim(post_id, row[0], row[1], PostKind(row[2]), row[3]), row[4]

    def settle(
        self,
        post_id: int,
        status: str,
        now: datetime,
        *,
        ts: str | None = None,
        error: str | None = None,
    ) -> None:
        """Record what a check found, keeping what the post was about."""
        values: dict[str, object] = {"status": status, "finished_at": now}
        if ts is not None:
            values["message_ts"] = ts
        if error is not None:
            values["error"] = error[:120]
        self.session.execute(update(PostRow).where(PostRow.id == post_id).values(values))

    def record_skip(
        self, workspace_id: int, channel_id: str, kind: PostKind, period: str, now: datetime
    ) -> None:
        self.session.execute(
            dialect_insert(self.session, PostRow)
            .values(
                workspace_id=workspace_id,
                channel_id=channel_id,
                kind=kind.value,
                period=period,
                status="skipped",
                error="missed its grace window",
                claimed_at=now,
                finished_at=now,
            )
            .on_conflict_do_nothing(index_elements=["workspace_id", "channel_id", "kind", "period"])
        )

    def finish(
        self,
        post_id: int,
        status: str,
        now: datetime,
        *,
        ts: str | None = None,
        error: str | None = None,
        subject: str | None = None,
        featured: Sequence[str] = (),
    ) -> None:
        _FINISH.execute(
            self.session,
            dict(
                post_id=post_id,
                status=status,
                message_ts=ts,
                error=(error or None) and error[:120],
                subject=subject,
                featured=",".join(featured) or None,
                finished_at=now,
            ),
        )

    def last_posted(
        self, workspace_id: int, channel_id: str, kind: PostKind
    ) -> dict[str, datetime]:
        """Each subject posted in this channel (or possibly posted), with when it last was."""
        rows = self.session.execute(
            select(PostRow.subject, func.max(PostRow.claimed_at))
            .where(
                PostRow.workspace_id == workspace_id,
                PostRow.channel_id == channel_id,
                PostRow.kind == kind.value,
                PostRow.subject.is_not(None),
                PostRow.status.in_(("sent", "unknown")),
            )
            .group_by(PostRow.subject)
        )
        return {subject: at for subject, at in rows}

    def subject_for(self, workspace_id: int, kind: PostKind, period: str) -> str | None:
        """What was posted (or possibly posted) for `kind` in this period, in any channel."""
        return self.session.scalar(
            select(PostRow.subject)
            .where(
                PostRow.workspace_id == workspace_id,
                PostRow.kind == kind.value,
                PostRow.period == period,
                PostRow.status.in_(("sent", "unknown")),
            )
            .order_by(PostRow.id)
            .limit(1)
        )

    def recently_featured(self, workspace_id: int, kind: PostKind, posts: int) -> list[set[str]]:
        """The people featured in the last `posts` posts of `kind`, newest first."""
        rows = self.session.scalars(
            select(PostRow.featured)
            .where(
                and_(
                    PostRow.workspace_id == workspace_id,
                    PostRow.kind == kind.value,
                    PostRow.status.in_(("sent", "unknown")),
                )
            )
            .order_by(PostRow.claimed_at.desc(), PostRow.id.desc())
            .limit(posts)
        )
        return [set(filter(None, (f or "").split(","))) for f in rows]

    def count(self, workspace_id: int, kind: PostKind, status: str = "sent") -> int:
        return (
            self.session.scalar(
                select(func.count(PostRow.id)).where(
                    PostRow.workspace_id == workspace_id,
                    PostRow.kind == kind.value,
                    PostRow.status == status,
                )
            )
            or 0
        )
