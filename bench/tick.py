"""The SPEC 5 tick bar, claiming only: 10,000 workspaces in mixed time zones (`bench.fleet`).

- idle: `bot.domain.ledger.claim_due` when nothing is due (under 5 ms);
- burst: claiming every target due at 09:00 in the burst zone, batch after batch as the tick
  does (10,002 targets for 10,000 workspaces; under 2 s);
- two claimers (PostgreSQL): two processes claim the burst at once; every
  (workspace, channel, kind, period) must be claimed exactly once.

Posting is measured by `bench fanout`.

    python -m bench tick [--workspaces 10000] [--runs 5] [--no-pg]
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from bench import fleet as fleet_mod
from bench.runner import DEFAULT_PG, Report, backends, timed
from bot.domain.ledger import claim_due
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.models import PostRow
from storage.uow import UnitOfWorkFactory

BARS = {"idle": 5.0, "burst": 2000.0}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workspaces", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pg", default=DEFAULT_PG)
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")


def claim_all(uow: UnitOfWorkFactory, at) -> list[tuple]:
    """Claim batch after batch until nothing due is left, as `jobs.tick.tick` does."""
    claimed = []
    while True:
        due = claim_due(at, uow=uow())
        claimed += [(c.workspace_id, c.channel_id, c.kind.value, c.period) for c in due.claims]
        if not due.more:
            return claimed


def _claimer(url: str, start, out) -> None:
    engine = make_engine(url)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    start.wait()
    started = time.perf_counter()
    claimed = claim_all(uow, fleet_mod.BURST)
    out.put((claimed, (time.perf_counter() - started) * 1000))
    engine.dispose()


def two_claimers(url: str) -> tuple[list[tuple], list[float]]:
    """Two processes claim the burst at the same moment: every claim, and each one's time."""
    context = multiprocessing.get_context("spawn")
    start, out = context.Event(), context.Queue()
    workers = [context.Process(target=_claimer, args=(url, start, out)) for _ in range(2)]
    for worker in workers:
        worker.start()
    time.sleep(2)  # both have imported and connected
    start.set()
    results = [out.get(timeout=300) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    return [c for claims, _ in results for c in claims], [ms for _, ms in results]


def run(args: argparse.Namespace, progress) -> Report:
    report = Report("tick")
    with (
        tempfile.TemporaryDirectory(prefix="bravo-bench-") as folder,
        backends(args, Path(folder)) as chosen,
    ):
        steps = len(chosen) * (2 + 2 * args.runs) + (args.runs if len(chosen) > 1 else 0)
        task = progress.add_task("tick", total=steps)
        for name, url in chosen:
            report.databases.append(url)
            engine = make_engine(url)
            upgrade(engine)
            progress.update(task, description=f"tick: {name}, building the fleet")
            started = time.perf_counter()
            fleet = fleet_mod.build(engine, args.workspaces)
            report.details[f"{name} fleet"] = {
                "workspaces": fleet.workspaces,
                "targets": len(fleet.targets),
                "burst workspaces": fleet.burst_workspaces,
                "due at the burst": fleet.due_at_burst,
                "built in s": round(time.perf_counter() - started, 1),
            }
            progress.advance(task)
            uow = UnitOfWorkFactory(make_session_factory(engine))
            idle_at = fleet_mod.BURST - timedelta(seconds=30)
            claim_due(idle_at, uow=uow())  # warm-up: connections, statement caches
            progress.advance(task)
            progress.update(task, description=f"tick: {name}, idle")
            idle = []
            for _ in range(args.runs):
                idle.append(timed(lambda at=idle_at, u=uow: claim_due(at, uow=u())))
                progress.advance(task)
            report.add(f"idle tick, {name}", idle, bar=BARS["idle"])
            progress.update(task, description=f"tick: {name}, burst")
            burst, counts, cpu = [], [], []
            for _ in range(args.runs):
                fleet_mod.reset(engine, fleet)
                claimed: list[tuple] = []
                started = time.process_time()
                burst.append(
                    timed(lambda c=claimed, u=uow: c.extend(claim_all(u, fleet_mod.BURST)))
                )
                cpu.append((time.process_time() - started) * 1000)
                counts.append(len(claimed))
                progress.advance(task)
            report.add(
                f"claim the burst ({fleet.due_at_burst:,} targets), {name}",
                burst,
                bar=BARS["burst"],
                # This process's CPU time (not PostgreSQL's): less swayed by a busy machine.
                note=f"claimed {min(counts):,}-{max(counts):,}, "
                f"{statistics.median(cpu):,.0f} ms CPU",
            )
            if name == "PostgreSQL":
                _two_claimers(report, engine, url, fleet, args.runs, progress, task)
            engine.dispose()
    return report


def _two_claimers(report, engine, url, fleet, runs, progress, task) -> None:
    progress.update(task, description="tick: PostgreSQL, two claimers")
    times, duplicates, missing, split = [], [], [], []
    for _ in range(runs):
        fleet_mod.reset(engine, fleet)
        claims, each = two_claimers(url)
        times.append(max(each))
        counted = Counter(claims)
        duplicates.append(sum(n - 1 for n in counted.values() if n > 1))
        with engine.connect() as connection:
            rows = connection.execute(
                select(func.count()).select_from(PostRow).where(PostRow.kind != "members")
            ).scalar()
        missing.append(fleet.due_at_burst - len(counted))
        split.append(f"{len(claims)} claims, ledger rows {rows}")
        progress.advance(task)
    report.add(
        "two claimers at once, PostgreSQL (slower one)",
        times,
        bar=BARS["burst"],
        note=f"duplicates {max(duplicates)}, unclaimed {max(missing)}",
    )
    report.add("two claimers: duplicate claims", [float(d) for d in duplicates], unit="", bar=1)
    report.add("two claimers: targets left unclaimed", [float(m) for m in missing], unit="", bar=1)
    report.details["two claimers"] = split
