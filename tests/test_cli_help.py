"""`bravo <command> --help` explains each command with examples; `bravo db` shows its own help."""

from __future__ import annotations

import pytest

from bot.entrypoints.cli import _parser, main
from bot.entrypoints.cli_help import subcommands
from tests.test_cli import bravo

# A command that passes its arguments on (`bravo bench`) answers --help with its own tool's.
COMMANDS = sorted(path for path, command in subcommands(_parser()).items() if command.add_help)


def test_every_command_is_listed():
    assert {"serve", "socket", "db", "db upgrade", "demo", "tick", "run-job"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_a_description_and_an_example(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([*command.split(), "--help"])
    assert done.value.code == 0
    shown = capsys.readouterr().out
    usage, _, rest = shown.partition("\n\n")
    description = rest.split("\n\n")[0]
    assert usage.startswith(f"usage: bravo {command}")
    assert description.strip() and not description.startswith(("options:", "positional"))
    assert "examples:\n" in shown
    examples = shown.split("examples:\n", 1)[1].splitlines()
    assert examples and all(
        line.startswith(f"  bravo {command.split()[0]}")
        for line in examples
        if not line.startswith("  NO_COLOR") and "=" not in line.split()[0]
    )


def test_bravo_alone_suggests_the_first_steps(capsys):
    assert main([]) == 2
    shown = capsys.readouterr().out
    assert "examples:\n  bravo demo" in shown and "bravo socket" in shown


def test_bravo_db_alone_shows_the_db_help_and_exits_2():
    result = bravo("db")
    assert result.returncode == 2
    assert result.stdout.startswith("usage: bravo db")
    assert "upgrade" in result.stdout and "bravo db upgrade" in result.stdout
    assert "demo" not in result.stdout  # not the top-level list of commands


def test_the_demo_takes_a_language_days_and_a_database(capsys):
    with pytest.raises(SystemExit):
        main(["demo", "--help"])
    shown = capsys.readouterr().out
    assert "--language {en,nl}" in shown and "--days" in shown and "--db" in shown


@pytest.mark.parametrize("days", ["0", "6", "two"])
def test_the_demo_refuses_days_outside_the_week(days, capsys):
    with pytest.raises(SystemExit) as done:
        main(["demo", "--days", days])
    assert done.value.code == 2
    assert "1 to 5 days" in capsys.readouterr().err


def test_bravo_bench_help_is_the_bench_runners_help(capsys):
    with pytest.raises(SystemExit) as done:
        main(["bench", "--help"])
    assert done.value.code == 0
    shown = capsys.readouterr().out
    assert shown.startswith("usage: python -m bench") and "fanout" in shown
