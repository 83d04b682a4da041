"""Claiming due targets in the ledger, batch by batch, on real databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.ledger import claim_due
from bot.domain.model import TeamRef, WorkspaceDefaults
from bot.domain.schedule import (
    PostKind,
    local_date,
    next_run,
    period_of,
    schedule_of,
    sync_period,
)
from bot.domain.workspaces import ensure_workspace

DUE = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # a Tuesday, 09:00 in Amsterdam
NOW = DUE + timedelta(minutes=1)

# Targets all due at the same instant, each differing from the first in one thing only.
TARGETS = [
    ("Europe/Amsterdam", PostKind.PRINCIPLE, "09:00", "mon,tue,wed,thu,fri"),
    ("Europe/Amsterdam", PostKind.PRINCIPLE, "09:00", "mon,tue,wed,thu,fri"),
    ("Asia/Tokyo", PostKind.PRINCIPLE, "09:00", "mon,tue,wed,thu,fri"),
    ("America/Los_Angeles", PostKind.PRINCIPLE, "09:00", "mon,tue,wed,thu,fri"),
    ("Europe/Amsterdam", PostKind.PRINCIPLE, "09:00", "tue,sat"),
    ("Europe/Amsterdam", PostKind.PRINCIPLE, "10:30", "mon,tue,wed,thu,fri"),
    ("Europe/Amsterdam", PostKind.DIGEST, "09:00", "mon,tue,wed,thu,fri"),
    ("Europe/Amsterdam", PostKind.LEADERBOARD, "09:00", "mon,tue,wed,thu,fri"),
]


def add_target(uow, n: int, timezone: str, kind: PostKind, local_time: str, days: str, at):
    """A workspace in `timezone` with one target whose next run is `at`; the target's id."""
    with uow() as tx:
        workspace = ensure_workspace(
            tx, TeamRef(f"T{n:05d}"), WorkspaceDefaults(timezone=timezone), at - timedelta(days=1)
        )
        channel = f"C{n:05d}"
        tx.targets.upsert(
            workspace.id,
            kind,
            channel_id=channel,
            local_time=local_time,
            days=days,
            enabled=True,
            next_run_at=at,
        )
        tx.commit()
        return workspace.id, channel


def next_run_of(uow, workspace_id: int, kind: PostKind) -> datetime | None:
    with uow() as tx:
        return tx.targets.for_workspace(workspace_id)[kind].next_run_at


@pytest.mark.parametrize("occurrence", [DUE, DUE - timedelta(hours=3)], ids=["due", "missed"])
def test_each_target_in_a_batch_gets_its_own_period_and_next_run(uow, db, occurrence):
    added = [add_target(uow, n, *spec, occurrence) for n, spec in enumerate(TARGETS)]
    due = claim_due(NOW, uow=uow())
    expected_periods = {
        (w, c, kind, period_of(kind, local_date(occurrence, tz)))
        for (w, c), (tz, kind, _, _) in zip(added, TARGETS, strict=True)
    }
    if occurrence == DUE:
        assert {(c.workspace_id, c.channel_id, c.kind, c.period) for c in due.claims} == (
            expected_periods
        )
    else:
        assert due.claims == [] and due.skipped == len(TARGETS)
        skipped = db.rows("SELECT workspace_id, channel_id, kind, period FROM scheduled_posts")
        assert {(w, c, PostKind(k), p) for w, c, k, p in skipped} == expected_periods
    for (workspace_id, _), (tz, kind, local_time, days) in zip(added, TARGETS, strict=True):
        wanted = next_run(NOW, schedule_of(local_time, days, tz), kind=kind)
        assert next_run_of(uow, workspace_id, kind) == wanted


def test_a_run_left_from_yesterday_keeps_its_own_period(uow, db):
    spec = ("Europe/Amsterdam", PostKind.PRINCIPLE, "09:00", "mon-fri")
    today, _ = add_target(uow, 1, *spec, DUE)
    yesterday, _ = add_target(uow, 2, *spec, DUE - timedelta(days=1))
    due = claim_due(NOW, uow=uow())
    assert [(c.workspace_id, c.period) for c in due.claims] == [(today, "2026-12-01")]
    assert due.skipped == 1
    skips = "SELECT workspace_id, period FROM scheduled_posts WHERE status = 'skipped'"
    assert db.rows(skips) == [(yesterday, "2026-11-30")]
    assert next_run_of(uow, today, PostKind.PRINCIPLE) == DUE + timedelta(days=1)
    assert next_run_of(uow, yesterday, PostKind.PRINCIPLE) == DUE + timedelta(days=1)


def test_a_burst_is_claimed_batch_by_batch_each_target_once(uow, db):
    for n in range(25):
        add_target(uow, n, "Europe/Amsterdam", PostKind.PRINCIPLE, "09:00", "mon-fri", DUE)
    claimed, batches = [], 0
    while True:
        due = claim_due(NOW, uow=uow(), limit=10)
        claimed += [(c.workspace_id, c.channel_id) for c in due.claims]
        batches += 1
        if not due.more:
            break
    assert batches == 3 and len(claimed) == len(set(claimed)) == 25
    assert claim_due(NOW, uow=uow()).claims == []
    assert db.scalar("SELECT count(*) FROM scheduled_posts") == 25


def test_claims_more_ledger_keys_at_once_than_one_statement_may_bind(uow):
    """The member sync claims every workspace in one call: 12,000 keys are 72,000 values."""
    with uow() as tx:
        workspace = ensure_workspace(tx, TeamRef("T0BIG"), WorkspaceDefaults(), NOW)
        tx.commit()
    wanted = [(workspace.id, f"C{n:06d}", PostKind.PRINCIPLE, "2026-12-01") for n in range(12_000)]
    with uow() as tx:
        claims = tx.posts.claim_many(wanted, NOW)
        tx.commit()
    assert sorted((c.workspace_id, c.channel_id, c.kind, c.period) for c in claims) == wanted
    with uow() as tx:
        assert tx.posts.claim_many(wanted[:10] + [wanted[0]], NOW) == []


def test_a_batch_claim_skips_a_key_listed_twice_or_claimed_before(uow):
    with uow() as tx:
        workspace = ensure_workspace(tx, TeamRef("T0TWICE"), WorkspaceDefaults(), NOW)
        [first] = tx.posts.claim_many([(workspace.id, "C1", PostKind.DIGEST, "2026-W49")], NOW)
        claims = tx.posts.claim_many(
            [
                (workspace.id, "C1", PostKind.DIGEST, "2026-W49"),
                (workspace.id, "C2", PostKind.DIGEST, "2026-W49"),
                (workspace.id, "C2", PostKind.DIGEST, "2026-W49"),
            ],
            NOW,
        )
        tx.commit()
    assert [(c.channel_id, c.kind, c.period) for c in claims] == [
        ("C2", PostKind.DIGEST, "2026-W49")
    ]
    assert claims[0].post_id != first.post_id


def test_next_runs_are_stored_for_each_target_and_may_be_cleared(uow):
    a, _ = add_target(uow, 1, "Europe/Amsterdam", PostKind.PRINCIPLE, "09:00", "mon-fri", DUE)
    b, _ = add_target(uow, 2, "Asia/Tokyo", PostKind.DIGEST, "16:00", "fri", DUE)
    with uow() as tx:
        ids = {w: t.id for w in (a, b) for t in tx.targets.for_workspace(w).values() if t.enabled}
        tx.targets.set_next_runs([(ids[a], DUE + timedelta(days=1)), (ids[b], None)])
        tx.commit()
    assert next_run_of(uow, a, PostKind.PRINCIPLE) == DUE + timedelta(days=1)
    assert next_run_of(uow, b, PostKind.DIGEST) is None


def test_a_second_clock_skips_the_targets_the_first_has_locked(uow, db):
    if db.backend != "postgresql":
        pytest.skip("SQLite has one writer at a time; the lock is the database's")
    for n in range(4):
        add_target(uow, n, "Europe/Amsterdam", PostKind.PRINCIPLE, "09:00", "mon-fri", DUE)
    with uow() as first:
        locked = first.targets.due(NOW, 2)
        second = claim_due(NOW, uow=uow(), limit=10)
        assert len(locked) == 2 and len(second.claims) == 2
        assert {c.workspace_id for c in second.claims}.isdisjoint(
            t.target.workspace_id for t in locked
        )


def test_member_syncs_read_and_claim_only_the_workspaces_not_synced_in_this_window(uow):
    """Each tick asks for the member syncs of its six-hour window; the workspaces synced in it
    already (most ticks: all of them) are not read, nor an inactive one or another window's."""
    from bot.domain.people import claim_member_syncs

    with uow() as tx:
        teams = {
            team: ensure_workspace(tx, TeamRef(team), WorkspaceDefaults(), NOW - timedelta(days=1))
            for team in ("T0SYNCED", "T0DUE", "T0GONE", "T0OTHER")
        }
        tx.workspaces.set_active(teams["T0GONE"].id, False, NOW)
        tx.posts.claim_many(
            [
                (teams["T0SYNCED"].id, "", PostKind.MEMBERS, sync_period(NOW)),
                (teams["T0OTHER"].id, "", PostKind.MEMBERS, sync_period(NOW - timedelta(hours=6))),
                (teams["T0DUE"].id, "C1", PostKind.PRINCIPLE, sync_period(NOW)),  # not a sync
            ],
            NOW,
        )
        tx.commit()
    with uow() as tx:
        unsynced = tx.workspaces.active(unsynced=sync_period(NOW))
        assert [w.team_id for w in unsynced] == ["T0DUE", "T0OTHER"]
        assert [w.team_id for w in tx.workspaces.active("T0DUE", unsynced=sync_period(NOW))] == [
            "T0DUE"
        ]
        assert tx.workspaces.active("T0SYNCED", unsynced=sync_period(NOW)) == []
        assert len(tx.workspaces.active()) == 3  # without `unsynced`: every active one
    claimed = claim_member_syncs(NOW, uow=uow())
    assert sorted(w.team_id for _, w in claimed) == ["T0DUE", "T0OTHER"]
    assert all(c.kind is PostKind.MEMBERS and c.period == sync_period(NOW) for c, _ in claimed)
    assert claim_member_syncs(NOW, uow=uow()) == []  # all synced in this window now
    later = NOW + timedelta(hours=6)
    assert len(claim_member_syncs(later, uow=uow())) == 3
