"""`bravo purge --team T`, run as an operator would, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys

from tests.test_cli import ROOT, bravo
from tests.test_retention import counts, of, seed


def purge(db, *args: str, answer: str | None = None) -> subprocess.CompletedProcess:
    if answer is None:
        return bravo("purge", *args, env={"DATABASE_URL": db.url})
    return subprocess.run(
        [sys.executable, "-m", "bot.entrypoints.cli", "purge", *args],
        input=answer,
        capture_output=True,
        text=True,
        env={"DATABASE_URL": db.url, "PATH": "/usr/bin:/bin"},
        cwd=ROOT,
        timeout=60,
    )


def test_purge_with_yes_deletes_the_workspace_and_says_what(db):
    seed(db, "T0GO")
    seed(db, "T0STAY")
    stay = of(counts(db), "T0STAY")
    result = purge(db, "--team", "T0GO", "--yes")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("bravo purge: deleted T0GO for good: ")
    assert "1 recognitions" in result.stdout and "1 workspaces" in result.stdout
    assert db.scalar("SELECT count(*) FROM workspaces WHERE team_id = 'T0GO'") == 0
    assert of(counts(db), "T0STAY") == stay


def test_purge_asks_and_the_typed_team_id_confirms(db):
    seed(db, "T0GO")
    result = purge(db, "--team", "T0GO", answer="T0GO\n")
    assert result.returncode == 0, result.stderr
    assert "Type the team id (T0GO)" in result.stderr
    assert "holds" in result.stderr and "recognitions" in result.stderr  # shown before asking
    assert db.scalar("SELECT count(*) FROM workspaces") == 0


def test_purge_answered_no_keeps_everything(db):
    seed(db, "T0GO")
    before = counts(db)
    for answer in ("no\n", "", "t0go\n"):  # a refusal, no input at all, a near miss
        result = purge(db, "--team", "T0GO", answer=answer)
        assert result.returncode == 1
        assert result.stderr.strip().endswith("bravo purge: nothing deleted")
    assert counts(db) == before


def test_purge_of_an_unknown_team_says_so_in_one_line(db):
    seed(db, "T0STAY")
    before = counts(db)
    result = purge(db, "--team", "T0NOBODY", "--yes")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "bravo purge: no workspace with team id T0NOBODY; nothing deleted"
    ]
    assert counts(db) == before
