"""Many workspaces with scheduled posts, for the tick, fanout and memory benchmarks.

Every workspace has the three targets a team would set up (principle, digest, leaderboard), each
at 09:00 local in its own channel. A third of the workspaces sit in `BURST_ZONE`; the rest are
spread over zones whose 09:00 falls at other instants. At `BURST` (Tuesday 1 December 2026,
09:00 in Amsterdam: a weekday, the digest's day and the month's first working day) all three
targets of the burst third are due at once: 3,334 x 3 = 10,002 targets for 10,000 workspaces.

Rows are written in bulk (executemany); `reset` puts the schedule back as it was before the
burst, so each run of a benchmark starts from the same state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, bindparam, delete, insert, select, text, update

from bot.domain.schedule import PostKind, next_run, schedule_of, sync_period
from storage.models import PostRow, TargetRow, WorkspaceRow

BURST = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # 09:00 in Amsterdam
BEFORE = BURST - timedelta(minutes=1)  # when the schedule was last computed
BURST_ZONE = "Europe/Amsterdam"
# 09:00 local here is never 08:00 UTC on the burst day.
OTHER_ZONES = (
    "America/New_York",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Helsinki",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
)
KINDS = (PostKind.PRINCIPLE, PostKind.DIGEST, PostKind.LEADERBOARD)
DAYS = {PostKind.PRINCIPLE: "mon,tue,wed,thu,fri", PostKind.DIGEST: "tue"}


@dataclass
class Fleet:
    workspaces: int
    burst_workspaces: int
    due_at_burst: int
    targets: list[tuple[int, datetime]]  # (target id, next run before the burst)

    def team(self, n: int) -> str:
        return f"TF{n:06d}"


def zone_of(n: int) -> str:
    return BURST_ZONE if n % 3 == 0 else OTHER_ZONES[n % len(OTHER_ZONES)]


def channel_of(team: str, kind: PostKind) -> str:
    return f"C{team[2:]}{kind.value[0].upper()}"


def build(engine: Engine, workspaces: int) -> Fleet:
    """Insert `workspaces` workspaces and their targets; the schedule as of just before BURST."""
    teams = [f"TF{n:06d}" for n in range(workspaces)]
    with engine.begin() as connection:
        connection.execute(
            insert(WorkspaceRow),
            [
                dict(
                    team_id=team,
                    timezone=zone_of(n),
                    language="en",
                    allowance=5,
                    active=True,
                    created_at=BEFORE - timedelta(days=30),
                    leaderboard_visibility="everyone",
                    applause_emoji="clap",
                )
                for n, team in enumerate(teams)
            ],
        )
        ids = dict(connection.execute(select(WorkspaceRow.team_id, WorkspaceRow.id)).all())
        rows = []
        for n, team in enumerate(teams):
            for kind in KINDS:
                days = DAYS.get(kind, "mon,tue,wed,thu,fri")
                schedule = schedule_of("09:00", days, zone_of(n))
                rows.append(
                    dict(
                        workspace_id=ids[team],
                        kind=kind.value,
                        channel_id=channel_of(team, kind),
                        local_time="09:00",
                        days=days,
                        enabled=True,
                        paused_reason=None,
                        next_run_at=next_run(BEFORE, schedule, kind=kind),
                    )
                )
        connection.execute(insert(TargetRow), rows)
        targets = [
            (i, at) for i, at in connection.execute(select(TargetRow.id, TargetRow.next_run_at))
        ]
    with engine.begin() as connection:  # fresh statistics, as autovacuum would have them
        connection.execute(text("ANALYZE"))
    due = sum(1 for _, at in targets if at <= BURST)
    burst = sum(1 for n in range(workspaces) if zone_of(n) == BURST_ZONE)
    return Fleet(workspaces, burst, due, targets)


def reset(engine: Engine, fleet: Fleet, *, synced: bool = True) -> None:
    """Forget every scheduled post and put each target's next run back; with `synced`, record
    this six-hour window's member syncs as done (the clock did them earlier)."""
    with engine.begin() as connection:
        connection.execute(delete(PostRow))
        connection.execute(
            update(TargetRow.__table__)
            .where(TargetRow.__table__.c.id == bindparam("target_id"))
            .values(next_run_at=bindparam("at")),
            [{"target_id": i, "at": at} for i, at in fleet.targets],
        )
        if synced:
            ids = connection.execute(select(WorkspaceRow.id)).scalars().all()
            connection.execute(
                insert(PostRow),
                [
                    dict(
                        workspace_id=w,
                        channel_id="",
                        kind=PostKind.MEMBERS.value,
                        period=sync_period(BURST),
                        status="sent",
                        claimed_at=BEFORE,
                        finished_at=BEFORE,
                    )
                    for w in ids
                ],
            )
