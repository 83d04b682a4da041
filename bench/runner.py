"""What every `python -m bench <name>` shares: figures as medians of runs, the machine they ran
on, a Rich table and progress bar, and the JSON written to `bench/results/<name>-<date>.json`."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import statistics
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import text

RESULTS = Path(__file__).with_name("results")
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
console = Console(stderr=True)
wide = Console(width=150)


@dataclass
class Figure:
    """One measured figure: the median of `runs`, against a bar (`value < bar`, or `>=` when
    higher is better)."""

    name: str
    runs: list[float]
    unit: str = "ms"
    bar: float | None = None
    higher_is_better: bool = False
    note: str = ""
    value: float = field(init=False)

    def __post_init__(self) -> None:
        self.value = statistics.median(self.runs) if self.runs else float("nan")

    @property
    def passed(self) -> bool | None:
        if self.bar is None:
            return None
        return self.value >= self.bar if self.higher_is_better else self.value < self.bar

    def verdict(self) -> str:
        if self.passed is None:
            return ""
        if self.passed:
            return "met"
        ratio = self.bar / self.value if self.higher_is_better else self.value / self.bar
        return f"missed ({ratio:.1f}x)"


@dataclass
class Report:
    bench: str
    figures: list[Figure] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    databases: list[str] = field(default_factory=list)  # URLs whose versions to describe

    def add(self, *args: Any, **kwargs: Any) -> Figure:
        figure = Figure(*args, **kwargs)
        self.figures.append(figure)
        return figure

    @property
    def passed(self) -> bool:
        return all(f.passed is not False for f in self.figures)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def ram_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def database_version(url: str) -> str:
    if url.startswith("sqlite"):
        return f"SQLite {sqlite3.sqlite_version}"
    from storage.db import make_engine

    try:
        engine = make_engine(url)
        with engine.connect() as connection:
            version = connection.execute(text("SHOW server_version")).scalar()
        engine.dispose()
        return f"PostgreSQL {version}"
    except Exception as exc:  # noqa: BLE001 - describe, do not fail the report
        return f"PostgreSQL (unreachable: {type(exc).__name__})"


def machine(databases: list[str]) -> dict[str, Any]:
    def version(package: str) -> str:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return "-"

    load = os.getloadavg()
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "ram_gb": ram_gb(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": {p: version(p) for p in ("sqlalchemy", "slack-bolt", "slack-sdk", "psycopg")},
        "databases": sorted(
            {database_version(u) for u in databases} | {database_version("sqlite")}
        ),
        "load_average": [round(x, 2) for x in load],
    }


def write(report: Report, out: str | None, argv: list[str], started: datetime) -> Path:
    path = Path(out) if out else RESULTS / f"{report.bench}-{started:%Y-%m-%d}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "bench": report.bench,
        "command": "python -m bench " + " ".join(argv),
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(report.databases),
        "passed": report.passed,
        "figures": [asdict(f) | {"verdict": f.verdict()} for f in report.figures],
        "details": report.details,
    }
    path.write_text(json.dumps(document, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def show(report: Report) -> None:
    table = Table(title=f"bench {report.bench}")
    table.add_column("figure")
    table.add_column("median", justify="right")
    table.add_column("runs", justify="right")
    table.add_column("bar", justify="right")
    table.add_column("verdict")
    table.add_column("note")
    for f in report.figures:
        bar = "" if f.bar is None else f"{'>=' if f.higher_is_better else '<'} {f.bar:g} {f.unit}"
        verdict = f.verdict()
        style = "green" if f.passed else ("red" if f.passed is False else "")
        table.add_row(
            f.name,
            f"{f.value:,.1f} {f.unit}",
            str(len(f.runs)),
            bar,
            f"[{style}]{verdict}[/{style}]" if style else verdict,
            f.note,
        )
    wide.print(table)


def progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


def timed(call: Callable[[], object]) -> float:
    """Milliseconds one call takes."""
    import time

    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def pg_url(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def pg_reachable(url: str) -> bool:
    from storage.db import make_engine

    try:
        engine = make_engine(pg_url(url))
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001 - any failure means "skip PostgreSQL"
        return False


@contextmanager
def pg_schema(url: str) -> Iterator[str]:
    """A URL for a fresh PostgreSQL schema of its own, dropped afterwards."""
    from storage.db import make_engine

    url = pg_url(url)
    schema = "bench_" + uuid.uuid4().hex[:8]
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in url else "?"
    try:
        yield f"{url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def backends(args: Any, folder: Path) -> Iterator[list[tuple[str, str]]]:
    """(name, url) of each database to measure: a fresh SQLite file, and a PostgreSQL schema of
    its own unless `--no-pg` (or PostgreSQL is unreachable)."""
    chosen = [("SQLite", f"sqlite:///{folder / 'bench.db'}")]
    if getattr(args, "only", None) == "postgresql":
        chosen = []
    wants_pg = not getattr(args, "no_pg", False) and getattr(args, "only", None) != "sqlite"
    if wants_pg and pg_reachable(args.pg):
        with pg_schema(args.pg) as url:
            yield chosen + [("PostgreSQL", url)]
    else:
        yield chosen
