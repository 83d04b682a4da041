"""The two benchmarks that predate the runner, `bench.ack` and `bench.leaderboard`, run through it
unchanged: `python -m bench.ack` and `python -m bench.leaderboard` still work on their own."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

from bench.runner import DEFAULT_PG, Report, pg_reachable, pg_schema, pg_url


def _ack_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--workers", type=int, default=2, help="web worker processes of every server (default 2)"
    )
    parser.add_argument(
        "--database",
        help="'postgresql' for a fresh schema on --pg, or a SQLAlchemy URL used as it is "
        "(default: a fresh SQLite file)",
    )
    parser.add_argument("--pg", default=DEFAULT_PG)
    parser.add_argument("--no-sender", action="store_true")
    parser.add_argument("--runs", type=int, default=3)


def _ack_once(args: argparse.Namespace, database: str | None, out: Path) -> dict:
    command = [
        sys.executable,
        "-m",
        "bench.ack",
        "--requests",
        str(args.requests),
        "--concurrency",
        str(args.concurrency),
        "--workers",
        str(args.workers),
        "--out",
        str(out),
    ]
    if database:
        command += ["--database", database]
    if args.no_sender:
        command.append("--no-sender")
    subprocess.run(command, capture_output=True, check=False, timeout=1800)
    if not out.exists():
        raise RuntimeError("bench.ack wrote no report")
    return json.loads(out.read_text())


def _ack_run(args: argparse.Namespace, progress) -> Report:
    report = Report("ack")
    task = progress.add_task("ack", total=args.runs)
    runs: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="bravo-bench-") as folder:
        for n in range(args.runs):
            progress.update(task, description=f"ack: run {n + 1} of {args.runs}")
            database = args.database
            if database == "postgresql":
                if not pg_reachable(args.pg):
                    raise SystemExit("PostgreSQL is not reachable at --pg")
                with pg_schema(args.pg) as url:
                    from storage.db import make_engine
                    from storage.migrate import upgrade

                    engine = make_engine(url)
                    upgrade(engine)
                    engine.dispose()
                    runs.append(_ack_once(args, url, Path(folder) / f"ack-{n}.json"))
            else:
                runs.append(_ack_once(args, database, Path(folder) / f"ack-{n}.json"))
            progress.advance(task)
    if args.database:
        report.databases.append(pg_url(args.pg) if args.database == "postgresql" else args.database)

    def each(path: str) -> list[float]:
        values = []
        for run in runs:
            value: object = run
            for key in path.split("."):
                value = value[key]  # type: ignore[index]
            values.append(float(value))  # type: ignore[arg-type]
        return values

    report.add("throughput, Bravo / bare", each("throughput_ratio"), "x", 0.7, True)
    report.add("p50, Bravo / bare", each("p50_ratio"), "x", 1.5)
    report.add("p99, Bravo / bare", each("p99_ratio"), "x", 2.0)
    report.add("fully processed, Bravo / bare with one DM", each("processed_ratio"), "x", 0.5, True)
    report.add("Bravo fully processed", each("bravo.processed_per_s"), "/s")
    report.add("bare with one DM fully processed", each("bare_dm.processed_per_s"), "/s")
    report.add("Bravo throughput", each("bravo.rps"), "req/s")
    report.add("bare throughput", each("bare.rps"), "req/s")
    report.add("Bravo p50", each("bravo.p50_ms"))
    report.add("bare p50", each("bare.p50_ms"))
    report.add("Bravo p99", each("bravo.p99_ms"))
    report.add("bare p99", each("bare.p99_ms"))
    report.add("Bravo server CPU per request", each("bravo.server_cpu_ms_per_request"))
    report.add("bare server CPU per request", each("bare.server_cpu_ms_per_request"))
    report.add(
        "Bravo web workers' CPU per request, during the load",
        each("bravo.web_cpu_ms_per_request"),
    )
    report.add("Bravo senders' CPU per request", each("bravo.sender_cpu_ms_per_request"))
    report.add("announcements at Slack after the load", each("bravo.announced_after_s"), "s")
    report.add("outcomes recorded after the load", each("bravo.recorded_after_s"), "s")
    errors = [r["bravo"]["errors"] + r["bare"]["errors"] for r in runs]
    wrong = [
        abs(r["stored"] - args.requests)
        + abs(r["announced"] - args.requests)
        + abs(r["bravo"]["slack_posts"] - 2 * args.requests)
        + r["duplicate_pairs"]
        for r in runs
    ]
    report.add("errors", [float(e) for e in errors], "", 1)
    report.add(
        "recognitions not stored, announced or posted exactly once",
        [float(w) for w in wrong],
        "",
        1,
    )
    report.details["runs"] = runs
    return report


def _leaderboard_arguments(parser: argparse.ArgumentParser) -> None:
    from bench.generate import Plan

    parser.add_argument("--pg", default=DEFAULT_PG)
    parser.add_argument("--runs", type=int, default=50, help="timed calls per shape (p95 of them)")
    parser.add_argument("--recognitions", type=int, default=Plan.recognitions)
    parser.add_argument("--people", type=int, default=Plan.people)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))


def _leaderboard_run(args: argparse.Namespace, progress) -> Report:
    from bench import leaderboard
    from bench.generate import Plan
    from bench.runner import backends

    report = Report("leaderboard")
    plan = Plan(seed=1, recognitions=args.recognitions, people=args.people, end=leaderboard.END)
    with (
        tempfile.TemporaryDirectory(prefix="bravo-bench-") as folder,
        backends(SimpleNamespace(pg=args.pg, only=args.only), Path(folder)) as chosen,
    ):
        task = progress.add_task("leaderboard", total=len(chosen))
        for name, url in chosen:
            progress.update(task, description=f"leaderboard: {name} (generating, measuring)")
            report.databases.append(url)
            for f in leaderboard.run_backend(name, url, plan, args.runs):
                report.add(
                    f"{f.scenario}, {name} (p95)",
                    [f.p95],
                    bar=f.bar,
                    note=f"p50 {f.p50:.1f} ms; p95 of {args.runs} calls",
                )
            progress.advance(task)
    report.details["plan"] = {
        "recognitions": plan.recognitions,
        "people": plan.people,
        "days": plan.days,
        "seed": plan.seed,
    }
    return report


ack = SimpleNamespace(
    __doc__="ack: signed /kudos through bravo serve vs a bare Bolt app (bench/ack.py)",
    add_arguments=_ack_arguments,
    run=_ack_run,
)
leaderboard = SimpleNamespace(
    __doc__="leaderboard: every shape on 1,000,000 recognitions (bench/leaderboard.py)",
    add_arguments=_leaderboard_arguments,
    run=_leaderboard_run,
)
