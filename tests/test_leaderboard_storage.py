"""Leaderboard queries on real SQLite and PostgreSQL, against hand-computed rankings.

Workspace A keeps Europe/Amsterdam time: November 2026 there is
[2026-10-31 23:00 UTC, 2026-11-30 23:00 UTC). The shout-outs below sit on both edges.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, select

from bot.domain.export import write_rows
from bot.domain.model import (
    Kind,
    KindDecision,
    KindSource,
    NewStory,
    Source,
    TeamRef,
    WorkspaceDefaults,
)
from bot.domain.periods import resolve, week_starts
from bot.domain.rankings import Ranking, Slice, Standing
from storage.models import RecognitionMonthRow, RecognitionRow, RecognitionTotalRow

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
AMS = "Europe/Amsterdam"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# (giver, recipients, kind, principles, channel, when in UTC)
A_SHOUTOUTS = [
    ("U1", ("U2", "U3"), Kind.SUCCESS, ("care",), "C1", "2026-11-02 10:00"),  # 1
    ("U1", ("U2",), Kind.RECOVERY, (), "C1", "2026-11-10 10:00"),  # 2
    ("U4", ("U3",), Kind.SUCCESS, ("care",), "C2", "2026-11-11 10:00"),  # 3
    ("U2", ("U5",), Kind.RECOVERY, (), "C2", "2026-10-31 23:30"),  # 4: 1 Nov 00:30 local
    ("U2", ("U3",), Kind.SUCCESS, (), "C1", "2026-10-31 22:30"),  # 5: 31 Oct 23:30 local
    ("U3", ("U2",), Kind.SUCCESS, (), "C1", "2026-11-30 22:59"),  # 6: 30 Nov 23:59 local
    ("U3", ("U4",), Kind.SUCCESS, (), "C1", "2026-11-30 23:00"),  # 7: 1 Dec 00:00 local
]


def add(tx, workspace_id, giver, recipients, kind, principles=(), channel="C1", when=NOW):
    return tx.recognitions.add_shoutout(
        workspace_id,
        giver=giver,
        recipients=recipients,
        reason=f"for helping a customer ({giver})",
        kind=KindDecision(kind, KindSource.TAG),
        principles=principles,
        source=Source.COMMAND,
        channel_id=channel,
        now=when if isinstance(when, datetime) else at(when),
    )


@pytest.fixture
def data(uow):
    """Workspaces A (the rows above) and B (three shout-outs to U2 that A must never count)."""
    with uow() as tx:
        a = tx.workspaces.ensure(TeamRef("TA"), WorkspaceDefaults(timezone=AMS), NOW)
        b = tx.workspaces.ensure(TeamRef("TB"), WorkspaceDefaults(timezone=AMS), NOW)
        ids = [add(tx, a.id, *row) for row in A_SHOUTOUTS]
        for _ in range(3):
            add(tx, b.id, "U9", ("U2",), Kind.SUCCESS, ("care",), "C1", "2026-11-05 12:00")
        tx.commit()
    return a, b, ids


def november() -> Slice:
    window = resolve("2026-11", now=NOW, tz=AMS)
    return Slice(start=window.start, end=window.end)


def rows(ranking: Ranking) -> list[tuple[str, int, int, int]]:
    return [(s.user_id, s.place, s.total, s.success) for s in ranking.top]


def test_month_ranks_recipients_with_their_split_and_respects_local_edges(uow, data):
    a, _, _ = data
    with uow() as tx:
        ranking = tx.leaderboard.recipients(a.id, november(), limit=10)
    assert rows(ranking) == [("U2", 1, 3, 2), ("U3", 2, 2, 2), ("U5", 3, 1, 0)]
    assert (ranking.people, ranking.total, ranking.success) == (3, 6, 4)


def test_equal_totals_share_a_place_and_list_in_a_stable_order(uow, data):
    a, _, _ = data
    with uow() as tx:
        givers = tx.leaderboard.givers(a.id, november(), limit=10)
    assert [(s.user_id, s.place, s.total) for s in givers.top] == [
        ("U1", 1, 3),
        ("U2", 2, 1),
        ("U3", 2, 1),
        ("U4", 2, 1),
    ]


def test_limit_cuts_the_list_but_keeps_the_askers_own_standing(uow, data):
    a, _, _ = data
    with uow() as tx:
        ranking = tx.leaderboard.recipients(a.id, november(), limit=1, asker="U5")
    assert rows(ranking) == [("U2", 1, 3, 2)]
    assert ranking.mine == Standing("U5", 3, 1, 0)
    assert ranking.people == 3 and ranking.more == 2


def test_someone_never_recognised_has_no_standing(uow, data):
    a, _, _ = data
    with uow() as tx:
        ranking = tx.leaderboard.recipients(a.id, november(), limit=10, asker="U1")
    assert ranking.mine is None


def test_all_time_reads_the_totals_and_matches_a_recount(uow, data):
    a, b, _ = data
    with uow() as tx:
        recipients = tx.leaderboard.recipients(a.id, Slice(), limit=10)
        givers = tx.leaderboard.givers(a.id, Slice(), limit=10)
        drift = tx.leaderboard.totals_drift(a.id), tx.leaderboard.totals_drift(b.id)
    assert rows(recipients) == [("U2", 1, 3, 2), ("U3", 1, 3, 3), ("U4", 3, 1, 1), ("U5", 3, 1, 0)]
    assert [(s.user_id, s.place, s.total) for s in givers.top] == [
        ("U1", 1, 3),
        ("U2", 2, 2),
        ("U3", 2, 2),
        ("U4", 4, 1),
    ]
    assert drift == (0, 0)


def test_all_time_totals_follow_kind_switches_and_deletions(uow, data):
    a, _, ids = data
    with uow() as tx:
        tx.recognitions.set_kind(ids[1], KindDecision(Kind.SUCCESS, KindSource.CHOICE))
        tx.commit()
    with uow() as tx:
        assert rows(tx.leaderboard.recipients(a.id, Slice(), limit=1)) == [("U2", 1, 3, 3)]
        tx.session.execute(delete(RecognitionRow).where(RecognitionRow.shoutout_id == ids[0]))
        tx.commit()
    with uow() as tx:
        ranking = tx.leaderboard.recipients(a.id, Slice(), limit=10)
        assert tx.leaderboard.totals_drift(a.id) == 0
    assert rows(ranking)[:2] == [("U2", 1, 2, 2), ("U3", 1, 2, 2)]


def test_rebuilding_the_totals_gives_the_same_all_time_ranking(uow, data):
    a, _, _ = data
    with uow() as tx:
        before = tx.leaderboard.recipients(a.id, Slice(), limit=10)
        tx.session.execute(delete(RecognitionTotalRow))
        tx.leaderboard.rebuild_totals(a.id)
        after = tx.leaderboard.recipients(a.id, Slice(), limit=10)
    assert after == before


def test_workspace_b_never_appears_in_workspace_a(uow, data):
    a, b, _ = data
    with uow() as tx:
        month = tx.leaderboard.recipients(a.id, november(), limit=100)
        ever = tx.leaderboard.recipients(a.id, Slice(), limit=100)
        givers = tx.leaderboard.givers(a.id, Slice(), limit=100)
        theirs = tx.leaderboard.recipients(b.id, november(), limit=100)
        exported = list(tx.leaderboard.export_rows(a.id, Slice()))
    assert "U9" not in {s.user_id for s in givers.top}
    assert month.total == 6 and ever.total == 8 and len(exported) == 8
    assert rows(theirs) == [("U2", 1, 3, 3)]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (Slice(channel="C1"), [("U2", 1, 3, 2), ("U3", 2, 1, 1)]),
        (Slice(principle="care"), [("U3", 1, 2, 2), ("U2", 2, 1, 1)]),
        (Slice(kind=Kind.RECOVERY), [("U2", 1, 1, 0), ("U5", 1, 1, 0)]),
        (Slice(members=("U3", "U5", "U7")), [("U3", 1, 2, 2), ("U5", 2, 1, 0)]),
        (Slice(channel="C2", kind=Kind.SUCCESS), [("U3", 1, 1, 1)]),
    ],
    ids=["channel", "principle", "kind", "user group", "channel and kind"],
)
def test_scopes_and_filters_narrow_the_month(uow, data, where, expected):
    a, _, _ = data
    month = november()
    narrowed = Slice(
        start=month.start,
        end=month.end,
        channel=where.channel,
        members=where.members,
        principle=where.principle,
        kind=where.kind,
    )
    with uow() as tx:
        assert rows(tx.leaderboard.recipients(a.id, narrowed, limit=10)) == expected


def test_all_time_filters_by_kind_and_group_from_the_totals(uow, data):
    a, _, _ = data
    with uow() as tx:
        success = tx.leaderboard.recipients(a.id, Slice(kind=Kind.SUCCESS), limit=10)
        group = tx.leaderboard.givers(a.id, Slice(members=("U3", "U4")), limit=10)
    assert rows(success) == [("U3", 1, 3, 3), ("U2", 2, 2, 2), ("U4", 3, 1, 1)]
    assert [(s.user_id, s.total) for s in group.top] == [("U3", 2), ("U4", 1)]


def test_october_holds_only_what_happened_before_local_midnight(uow, data):
    a, _, _ = data
    window = resolve("2026-10", now=NOW, tz=AMS)
    with uow() as tx:
        ranking = tx.leaderboard.recipients(a.id, Slice(window.start, window.end), limit=10)
    assert rows(ranking) == [("U3", 1, 1, 1)]


def test_person_stats_and_principles_for_one_person(uow, data):
    a, _, _ = data
    with uow() as tx:
        month = tx.leaderboard.person(a.id, "U2", november())
        ever = tx.leaderboard.person(a.id, "U2", Slice())
        principles = tx.leaderboard.principles(a.id, "U3", Slice(), 5)
    assert (month.received, month.received_success, month.given) == (3, 2, 1)
    assert (ever.received, ever.received_success, ever.given) == (3, 2, 2)
    assert principles == (("care", 2),)


def test_weekly_counts_land_in_local_weeks(uow, data):
    a, _, _ = data
    with uow() as tx:  # Monday 16 Nov 00:30 in Amsterdam, still Sunday in UTC
        add(tx, a.id, "U1", ("U2",), Kind.SUCCESS, when="2026-11-15 23:30")
        tx.commit()
    bounds = week_starts(now=at("2026-12-01 10:00"), tz=AMS, weeks=6)  # Mon 26 Oct .. Mon 7 Dec
    with uow() as tx:
        team = tx.leaderboard.weekly(a.id, Slice(), bounds)
        mine = tx.leaderboard.weekly(a.id, Slice(), bounds, "U2")
    assert bounds[0] == at("2026-10-25 23:00") and bounds[-1] == at("2026-12-06 23:00")
    assert team == [(1, 1), (2, 0), (1, 1), (1, 0), (0, 0), (2, 0)]
    assert mine == [(0, 0), (1, 0), (0, 1), (1, 0), (0, 0), (1, 0)]


def test_story_authors_are_ranked_from_stories(uow, data):
    a, _, _ = data
    with uow() as tx:
        for view, author in (("V1", "U4"), ("V2", "U4"), ("V3", "U1")):
            tx.stories.add(
                a.id,
                NewStory(
                    view_id=view,
                    author=author,
                    title="Saved the Jansen renewal",
                    customer="Jansen",
                    body="A long and happy story about a customer we kept.",
                    kind=KindDecision(Kind.SUCCESS, KindSource.DEFAULT),
                    principles=("care",),
                    teammates=("U5",),
                    channel_id="C1",
                    source_permalink=None,
                ),
                at("2026-11-12 09:00"),
            )
        tx.commit()
    with uow() as tx:
        authors = tx.leaderboard.authors(a.id, november(), limit=5)
        stats = tx.leaderboard.person(a.id, "U4", november())
        credited = tx.leaderboard.recipients(a.id, november(), limit=10)
        exported = [r for r in tx.leaderboard.export_rows(a.id, november()) if r.story]
    assert [(s.user_id, s.place, s.total) for s in authors.top] == [("U4", 1, 2), ("U1", 2, 1)]
    assert stats.stories == 2
    assert ("U5", 1, 4, 3) in rows(credited)  # 3 story credits + #4
    assert len(exported) == 3 and exported[0].story == "Saved the Jansen renewal"


def test_export_has_one_row_per_recognition_in_order_with_principles(uow, data):
    a, _, _ = data
    with uow() as tx:
        tx.members.upsert(a.id, [_person("U1", "Ana"), _person("U2", "=Bo")], NOW)
        tx.commit()
    with uow() as tx:
        exported = list(tx.leaderboard.export_rows(a.id, november()))
    assert [(r.giver_id, r.recipient_id, r.kind) for r in exported] == [
        ("U2", "U5", "recovery"),
        ("U1", "U2", "success"),
        ("U1", "U3", "success"),
        ("U1", "U2", "recovery"),
        ("U4", "U3", "success"),
        ("U3", "U2", "success"),
    ]
    assert exported[1].principles == ("care",) and exported[1].giver == "Ana"
    out = io.StringIO()
    assert write_rows(exported, out, AMS) == 6
    lines = out.getvalue().splitlines()
    assert (
        lines[0]
        == "date,giver,giver_id,recipient,recipient_id,kind,principles,story,channel,reason,source"
    )
    assert lines[1].startswith("2026-11-01 00:30,'=Bo,U2,,U5,recovery,,,C2,")
    assert lines[2].startswith("2026-11-02 11:00,Ana,U1,'=Bo,U2,success,care,,C1,")


def test_triggers_are_present_at_head(db, uow, data):
    a, _, _ = data
    with uow() as tx:
        kept = tx.session.execute(
            select(
                RecognitionTotalRow.received,
                RecognitionTotalRow.received_success,
                RecognitionTotalRow.given,
            ).where(RecognitionTotalRow.workspace_id == a.id, RecognitionTotalRow.user_id == "U2")
        ).one()
        months = tx.session.execute(
            select(RecognitionMonthRow.month, RecognitionMonthRow.received)
            .where(RecognitionMonthRow.workspace_id == a.id, RecognitionMonthRow.user_id == "U2")
            .order_by(RecognitionMonthRow.month)
        ).all()
    assert tuple(kept) == (3, 2, 2)
    assert [tuple(m) for m in months] == [("2026-10", 0), ("2026-11", 3)]


def _person(user_id: str, name: str):
    from bot.domain.model import Person

    return Person(user_id, name)


@pytest.mark.parametrize(
    "tz", ["Europe/Amsterdam", "America/New_York", "Asia/Kolkata", "Pacific/Auckland"]
)
def test_monthly_counts_with_edges_agree_with_counting_every_recognition(db, uow, tz):
    from collections import Counter

    from bench.generate import Plan, generate

    plan = Plan(seed=3, recognitions=400, people=15, days=120, neighbours=0, end=NOW)
    workspace = generate(db.engine, plan).workspaces["TBENCH000"]
    for period in ("2026-09", "2026-10", "month", "quarter", "2026-Q3", "year"):
        window = resolve(period, now=NOW, tz=tz)
        where = Slice(window.start, window.end)
        with uow() as tx:
            received, given = tx.leaderboard.board(workspace, where, limit=1000)
            rows = list(tx.leaderboard.export_rows(workspace, where))
        assert {s.user_id: s.total for s in received.top} == Counter(r.recipient_id for r in rows)
        assert {s.user_id: s.total for s in given.top} == Counter(r.giver_id for r in rows)
        assert received.success == sum(r.kind == "success" for r in rows), period
