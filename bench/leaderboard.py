"""The SPEC 5 leaderboard bar: 1,000,000 recognitions, 5,000 people, 2 years; month leaderboard
p95 under 50 ms and all-time under 150 ms, on SQLite and on PostgreSQL.

Each figure times the whole service a `/leaderboard` runs (`show_leaderboard`: the unit of work,
the workspace, the asker from the member cache, the rankings, the commit), minus Slack. The data
comes from `bench.generate` with a fixed seed; the big workspace has two small neighbours.

    python -m bench.leaderboard                       # SQLite, and PostgreSQL if reachable
    python -m bench.leaderboard --pg postgresql://postgres@127.0.0.1:5432/test --runs 50
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from bench.generate import Plan, generate
from bot.domain.clock import FixedClock
from bot.domain.leaderboard import LeaderboardRequest, build_profile, show_leaderboard
from bot.domain.model import Person, TeamRef
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.uow import UnitOfWorkFactory

RESULTS = Path(__file__).with_name("results") / "leaderboard.md"
END = datetime(2026, 11, 30, 22, 0, tzinfo=UTC)  # late on the last day of November, local time
BARS = {"month": 50.0, "all": 150.0}


class Directory:
    """Everyone is a plain member (the asker's record is fresh in the member cache anyway)."""

    def person(self, user_id: str) -> Person | None:
        return Person(user_id, user_id, "Europe/Amsterdam")

    def group_members(self, group_id: str) -> list[str] | None:
        return None


@dataclass
class Figure:
    backend: str
    scenario: str
    p50: float
    p95: float
    bar: float | None

    @property
    def verdict(self) -> str:
        if self.bar is None:
            return ""
        return "pass" if self.p95 < self.bar else "FAIL"


def measure(call: Callable[[], object], runs: int) -> tuple[float, float]:
    for _ in range(3):
        call()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, round(0.95 * len(times)) - 1)]


def run_backend(backend: str, url: str, plan: Plan, runs: int) -> list[Figure]:
    engine = make_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    summary = generate(engine, plan)
    print(
        f"[{backend}] generated {summary.recognitions:,} recognitions "
        f"({summary.shoutouts:,} shout-outs) in {time.perf_counter() - started:.0f}s",
        flush=True,
    )
    uow = UnitOfWorkFactory(make_session_factory(engine))
    team = next(iter(summary.workspaces))
    workspace_id = summary.workspaces[team]
    with uow() as tx:
        drift = tx.leaderboard.totals_drift(workspace_id)
    assert drift == 0, f"all-time totals drifted by {drift}"
    people = summary.people[team]
    asker = people[len(people) // 2]
    clock = FixedClock(END)
    directory = Directory()
    channel = summary.channels[team][0]

    def board(period: str, **scope) -> Callable[[], object]:
        request = LeaderboardRequest(team=TeamRef(team), asker=asker, period=period, **scope)
        return lambda: show_leaderboard(request, uow=uow(), clock=clock, directory=directory)

    def manager(period: str) -> Callable[[], object]:
        request = LeaderboardRequest(team=TeamRef(team), asker=asker, period=period)
        return lambda: show_leaderboard(
            request, uow=uow(), clock=clock, directory=directory, managers=(asker,)
        )

    scenarios: list[tuple[str, Callable[[], object], float | None]] = [
        ("month", board("month"), BARS["month"]),
        ("all", board("all"), BARS["all"]),
        ("month, manager (top 100)", manager("month"), None),
        ("all, manager (top 100)", manager("all"), None),
        ("month, one channel", board("month", channel=channel), None),
        ("month, #care", board("month", principle="care"), None),
        ("quarter", board("quarter"), None),
        ("year", board("year"), None),
        (
            "profile, all time (/bravo me)",
            lambda: build_profile(
                TeamRef(team), asker, uow=uow(), clock=clock, directory=directory
            ),
            None,
        ),
    ]
    figures = []
    for name, call, bar in scenarios:
        p50, p95 = measure(call, runs)
        figures.append(Figure(backend, name, p50, p95, bar))
        print(f"[{backend}] {name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms", flush=True)
    engine.dispose()
    return figures


def write_report(figures: list[Figure], plan: Plan, runs: int, command: str) -> None:
    RESULTS.parent.mkdir(exist_ok=True)
    lines = [
        "# Leaderboard bench (SPEC 5)",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
        f"{_cores()} cores, Python {platform.python_version()}. Command: `{command}`",
        "",
        f"Data: `bench.generate` seed {plan.seed}: {plan.recognitions:,} recognitions for "
        f"{plan.people:,} people over {plan.days} days in the measured workspace, plus "
        f"{plan.neighbours} neighbour workspaces of {plan.neighbour_recognitions:,}. "
        f"Each figure is `show_leaderboard` (or `build_profile`) end to end, {runs} runs after "
        "3 warm-ups; the asker is a plain member unless marked manager.",
        "",
        "| database | leaderboard | p50 (ms) | p95 (ms) | bar (p95) | |",
        "|---|---|---:|---:|---:|---|",
    ]
    for f in figures:
        bar = f"< {f.bar:.0f} ms" if f.bar else ""
        lines.append(
            f"| {f.backend} | {f.scenario} | {f.p50:.1f} | {f.p95:.1f} | {bar} | {f.verdict} |"
        )
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


def _cores() -> int:
    import os

    return os.cpu_count() or 0


def _pg_reachable(url: str) -> bool:
    try:
        engine = make_engine(url)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001 - any failure means "skip PostgreSQL"
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="SPEC 5 leaderboard bar")
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--recognitions", type=int, default=Plan.recognitions)
    parser.add_argument("--people", type=int, default=Plan.people)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args(argv)
    plan = Plan(seed=1, recognitions=args.recognitions, people=args.people, end=END)
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="bravo-bench-") as folder:
        if args.only in (None, "sqlite"):
            url = f"sqlite:///{Path(folder) / 'bench.db'}"
            figures += run_backend("SQLite", url, plan, args.runs)
    pg = args.pg.replace("postgresql://", "postgresql+psycopg://", 1)
    if args.only in (None, "postgresql") and _pg_reachable(pg):
        schema = "bench_" + uuid.uuid4().hex[:8]
        admin = make_engine(pg)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in pg else "?"
        try:
            figures += run_backend(
                "PostgreSQL", f"{pg}{sep}options=-csearch_path%3D{schema}", plan, args.runs
            )
        finally:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    command = "python -m bench.leaderboard " + " ".join(argv or [])
    write_report(figures, plan, args.runs, command.strip())
    return 0 if all(f.verdict != "FAIL" for f in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
