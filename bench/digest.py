"""The SPEC 5 digest bar: a weekly digest over 10,000 recognitions in under 500 ms.

Measured end to end as the clock prepares it: the unit of work, the workspace, the domain
service that prepares the digest (`bot.domain.posts.prepare_digest`: the week's counts, the
spotlight, first-timers, stories) and the Block Kit build (`bot.slack.views.posts.build_post`).
The data is `bench.generate`'s, seed 3: `--recognitions` in the five working days before the
digest. `--history` instead spreads that many recognitions over two years (the leaderboard's
data set has about 10,000 a week), so the first-timer query also has history to read.

    python -m bench digest [--recognitions 10000] [--history 1000000] [--runs 5] [--no-pg]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.generate import Plan, generate
from bench.runner import DEFAULT_PG, Report, backends, timed
from bot.domain.posts import prepare_digest
from bot.slack.views.posts import build_post
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.uow import UnitOfWorkFactory

NOW = datetime(2026, 11, 27, 22, 30, tzinfo=UTC)  # Friday 23:30 in Amsterdam
BAR = 500.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--recognitions", type=int, default=10_000, help="in the digest's week")
    parser.add_argument(
        "--history",
        type=int,
        default=0,
        help="instead: this many recognitions over two years (the last week is the digest's)",
    )
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pg", default=DEFAULT_PG)
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")


def digest(uow: UnitOfWorkFactory, workspace_id: int) -> tuple:
    """What the clock does for a digest, minus Slack: prepare it, then build its blocks."""
    with uow() as tx:
        workspace = tx.workspaces.get(workspace_id)
        post = prepare_digest(tx, workspace, NOW)
    return post, build_post(post)


def run(args: argparse.Namespace, progress) -> Report:
    report = Report("digest")
    if args.history:
        plan = Plan(seed=3, recognitions=args.history, people=max(args.people, 5000), end=NOW)
        label = f"{args.history:,} recognitions over 2 years"
    else:
        plan = Plan(seed=3, recognitions=args.recognitions, people=args.people, days=5, end=NOW)
        label = f"{args.recognitions:,} recognitions this week"
    with (
        tempfile.TemporaryDirectory(prefix="bravo-bench-") as folder,
        backends(args, Path(folder)) as chosen,
    ):
        task = progress.add_task("digest", total=len(chosen) * (args.runs + 1))
        for name, url in chosen:
            report.databases.append(url)
            progress.update(task, description=f"digest: {name}, generating")
            engine = make_engine(url)
            upgrade(engine)
            started = time.perf_counter()
            summary = generate(engine, plan)
            uow = UnitOfWorkFactory(make_session_factory(engine))
            workspace_id = next(iter(summary.workspaces.values()))
            post, _ = digest(uow, workspace_id)  # warm-up
            report.details[name] = {
                "generated": summary.recognitions,
                "generated in s": round(time.perf_counter() - started, 1),
                "in the digest": post.stats.recognitions,
                "people in the digest": post.stats.people,
                "first timers": len(post.stats.first_timers),
            }
            progress.advance(task)
            progress.update(task, description=f"digest: {name}, measuring")
            times = []
            for _ in range(args.runs):
                times.append(timed(lambda u=uow, w=workspace_id: digest(u, w)))
                progress.advance(task)
            report.add(
                f"weekly digest, {name}",
                times,
                bar=BAR,
                note=f"{label}; {post.stats.recognitions:,} in the digest",
            )
            engine.dispose()
    return report
