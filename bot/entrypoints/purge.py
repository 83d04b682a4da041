"""`bravo purge --team T [--yes]`: delete a workspace's data now, after a typed confirmation."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from bot.domain.retention import WorkspaceData, purge_workspace, workspace_footprint
from bot.entrypoints.cli_help import counted
from bot.settings import load_settings

UNKNOWN = "bravo purge: no workspace with team id {team}; nothing deleted"


def add_parser(sub) -> None:
    purge = sub.add_parser("purge", help="delete a workspace's data for good")
    purge.add_argument("--team", required=True, help="Slack team id (T...)")
    purge.add_argument("--yes", action="store_true", help="do not ask for a confirmation")
    purge.set_defaults(run=run)


def describe(data: WorkspaceData) -> str:
    """`12 recognitions, 3 stories, ...`: the tables that hold anything, largest first."""
    held = sorted(((n, t) for t, n in data.rows.items() if n), key=lambda item: (-item[0], item[1]))
    return ", ".join(f"{n} {table}" for n, table in held)


def run(args: argparse.Namespace, *, stdin: TextIO = sys.stdin) -> int:
    from storage.db import make_engine, make_session_factory
    from storage.uow import UnitOfWorkFactory

    team = args.team.strip()
    settings = load_settings()
    engine = make_engine(settings.database_url)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    try:
        held = workspace_footprint(team, uow=uow())
        if held is None:
            print(UNKNOWN.format(team=team), file=sys.stderr)
            return 1
        state = (
            "installed" if held.deactivated_at is None
            else f"uninstalled since {held.deactivated_at:%Y-%m-%d %H:%M} UTC"
        )  # fmt: skip
        print(f"bravo purge: {team} ({state}) holds {describe(held)}", file=sys.stderr)
        if not args.yes and not _confirmed(team, stdin):
            print("bravo purge: nothing deleted", file=sys.stderr)
            return 1
        deleted = purge_workspace(team, uow=uow())
    finally:
        engine.dispose()
    if deleted is None:  # purged by someone else in the meantime
        print(UNKNOWN.format(team=team), file=sys.stderr)
        return 1
    rows = counted(deleted.total, "row")
    print(f"bravo purge: deleted {team} for good: {describe(deleted)} ({rows})")
    return 0


def _confirmed(team: str, stdin: TextIO) -> bool:
    """The operator types the team id again; anything else (or no input) keeps the data."""
    print(
        f"This cannot be undone. Type the team id ({team}) to delete it, anything else to stop: ",
        end="",
        file=sys.stderr,
        flush=True,
    )
    return stdin.readline().strip() == team
