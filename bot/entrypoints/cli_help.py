"""What `bravo <command> --help` says: a one-line description and examples for every command.

Kept beside the parser rather than in it so the examples read as one table. A command that has
subcommands of its own (`bravo db`) and is run without one prints its own help and exits 2, as
`bravo` alone does. The commands speak English to operators: `counted` words their totals.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Callable

# command path -> (description, examples); the description defaults to the command's `help`.
HELP: dict[str, tuple[str, tuple[str, ...]]] = {
    "serve": (
        "HTTP mode under gunicorn: Slack's requests on /slack/events (and /slack/install, "
        "/slack/oauth_redirect with OAuth), /healthz for the load balancer; the outbox sender "
        "runs beside the workers. Needs SLACK_SIGNING_SECRET and a public URL.",
        (
            "bravo serve",
            "bravo serve --workers 4 --threads 8",
            "bravo serve --no-sender        # and `bravo sender` as its own process",
        ),
    ),
    "socket": (
        "Socket Mode: no public URL needed; the clock and the outbox sender run in the same "
        "process (one command for a small team). Needs SLACK_APP_TOKEN and SLACK_BOT_TOKEN.",
        ("bravo socket", "LOG_LEVEL=DEBUG bravo socket"),
    ),
    "db": (
        "Database maintenance.",
        ("bravo db upgrade",),
    ),
    "db upgrade": (
        "Apply Alembic migrations up to the latest revision (serve, socket and demo do this "
        "themselves on SQLite; run it as the release step on PostgreSQL).",
        ("bravo db upgrade", "DATABASE_URL=postgresql://bravo@db/bravo bravo db upgrade"),
    ),
    "manifest": (
        "Print the Slack app manifest (YAML) to paste into https://api.slack.com/apps "
        "(Create New App, From a manifest).",
        (
            "bravo manifest --socket",
            "bravo manifest --url https://bravo.example.com > manifest.yml",
        ),
    ),
    "sender": (
        "Post queued announcements and DMs as they come (`bravo serve` starts one itself "
        "unless --no-sender).",
        ("bravo sender",),
    ),
    "scheduler": (
        "The clock process: one tick at the top of every minute posts the daily principles, "
        "digests and leaderboards that are due. Any number may run side by side.",
        ("bravo scheduler",),
    ),
    "tick": (
        "Run the scheduler's tick once, now or as if the clock read --at: posts only what is due.",
        ("bravo tick", "bravo tick --at 2026-11-27T16:00+01:00"),
    ),
    "run-job": (
        "Run one job now for the team's channels, whatever its days and times; the ledger is "
        "still claimed, so a second run for the same period posts nothing.",
        (
            "bravo run-job principle",
            "bravo run-job digest --team T0123ABCD --at 2026-11-27T16:00+01:00",
            "bravo run-job outbox",
        ),
    ),
    "export": (
        "Write a workspace's recognitions as CSV (a period in the workspace's time zone).",
        (
            "bravo export --team T0123ABCD",
            "bravo export --team T0123ABCD --period 2026-Q4 --out q4.csv",
        ),
    ),
    "check": (
        "Validate settings, the database and Slack auth, with a readable report (exit 1 when "
        "something needs fixing).",
        ("bravo check",),
    ),
    "demo": (
        "Run the real app offline against a built-in Slack stand-in: a week at a support team, "
        "every Slack message printed. No Slack account, no network.",
        (
            "bravo demo",
            "bravo demo --language nl --days 2 --db /tmp/bravo-demo.db",
            "NO_COLOR=1 bravo demo | less",
        ),
    ),
    "purge": (
        "Delete a workspace's data for good.",
        ("bravo purge --team T0123ABCD", "bravo purge --team T0123ABCD --yes"),
    ),
    "keys": ("Encryption key maintenance.", ("bravo keys rotate",)),
    "keys rotate": (
        "Re-encrypt every stored token with the first key of BRAVO_ENCRYPTION_KEY.",
        ("bravo keys rotate",),
    ),
    "bench": (
        "Run one of the SPEC 5 benchmarks and print its figures.",
        ("bravo bench ack", "bravo bench leaderboard"),
    ),
}


# `bravo --help`: the first ten minutes.
FIRST_STEPS = (
    "bravo demo                     # see it work offline, no Slack account needed",
    "bravo manifest --socket        # the app manifest to paste at api.slack.com/apps",
    "bravo check                    # are the tokens in .env right?",
    "bravo socket                   # run it for your team",
    "bravo <command> --help         # each command's own options and examples",
)


def counted(n: int, noun: str) -> str:
    """`1 recognition`, `2 recognitions`: a total in an operator's line (not a catalog message)."""
    if n == 1:
        return f"{n} {noun}"
    return f"{n} {noun[:-1] + 'ies' if noun.endswith('y') else noun + 's'}"


def finish_help(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Give every command below `parser` its description, examples and, when it has
    subcommands, a default that prints its own help."""
    _describe(parser, parser.description, FIRST_STEPS)
    for path, command in _commands(parser):
        description, examples = HELP.get(path, (_one_liner(parser, path), ()))
        _describe(command, description, examples)
        if _subparsers(command) and command.get_default("run") is None:
            command.set_defaults(run=_print_help(command))
    return parser


def _describe(
    parser: argparse.ArgumentParser, description: str | None, examples: tuple[str, ...]
) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.description = textwrap.fill(description, width=78) if description else None
    if examples:
        parser.epilog = "examples:\n" + "\n".join(f"  {line}" for line in examples)


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Every command below `parser` by its path (`"db upgrade"`), for tests and tools."""
    return dict(_commands(parser))


def _commands(parser: argparse.ArgumentParser, prefix: str = ""):
    action = _subparsers(parser)
    if action is None:
        return
    for name, command in action.choices.items():
        path = f"{prefix}{name}"
        yield path, command
        yield from _commands(command, path + " ")


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction | None:
    return next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)


def _one_liner(parser: argparse.ArgumentParser, path: str) -> str | None:
    *parents, name = path.split()
    for parent in parents:
        parser = _subparsers(parser).choices[parent]
    helps = {a.dest: a.help for a in _subparsers(parser)._choices_actions}
    return helps.get(name)


def _print_help(command: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    def run(_args: argparse.Namespace) -> int:
        command.print_help(sys.stdout)
        return 2

    return run
