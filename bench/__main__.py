"""`python -m bench <name>` (also `bravo bench <name>`): run one SPEC 5 benchmark, print a table,
write JSON with the machine described to `bench/results/<name>-<date>.json` (or `--out`).

    python -m bench ack --requests 2000 --concurrency 8 [--database URL] [--runs 3]
    python -m bench leaderboard [--only sqlite|postgresql] [--runs 50]
    python -m bench tick [--workspaces 10000] [--runs 5] [--no-pg]
    python -m bench fanout [--workspaces 300] [--outbox 300] [--latency-ms 100]
    python -m bench digest [--recognitions 10000] [--runs 5]
    python -m bench memory [--workspaces 10000] [--runs 3]
    python -m bench kudos-cpu [--requests 1000] [--runs 3] [--top 30]
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from bench import runner

BENCHES = {
    "ack": "bench.suites",
    "leaderboard": "bench.suites",
    "tick": "bench.tick",
    "fanout": "bench.fanout",
    "digest": "bench.digest",
    "memory": "bench.memory",
    "kudos-cpu": "bench.kudos_cpu",
}


def _module(name: str):
    module = importlib.import_module(BENCHES[name])
    return getattr(module, name) if module.__name__ == "bench.suites" else module


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="bench", metavar="name", required=True)
    for name in BENCHES:
        module = _module(name)
        one = sub.add_parser(name, help=(module.__doc__ or "").strip().split("\n")[0])
        one.add_argument("--out", help="JSON file to write (default bench/results/NAME-DATE.json)")
        module.add_arguments(one)
    args = parser.parse_args(argv)
    started = datetime.now(UTC)
    load = [round(x, 2) for x in os.getloadavg()]
    with runner.progress() as progress:
        report = _module(args.bench).run(args, progress)
    report.details["load average at start (1, 5, 15 min)"] = load
    runner.show(report)
    path = runner.write(report, args.out, argv, started)
    runner.console.print(f"wrote {path}")
    return 0 if report.passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
