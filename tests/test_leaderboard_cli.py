"""`bravo export --team T --period P --out FILE`, run as an operator would."""

from __future__ import annotations

import csv
from datetime import UTC, datetime

from bot.domain.model import Kind, KindDecision, KindSource, Source, TeamRef, WorkspaceDefaults
from tests.test_cli import bravo


def seed(uow) -> None:
    with uow() as tx:
        workspace = tx.workspaces.ensure(
            TeamRef("T0EXPORT"), WorkspaceDefaults(timezone="Europe/Amsterdam"), datetime.now(UTC)
        )
        for when, recipient in (("2026-10-31 22:30", "U0OCT"), ("2026-10-31 23:30", "U0NOV")):
            tx.recognitions.add_shoutout(
                workspace.id,
                giver="U0ANA",
                recipients=(recipient,),
                reason='=HYPERLINK("http://evil") for a great save',
                kind=KindDecision(Kind.SUCCESS, KindSource.DEFAULT),
                principles=("care",),
                source=Source.COMMAND,
                channel_id="C0SUPPORT",
                now=datetime.fromisoformat(when).replace(tzinfo=UTC),
            )
        tx.commit()


def test_exports_a_named_month_in_the_workspace_time_zone(db, uow, tmp_path):
    seed(uow)
    out = tmp_path / "export.csv"
    result = bravo(
        "export", "--team", "T0EXPORT", "--period", "2026-11", "--out", str(out),
        env={"DATABASE_URL": db.url},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "1 recognition (2026-11)" in result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["date"], r["recipient_id"], r["principles"]) for r in rows] == [
        ("2026-11-01 00:30", "U0NOV", "care")
    ]
    assert rows[0]["reason"].startswith("'=HYPERLINK")  # never a live formula in a spreadsheet


def test_writes_to_standard_output_without_out(db, uow):
    seed(uow)
    result = bravo("export", "--team", "T0EXPORT", "--period", "all", env={"DATABASE_URL": db.url})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("date,giver,giver_id,recipient")
    assert len(result.stdout.splitlines()) == 3


def test_refuses_an_unknown_team_or_period(db, uow):
    seed(uow)
    unknown = bravo("export", "--team", "T0NOPE", env={"DATABASE_URL": db.url})
    assert unknown.returncode == 1 and "no workspace with team id T0NOPE" in unknown.stderr
    bad = bravo("export", "--team", "T0EXPORT", "--period", "soon", env={"DATABASE_URL": db.url})
    assert bad.returncode == 2 and "not a period" in bad.stderr
