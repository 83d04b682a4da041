"""Retention and pruning on real databases: an uninstalled workspace is deleted, every row of it,
after BRAVO_RETENTION_DAYS and not before; a reinstall keeps it; other workspaces are untouched."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy import Boolean, Column, Integer, String, Table, Text, func, select

from bot.domain.clock import FixedClock
from bot.domain.model import TeamRef, WorkspaceDefaults
from bot.domain.retention import (
    claim_expired,
    prune_history,
    purge_expired,
    purge_workspace,
    workspace_footprint,
)
from bot.domain.workspaces import deactivate_workspace, ensure_workspace
from jobs.tick import tick
from storage.models import Base
from storage.retention import owned_tables
from storage.types import UTCDateTime

T0 = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
DAYS = 30


def seed(db, team_id: str) -> int:
    """A workspace with at least one row in every table a workspace owns (whoever added the
    table), each built from the table's own columns; returns the workspace id."""
    tables = {table for table, _ in workspace_tables() if table.name != "workspaces"}
    with db.engine.begin() as connection:
        workspaces = Base.metadata.tables["workspaces"]
        workspace_id = connection.execute(
            workspaces.insert()
            .values(team_id=team_id, timezone="UTC", language="en", allowance=5, active=True)
            .values(created_at=T0)
            .returning(workspaces.c.id)
        ).scalar_one()
        made: dict[str, object] = {}
        for table in Base.metadata.sorted_tables:
            if table not in tables:
                continue
            values = {}
            for column in table.c:
                if column.name == "workspace_id":
                    values[column.name] = workspace_id
                elif column.name == "team_id":
                    values[column.name] = team_id
                elif column.foreign_keys:
                    values[column.name] = made[next(iter(column.foreign_keys)).column.table.name]
                elif column.primary_key and isinstance(column.type, Integer):
                    continue  # generated
                else:
                    values[column.name] = _value(column, team_id)
            key = next(iter(table.primary_key.columns))
            made[table.name] = connection.execute(
                table.insert().values(values).returning(key)
            ).scalar_one()
    return workspace_id


def _value(column, team_id: str) -> object:
    kind = column.type
    if isinstance(kind, UTCDateTime):
        return T0
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, Integer):
        return 1
    if isinstance(kind, String | Text):
        text = f"{column.name[:6]}-{team_id}"
        return text[: kind.length] if getattr(kind, "length", None) else text
    raise AssertionError(f"seed() cannot fill {column.table.name}.{column.name} ({kind!r})")


def workspace_tables() -> list[tuple[Table, Column]]:
    """Every table of the schema keyed by workspace (or team), found without the code under
    test, so a table that the deletion forgets is still counted here."""
    found = []
    for table in Base.metadata.sorted_tables:
        key = next((table.c[k] for k in ("workspace_id", "team_id") if k in table.c), None)
        if table.name == "workspaces":
            key = table.c.id
        if key is not None:
            found.append((table, key))
    return found


def counts(db) -> dict[tuple[str, object], int]:
    """Rows per (table, owner) in every table of the schema keyed by workspace or team."""
    found: dict[tuple[str, object], int] = {}
    with db.engine.connect() as connection:
        for table, key in workspace_tables():
            for owner, n in connection.execute(select(key, func.count()).group_by(key)):
                found[(table.name, owner)] = n
    return found


def of(found: dict[tuple[str, object], int], *owners: object) -> dict:
    return {k: v for k, v in found.items() if k[1] in owners}


def uninstall(uow, team_id: str, at: datetime) -> None:
    assert deactivate_workspace(TeamRef(team_id), uow=uow(), clock=FixedClock(at))


def test_seed_fills_every_table_a_workspace_owns(db):
    seed(db, "T0SEED")
    found = counts(db)
    empty = [t.name for t, _ in workspace_tables() if not any(k[0] == t.name for k in found)]
    assert empty == []
    assert {t.name for t, _ in owned_tables()} == {
        t.name for t, _ in workspace_tables() if t.name != "workspaces"
    }
    assert {t.name for t, _ in owned_tables()} >= {
        "recognitions", "shoutouts", "outbox", "processed_events", "scheduled_posts", "audit_log",
        "targets", "members", "stories", "applause", "workspace_principles",
        "recognition_totals", "recognition_months",
    }  # fmt: skip


def test_retention_deletes_only_workspaces_uninstalled_longer_than_the_setting(db, uow):
    expired, recent, installed = (seed(db, t) for t in ("T0OLD", "T0RECENT", "T0LIVE"))
    uninstall(uow, "T0OLD", T0)
    uninstall(uow, "T0RECENT", T0 + timedelta(days=20))
    before = counts(db)
    assert of(before, expired, "T0OLD")  # it has rows to lose

    now = T0 + timedelta(days=DAYS, minutes=1)
    purged = purge_expired(uow=uow, clock=FixedClock(now), retention_days=DAYS)

    assert [p.team_id for p in purged] == ["T0OLD"]
    assert purged[0].rows["recognitions"] == 1 and purged[0].rows["workspaces"] == 1
    after = counts(db)
    assert of(after, expired, "T0OLD") == {}  # every row of it, in every table
    keep = (recent, "T0RECENT", installed, "T0LIVE")
    assert of(after, *keep) == of(before, *keep)  # the others untouched, table by table
    assert workspace_footprint("T0OLD", uow=uow()) is None


def test_nothing_is_deleted_one_minute_before_the_retention_ends(db, uow):
    seed(db, "T0OLD")
    uninstall(uow, "T0OLD", T0)
    before = counts(db)
    now = T0 + timedelta(days=DAYS) - timedelta(minutes=1)
    assert purge_expired(uow=uow, clock=FixedClock(now), retention_days=DAYS) == []
    assert counts(db) == before


def test_a_reinstall_within_the_retention_keeps_the_data(db, uow):
    seed(db, "T0BACK")
    uninstall(uow, "T0BACK", T0)
    before = counts(db)
    with uow() as tx:  # the next request (or installation) from that team
        workspace = ensure_workspace(
            tx, TeamRef("T0BACK"), WorkspaceDefaults(), T0 + timedelta(days=10)
        )
        tx.commit()
    assert workspace.active
    later = T0 + timedelta(days=DAYS * 3)
    assert purge_expired(uow=uow, clock=FixedClock(later), retention_days=DAYS) == []
    assert counts(db) == before
    held = workspace_footprint("T0BACK", uow=uow())
    assert held.deactivated_at is None and held.rows["recognitions"] == 1


def test_two_clocks_never_both_claim_a_deletion(db, uow):
    workspace_id = seed(db, "T0OLD")
    uninstall(uow, "T0OLD", T0)
    now = T0 + timedelta(days=DAYS + 1)
    cutoff = now - timedelta(days=DAYS)
    first = claim_expired(now, cutoff, uow=uow())
    second = claim_expired(now, cutoff, uow=uow())
    assert [(c.workspace_id, team) for c, team in first] == [(workspace_id, "T0OLD")]
    assert second == []


def test_a_reinstall_between_the_claim_and_the_deletion_wins(db, uow):
    seed(db, "T0OLD")
    uninstall(uow, "T0OLD", T0)
    now = T0 + timedelta(days=DAYS + 1)
    cutoff = now - timedelta(days=DAYS)
    [(claim, team)] = claim_expired(now, cutoff, uow=uow())
    with uow() as tx:
        ensure_workspace(tx, TeamRef(team), WorkspaceDefaults(), now)
        tx.commit()
    assert purge_workspace(team, uow=uow(), dormant_before=cutoff) is None
    assert workspace_footprint(team, uow=uow()).rows["recognitions"] == 1


def test_purge_deletes_an_installed_workspace_on_request(db, uow):
    seed(db, "T0GO")
    seed(db, "T0STAY")
    stay = of(counts(db), "T0STAY")
    deleted = purge_workspace("T0GO", uow=uow())
    assert deleted.rows["workspaces"] == 1 and deleted.total > 10
    assert workspace_footprint("T0GO", uow=uow()) is None
    assert of(counts(db), "T0STAY") == stay
    assert purge_workspace("T0GO", uow=uow()) is None  # a second time: nothing there


def test_the_clock_tick_deletes_expired_workspaces(db, uow, standin):
    seed(db, "T0OLD")
    uninstall(uow, "T0OLD", T0)
    client = WebClient(token="xoxb-t", base_url=standin.api_url, timeout=1)
    now = T0 + timedelta(days=DAYS + 1)
    report = tick(uow=uow, clock=FixedClock(now), client_for=lambda _ws: client)
    assert [p.team_id for p in report.purged] == ["T0OLD"]
    assert workspace_footprint("T0OLD", uow=uow()) is None


def test_the_tick_keeps_data_for_the_retention_it_is_given(db, uow, standin):
    seed(db, "T0OLD")
    uninstall(uow, "T0OLD", T0)
    client = WebClient(token="xoxb-t", base_url=standin.api_url, timeout=1)
    now = T0 + timedelta(days=DAYS + 1)
    report = tick(
        uow=uow, clock=FixedClock(now), client_for=lambda _ws: client, retention_days=DAYS + 5
    )
    assert report.purged == []
    assert workspace_footprint("T0OLD", uow=uow()) is not None


@pytest.fixture
def history(db, uow):
    """Handled events and outbox messages of several ages and states, in one workspace."""
    with uow() as tx:
        workspace = ensure_workspace(tx, TeamRef("T0001"), WorkspaceDefaults(), T0)
        tx.commit()
    outbox = Base.metadata.tables["outbox"]
    events = Base.metadata.tables["processed_events"]
    now = T0 + timedelta(days=60)
    rows = {
        "sent-old": ("sent", now - timedelta(days=31)),
        "sent-new": ("sent", now - timedelta(days=29)),
        "dead-old": ("dead", now - timedelta(days=31)),
        "pending-old": ("pending", now - timedelta(days=31)),
        "unknown-old": ("unknown", now - timedelta(days=31)),
    }
    with db.engine.begin() as connection:
        for name, (status, at) in rows.items():
            connection.execute(
                outbox.insert().values(
                    workspace_id=workspace.id, topic="announce", channel_id=name[:8].upper(),
                    status=status, attempts=1, created_at=at, next_attempt_at=at,
                    sent_at=at if status == "sent" else None,
                )
            )  # fmt: skip
        for name, age in (("Ev-old", timedelta(hours=25)), ("Ev-new", timedelta(hours=23))):
            connection.execute(
                events.insert().values(
                    workspace_id=workspace.id, event_id=name, received_at=now - age
                )
            )
    return now


def test_pruning_forgets_old_event_ids_and_finished_outbox_messages(db, uow, history):
    pruned = prune_history(uow=uow(), clock=FixedClock(history))
    assert (pruned.events, pruned.outbox) == (1, 2)
    assert {r[0] for r in db.rows("SELECT event_id FROM processed_events")} == {"Ev-new"}
    left = {r[0] for r in db.rows("SELECT status FROM outbox")}
    assert left == {"sent", "pending", "unknown"}  # the recent sent one; unfinished ones stay
    assert db.scalar("SELECT count(*) FROM outbox") == 3
    again = prune_history(uow=uow(), clock=FixedClock(history))  # a second clock: nothing left
    assert (again.events, again.outbox) == (0, 0)


def test_pruning_works_through_a_backlog_in_batches(db, uow, history, monkeypatch):
    import bot.domain.retention as retention

    events = Base.metadata.tables["processed_events"]
    with db.engine.begin() as connection:
        wid = connection.execute(select(events.c.workspace_id).limit(1)).scalar_one()
        connection.execute(
            events.insert(),
            [
                dict(workspace_id=wid, event_id=f"Ev{i}", received_at=history - timedelta(days=3, minutes=i))
                for i in range(25)
            ],
        )  # fmt: skip
    monkeypatch.setattr(retention, "PRUNE_BATCH", 10)
    first = prune_history(uow=uow(), clock=FixedClock(history))
    assert 10 <= first.events < 26  # about one batch, oldest first
    while prune_history(uow=uow(), clock=FixedClock(history)).events:
        pass
    assert db.scalar("SELECT count(*) FROM processed_events") == 1  # only the recent one
