"""The `bravo` command: the entry points that read Settings and build the running parts."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

import yaml

from bot.entrypoints.cli_help import counted, finish_help
from bot.settings import Settings, SettingsError, load_settings

SIGNING_SECRET_MISSING = (
    "bravo: SLACK_SIGNING_SECRET is required for HTTP mode (bravo serve); copy the Signing Secret "
    "from your app's Basic Information page (App Credentials) at https://api.slack.com/apps"
)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["bench"]:  # everything after it, --help too, is the bench runner's
        return _bench(argparse.Namespace(bench_args=argv[1:]))
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return args.run(args) or 0
    except SettingsError as exc:
        print(exc.code, file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C on the clock, the sender or Socket Mode: a clean stop
        print("bravo: stopped", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bravo", description="Bravo: recognise what goes well for customers, in Slack."
    )
    sub = parser.add_subparsers(metavar="command")

    serve = sub.add_parser("serve", help="HTTP mode under gunicorn (/slack/events, /healthz)")
    serve.add_argument("--workers", type=int, help="worker processes (default WEB_CONCURRENCY)")
    serve.add_argument("--threads", type=int, default=8, help="threads per worker (default 8)")
    serve.add_argument(
        "--no-sender",
        action="store_true",
        help="do not start the outbox sender (run `bravo sender` as its own process instead)",
    )
    serve.set_defaults(run=_serve)

    socket = sub.add_parser("socket", help="Socket Mode (no public URL needed)")
    socket.set_defaults(run=_socket)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(metavar="action")
    upgrade = db_sub.add_parser("upgrade", help="apply migrations up to head")
    upgrade.set_defaults(run=_db_upgrade)

    manifest = sub.add_parser("manifest", help="print the Slack app manifest (YAML)")
    manifest.add_argument("--url", help="public base URL for HTTP mode")
    manifest.add_argument("--socket", action="store_true", help="Socket Mode manifest")
    manifest.set_defaults(run=_manifest)

    sender = sub.add_parser("sender", help="post queued announcements and DMs as they come")
    sender.set_defaults(run=_sender)

    scheduler = sub.add_parser("scheduler", help="the clock process: one tick every minute")
    scheduler.set_defaults(run=_scheduler)

    tick = sub.add_parser("tick", help="run the scheduler's tick once: posts only what is due")
    tick.add_argument("--at", type=_instant, help="as if the clock read this ISO-8601 instant")
    tick.set_defaults(run=_tick)

    run_job = sub.add_parser("run-job", help="run one job now, whatever its schedule")
    run_job.add_argument("job", choices=["principle", "digest", "leaderboard", "outbox", "members"])
    run_job.add_argument("--team", help="only this team id")
    run_job.add_argument("--at", type=_instant, help="as if the clock read this ISO-8601 instant")
    run_job.set_defaults(run=_run_job)

    export = sub.add_parser("export", help="write a workspace's recognitions as CSV")
    export.add_argument("--team", required=True, help="Slack team id (T...)")
    export.add_argument(
        "--period",
        default="month",
        help="today|week|month|quarter|year|all|YYYY-MM|YYYY-Qn, in the workspace's time zone",
    )
    export.add_argument("--out", help="file to write (default: standard output)")
    export.set_defaults(run=_export)

    keys = sub.add_parser("keys", help="the encryption keys of stored tokens")
    keys_sub = keys.add_subparsers(metavar="action")
    rotate = keys_sub.add_parser("rotate", help="re-encrypt every stored token with the first key")
    rotate.set_defaults(run=_keys_rotate)

    check = sub.add_parser("check", help="validate settings, database and Slack auth")
    check.set_defaults(run=_check)

    from bot.entrypoints import purge

    purge.add_parser(sub)

    demo = sub.add_parser("demo", help="run Bravo offline against a built-in Slack stand-in")
    demo.add_argument(
        "--language", choices=["en", "nl"], help="what Bravo speaks (default BRAVO_LANGUAGE or en)"
    )
    demo.add_argument(
        "--days", type=_demo_days, default=5, help="how many days of the week to play (1-5; 5)"
    )
    demo.add_argument("--db", help="SQLite file to keep the demo's data in (default: a temp dir)")
    demo.set_defaults(run=_demo)

    bench = sub.add_parser(
        "bench",
        help="run a SPEC 5 benchmark (ack, leaderboard, tick, fanout, digest, memory, kudos-cpu)",
        add_help=False,
    )
    bench.add_argument("bench_args", nargs=argparse.REMAINDER)
    bench.set_defaults(run=_bench)
    return finish_help(parser)


def _export(args: argparse.Namespace) -> int:
    from bot.entrypoints.export import run

    return run(args)


def _instant(text: str):
    """ISO-8601 with an offset (`2026-11-23T09:00+01:00`, `...Z`); naive means UTC."""
    from datetime import UTC, datetime

    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 instant: {text!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _settings() -> Settings:
    settings = load_settings()
    from bot.entrypoints.runtime import configure_logging

    configure_logging(settings)
    return settings


def _migrate_sqlite(settings: Settings) -> None:
    """SQLite needs no release phase: serve, socket and demo migrate it themselves."""
    if settings.is_sqlite:
        from storage.db import make_engine
        from storage.migrate import upgrade

        engine = make_engine(settings.database_url)
        upgrade(engine)
        engine.dispose()


def _verify_tokens(settings: Settings, *, socket: bool = False) -> None:
    """Slack must accept the tokens before anything is built (one line if not, no traceback)."""
    from bot.entrypoints.startup import verify_tokens

    verify_tokens(settings, socket=socket)


def _serve(args: argparse.Namespace) -> int:
    settings = _settings()
    secret = settings.slack_signing_secret
    if secret is None or not secret.get_secret_value().strip():
        # No unverified HTTP mode: anyone could post as Slack. Socket Mode needs no secret.
        raise SettingsError(SIGNING_SECRET_MISSING)
    if settings.oauth_enabled:
        settings.require("slack_client_secret", why="with SLACK_CLIENT_ID (OAuth)")
    else:
        settings.require("slack_bot_token", why="for HTTP mode without OAuth")
    _verify_tokens(settings)
    _migrate_sqlite(settings)
    from bot.entrypoints.server import serve

    serve(
        settings,
        workers=args.workers or settings.web_concurrency,
        threads=args.threads,
        sender=not args.no_sender,
    )
    return 0


def _socket(_args: argparse.Namespace) -> int:
    settings = _settings()
    settings.require("slack_app_token", "slack_bot_token", why="for Socket Mode (bravo socket)")
    _verify_tokens(settings, socket=True)
    _migrate_sqlite(settings)
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.entrypoints.runtime import (
        build_app,
        build_runtime,
        clock_client,
        run_tick,
        settle,
        start_sender_thread,
    )
    from jobs.scheduler import build_scheduler

    runtime = build_runtime(settings)
    app = build_app(runtime)
    settle()
    # One command for a small team: the clock ticks and the outbox is sent in this process too.
    client = clock_client(settings)
    build_scheduler(lambda: run_tick(runtime, client), blocking=False).start()
    start_sender_thread(runtime, client)
    logging.getLogger(__name__).info(
        "Socket Mode: connecting to Slack (no public URL); clock and outbox sender in this process"
    )
    SocketModeHandler(app, settings.slack_app_token.get_secret_value()).start()
    return 0


def _clock_runtime(args: argparse.Namespace):
    from bot.domain.clock import FixedClock
    from bot.entrypoints.runtime import build_runtime, job_clients

    settings = _settings()
    if not settings.oauth_enabled:
        settings.require("slack_bot_token", why="to post (single-workspace mode)")
    at = getattr(args, "at", None)
    runtime = build_runtime(settings, clock=FixedClock(at) if at else None)
    return runtime, job_clients(runtime)


def _sender(args: argparse.Namespace) -> int:
    import signal
    import threading

    from bot.entrypoints.runtime import settle
    from jobs.outbox import run_sender

    runtime, client = _clock_runtime(args)
    settle()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    services = runtime.services
    run_sender(
        uow=services.uow,
        client=client.outbox,
        clock=services.clock,
        stop=stop,
        concurrency=runtime.settings.sender_concurrency,
    )
    return 0


def _scheduler(args: argparse.Namespace) -> int:
    from bot.entrypoints.runtime import run_tick, settle
    from jobs.scheduler import build_scheduler, run_until_stopped

    runtime, client = _clock_runtime(args)
    settle()
    if run_until_stopped(build_scheduler(lambda: run_tick(runtime, client))):
        raise KeyboardInterrupt  # Ctrl-C: `main` says "stopped"
    return 0


def _tick(args: argparse.Namespace) -> int:
    from bot.entrypoints.runtime import run_tick

    runtime, client = _clock_runtime(args)
    report = run_tick(runtime, client)
    sent = sum(p.status == "sent" for p in report.published)
    print(
        f"bravo: tick at {runtime.services.clock.now().isoformat()}: {report.claimed} due, "
        f"{sent} posted, {report.skipped} skipped, {report.outbox} outbox messages"
    )
    return 0


def _run_job(args: argparse.Namespace) -> int:
    from bot.domain.outbox import due_messages
    from bot.domain.schedule import PostKind
    from jobs.outbox import send_outbox
    from jobs.tick import run_job

    runtime, client = _clock_runtime(args)
    services = runtime.services
    if args.job == "members":
        from jobs.members import sync_members

        synced = sync_members(
            uow=services.uow, clock=services.clock, client_for=client.client_for, team_id=args.team
        )
        print(f"bravo: members: {counted(synced, 'workspace directory')} synced")
        return 0
    if args.job == "outbox":
        due = due_messages(services.clock.now(), uow=services.uow())
        results = send_outbox(due, uow=services.uow, client=client.outbox, clock=services.clock)
        print(f"bravo: outbox: {counted(len(results), 'message')} handled")
        return 0
    published = run_job(
        PostKind(args.job),
        uow=services.uow,
        clock=services.clock,
        client_for=client.client_for,
        team_id=args.team,
        managers=services.managers,
    )
    for item in published:
        print(
            f"bravo: {args.job} for {item.claim.channel_id} ({item.claim.period}): {item.status}"
            + (f" ({item.error})" if item.error else "")
        )
    if not published:
        print(
            f"bravo: {args.job}: nothing to post (already posted for this period, or no "
            f"{args.job} channel set: /bravo set {args.job}-channel #channel)"
        )
    return 0 if all(p.status in ("sent", "empty") for p in published) else 1


def _db_upgrade(_args: argparse.Namespace) -> int:
    settings = _settings()
    from storage.db import make_engine
    from storage.migrate import upgrade

    engine = make_engine(settings.database_url)
    upgrade(engine)
    engine.dispose()
    print("bravo: database is at the latest revision")
    return 0


def _manifest(args: argparse.Namespace) -> int:
    from bot.entrypoints.startup import check_public_url
    from bot.slack.manifest import build_manifest

    check_public_url(args.url)
    manifest = build_manifest(args.url, socket=args.socket)
    print(yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=100), end="")
    return 0


def _keys_rotate(_args: argparse.Namespace) -> int:
    from bot.entrypoints.keys import rotate_keys

    return rotate_keys(_settings())


def _check(_args: argparse.Namespace) -> int:
    from bot.entrypoints.check import run_checks

    return run_checks(load_settings())


def _demo_days(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 5:
        raise argparse.ArgumentTypeError(f"{text!r}: the demo plays Monday to Friday, 1 to 5 days")
    return int(text)


def _demo(args: argparse.Namespace) -> int:
    from bot.entrypoints.demo import run_demo

    return run_demo(language=args.language, days=args.days, db=args.db)


def _bench(args: argparse.Namespace) -> int:
    """`python -m bench ...`; the benchmarks live beside the package in a source checkout."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    if not (root / "bench" / "__main__.py").exists():
        print("bravo bench: needs a source checkout (the bench/ folder)", file=sys.stderr)
        return 2
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from bench.__main__ import main as bench_main

    return bench_main(args.bench_args)


if __name__ == "__main__":
    sys.exit(main())
