"""Every `python -m bench <name>` at a tiny size, so the benchmarks cannot rot. SQLite only
(PostgreSQL runs in the real measurements); each finishes in seconds."""

from __future__ import annotations

import json

import pytest

from bench.__main__ import main

TINY = {
    "tick": ["--workspaces", "30", "--runs", "1", "--no-pg"],
    "digest": ["--recognitions", "200", "--people", "20", "--runs", "1", "--no-pg"],
    "fanout": [
        "--workspaces",
        "6",
        "--outbox",
        "6",
        "--latency-ms",
        "5",
        "--runs",
        "1",
        "--no-pg",
    ],
    "memory": ["--workspaces", "30", "--warmup", "2", "--runs", "1"],
    "leaderboard": [
        "--recognitions",
        "2000",
        "--people",
        "50",
        "--runs",
        "3",
        "--only",
        "sqlite",
    ],
    "ack": ["--requests", "20", "--concurrency", "2", "--runs", "1"],
    "kudos-cpu": ["--requests", "20", "--runs", "1", "--top", "5"],
}


@pytest.mark.parametrize("name", list(TINY))
def test_each_bench_runs_and_writes_its_report(name, tmp_path):
    out = tmp_path / f"{name}.json"
    main([name, *TINY[name], "--out", str(out)])  # a tiny size may miss a bar; it must run
    report = json.loads(out.read_text())
    assert report["bench"] == name
    assert report["figures"] and all(f["runs"] for f in report["figures"])
    assert report["machine"]["cores"] and report["machine"]["python"]
    zero_bars = [f for f in report["figures"] if f["unit"] == "" and f["bar"] == 1]
    assert all(f["value"] == 0 for f in zero_bars), "a duplicate, loss or error at a tiny size"
