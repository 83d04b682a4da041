"""The `bravo` command: the entry points that read Settings and build the running parts."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import yaml

from bot.settings import Settings, SettingsError, load_settings


def main(argv: Sequence[str] | None = None) -> int:
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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bravo", description="Bravo: recognise what goes well for customers, in Slack."
    )
    sub = parser.add_subparsers(metavar="command")

    serve = sub.add_parser("serve", help="HTTP mode under gunicorn (/slack/events, /healthz)")
    serve.add_argument("--workers", type=int, help="worker processes (default WEB_CONCURRENCY)")
    serve.add_argument("--threads", type=int, default=8, help="threads per worker (default 8)")
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

    check = sub.add_parser("check", help="validate settings, database and Slack auth")
    check.set_defaults(run=_check)

    demo = sub.add_parser("demo", help="run Bravo offline against a built-in Slack stand-in")
    demo.set_defaults(run=_demo)
    return parser


def _settings() -> Settings:
    settings = load_settings()
    from bot.runtime import configure_logging

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


def _serve(args: argparse.Namespace) -> int:
    settings = _settings()
    settings.require("slack_signing_secret", why="for HTTP mode (bravo serve)")
    if not settings.oauth_enabled:
        settings.require("slack_bot_token", why="for HTTP mode without OAuth")
    _migrate_sqlite(settings)
    from bot.server import serve

    serve(settings, workers=args.workers or settings.web_concurrency, threads=args.threads)
    return 0


def _socket(_args: argparse.Namespace) -> int:
    settings = _settings()
    settings.require("slack_app_token", "slack_bot_token", why="for Socket Mode (bravo socket)")
    _migrate_sqlite(settings)
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.runtime import build_app, build_runtime

    app = build_app(build_runtime(settings))
    SocketModeHandler(app, settings.slack_app_token.get_secret_value()).start()
    return 0


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
    from bot.slack.manifest import build_manifest

    manifest = build_manifest(args.url, socket=args.socket)
    print(yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=100), end="")
    return 0


def _check(_args: argparse.Namespace) -> int:
    from bot.check import run_checks

    return run_checks(load_settings())


def _demo(_args: argparse.Namespace) -> int:
    from bot.demo import run_demo

    return run_demo()


if __name__ == "__main__":
    sys.exit(main())
