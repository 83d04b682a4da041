"""kudos-cpu: the CPU one `/kudos` costs the web path, in-process, and the Python calls it makes.

The WSGI app `bravo serve` runs (the guard, Bolt, the listener, one serialised transaction) is
called directly, on one thread: no gunicorn, no senders, no other process competing, so the
figure moves with the code more than with a shared machine's load. The call count (cProfile's,
in a run of its own) is the same on any machine: the measure for a change too small for the
noise of `ack`. cProfile sees the calling thread only; a `/kudos` with text runs its listener
there (`bot.slack.acks`), so the count is the whole web path (before that change the listener
ran on a thread of Bolt's and the count left it out). Signed bodies of `bench.ack`'s shape, each
a new shout-out, against the stand-in in this process, on a fresh SQLite file (or `--database`);
everyone is in the member cache first, as the clock keeps it, and the allowance is lifted so
none is refused. No bar: `ack` holds SPEC 5's. `--top N` prints the N costliest functions of
the profiled run. `--threads N` calls the app from N threads at once in the measured runs (the
profiled run stays on one): what a web worker's threads cost each other (the GIL, the write
lock) without the other processes of `ack` on the cores.

    python -m bench kudos-cpu [--requests 1000] [--runs 3] [--threads 1] [--database URL]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import tempfile
import threading
import time
from pathlib import Path

from bench.ack import PEOPLE, SECRET, TOKEN, kudos_body
from bench.runner import Report, console
from bot.entrypoints.standin import SlackStandIn, sign

WARMUP = 50


def _bodies(count: int) -> list[bytes]:
    """`bench.ack`'s bodies, each giver thanking the next people in turn, all new requests."""
    return [
        kudos_body(n, n % PEOPLE, (n % PEOPLE + 1 + (n // PEOPLE) % (PEOPLE - 1)) % PEOPLE)
        for n in range(count)
    ]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--requests", type=int, default=1000, help="measured, per run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", help="SQLAlchemy URL (default: a fresh SQLite file)")
    parser.add_argument("--top", type=int, default=0, help="print the N costliest functions")
    parser.add_argument("--threads", type=int, default=1, help="threads calling at once")


def _app(database: str, api_url: str):
    """The web worker's app (as `BravoServer.load` builds it), and the runtime behind it."""
    from bot.entrypoints.runtime import build_app, build_runtime
    from bot.settings import load_settings
    from bot.slack.wsgi import build_wsgi

    settings = load_settings(
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=api_url,
        DATABASE_URL=database,
        LOG_LEVEL="ERROR",
    )
    runtime = build_runtime(settings, web=True)
    app = build_wsgi(
        build_app(runtime), signing_secret=runtime.signing_secret, healthy=runtime.healthy
    )
    return app, runtime


def _call(app, body: bytes) -> None:
    stamp = str(int(time.time()))
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/slack/events",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "SERVER_NAME": "bench",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_X_SLACK_REQUEST_TIMESTAMP": stamp,
        "HTTP_X_SLACK_SIGNATURE": sign(SECRET, stamp, body),
        "wsgi.input": io.BytesIO(body),
    }
    status = []
    b"".join(app(environ, lambda line, _headers, _exc=None: status.append(line)))
    if not status or not status[0].startswith("200"):
        raise RuntimeError(f"/kudos answered {status}")


def _concurrently(app, bodies: list[bytes], threads: int) -> None:
    """Every body through the app once, from `threads` threads taking the next one in turn."""
    if threads <= 1:
        for body in bodies:
            _call(app, body)
        return
    todo, failures = iter(bodies), []
    lock = threading.Lock()

    def work() -> None:
        while True:
            with lock:
                body = next(todo, None)
            if body is None:
                return
            try:
                _call(app, body)
            except Exception as error:  # noqa: BLE001  # reported once all have stopped
                failures.append(error)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if failures:
        raise failures[0]


def run(args: argparse.Namespace, progress) -> Report:
    from slack_sdk import WebClient

    from jobs.members import sync_members
    from storage.db import make_engine
    from storage.migrate import upgrade

    report = Report("kudos-cpu")
    task = progress.add_task("kudos-cpu", total=args.runs + 1)
    cpu, wall, calls = [], [], []
    with SlackStandIn() as slack, tempfile.TemporaryDirectory() as tmp:
        for n in range(PEOPLE):
            slack.add_user(f"U{n:05d}", f"Person {n}", tz="Europe/Amsterdam")
        database = args.database or f"sqlite:///{Path(tmp) / 'bench.db'}"
        if not args.database:
            upgrade(make_engine(database))
        app, runtime = _app(database, slack.api_url)
        bodies = _bodies(WARMUP + args.requests * (args.runs + 1))
        for body in bodies[:WARMUP]:  # makes the workspace; then the clock's member sync
            _call(app, body)
        client = WebClient(token=TOKEN, base_url=slack.api_url)
        services = runtime.services
        sync_members(uow=services.uow, clock=services.clock, client_for=lambda _w: client)
        with runtime.engine.begin() as connection:  # every request stored, none refused
            connection.exec_driver_sql("UPDATE workspaces SET allowance = 1000000")
        for n in range(args.runs + 1):
            chunk = bodies[WARMUP + n * args.requests : WARMUP + (n + 1) * args.requests]
            profiler = cProfile.Profile() if n == args.runs else None  # a run of its own
            started_cpu, started = time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
                for body in chunk:
                    _call(app, body)
            else:
                _concurrently(app, chunk, args.threads)
            if profiler:
                profiler.disable()
                stats = pstats.Stats(profiler)
                calls.append(stats.total_calls / len(chunk))  # type: ignore[attr-defined]
                if args.top:
                    out = io.StringIO()
                    stats.stream = out  # type: ignore[attr-defined]
                    stats.sort_stats("cumulative").print_stats(args.top)
                    console.print(out.getvalue())
            else:
                cpu.append(1000 * (time.process_time() - started_cpu) / len(chunk))
                wall.append(1000 * (time.perf_counter() - started) / len(chunk))
            progress.advance(task)
        with runtime.engine.connect() as connection:
            stored = connection.exec_driver_sql("SELECT count(*) FROM shoutouts").scalar()
        runtime.engine.dispose()
    if stored != len(bodies):  # each request a new shout-out: none refused, none replayed
        raise RuntimeError(f"{stored} shout-outs stored for {len(bodies)} requests")
    report.add("CPU per /kudos, web path in-process", cpu, "ms")
    report.add("wall per /kudos, web path in-process", wall, "ms")
    report.add("Python calls per /kudos (cProfile)", calls, "")
    report.details["requests per run"] = args.requests
    report.details["threads"] = args.threads
    report.details["database"] = "sqlite (fresh file)" if not args.database else "given"
    return report
