"""The benchmark data generator, run small: bulk loads on both databases, reproducible, and the
all-time totals triggers keep up with bulk inserts (executemany on SQLite, COPY on PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

from bench.generate import Plan, generate
from bot.domain.model import Kind, KindDecision, KindSource, Source
from bot.domain.rankings import Slice
from storage.uow import UnitOfWorkFactory

PLAN = Plan(
    seed=7,
    recognitions=300,
    people=20,
    days=60,
    end=datetime(2026, 11, 30, 22, tzinfo=UTC),
    neighbours=1,
    neighbour_recognitions=40,
    neighbour_people=5,
    channels=4,
)


def recognitions(db, workspace_id: int) -> list[tuple]:
    return [
        tuple(r)
        for r in db.rows(
            "SELECT giver_id, recipient_id, kind, channel_id, created_at FROM recognitions"
            " WHERE workspace_id = :w ORDER BY id",
            w=workspace_id,
        )
    ]


def test_generates_the_planned_rows_reproducibly_and_keeps_totals_exact(db, uow):
    first = generate(db.engine, PLAN)
    again = generate(db.engine, Plan(**{**PLAN.__dict__, "team_prefix": "TAGAIN"}))
    assert first.recognitions == 340 and db.scalar("SELECT count(*) FROM recognitions") == 680
    assert db.scalar("SELECT count(*) FROM members") == 50
    a, b = first.workspaces["TBENCH000"], again.workspaces["TAGAIN000"]
    assert recognitions(db, a) == recognitions(db, b)
    kinds = {row[2] for row in recognitions(db, a)}
    assert kinds == {"success", "recovery"}
    assert db.scalar("SELECT count(*) FROM recognition_principles") > 0
    with uow() as tx:
        assert all(tx.leaderboard.totals_drift(w) == 0 for w in first.workspaces.values())
    # Ids keep counting after a bulk load, so the app can still insert.
    with uow() as tx:
        tx.recognitions.add_shoutout(
            a,
            giver="U0NEW",
            recipients=("U0OTHER",),
            reason="for a great save after the bulk load",
            kind=KindDecision(Kind.SUCCESS, KindSource.DEFAULT),
            principles=(),
            source=Source.COMMAND,
            channel_id="C1",
            now=PLAN.end,
        )
        tx.commit()


def test_generated_data_ranks_like_any_other(db, uow: UnitOfWorkFactory):
    summary = generate(db.engine, PLAN)
    workspace = summary.workspaces["TBENCH000"]
    with uow() as tx:
        ranking = tx.leaderboard.recipients(workspace, Slice(), limit=3)
    assert ranking.total == 300 and len(ranking.top) == 3
