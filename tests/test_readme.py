"""The README cannot drift: every `bravo …` command in it parses with the real CLI, every
setting, slash command and environment variable it names exists, the quick-start commands are
the ones CI runs, and every relative link lands. Each check is a function from the README's text
to a list of problems, so the tests below can also plant one mistake and see it caught."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from bot.domain.workspaces import KEYS
from bot.entrypoints.cli import _parser
from bot.settings import Settings
from bot.slack.ids import Command
from bot.slack.wsgi import EVENTS_PATH, HEALTH_PATH

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")

DEMO_COMMAND = "python3 -m venv .venv && . .venv/bin/activate && pip install -q . && bravo demo"
TEST_COMMAND = (
    'python3 -m venv .venv && . .venv/bin/activate && pip install -q -e ".[test]" '
    "&& ruff check . && lint-imports && pytest -q"
)
# Slack's own commands the README tells people to use; not Bravo's, so not in the manifest.
SLACK_BUILT_IN = {"/invite"}
# Placeholders in synopses and examples, and a sample value for each.
SAMPLES = {
    "T": "T0123ABCD",
    "P": "2026-11",
    "FILE": "out.csv",
    "ISO": "2026-11-23T09:00+01:00",
    "ISO-8601": "2026-11-23T09:00+01:00",
    "…": "2026-11-23T09:00+01:00",
    "N": "2",
    "PATH": "/tmp/bravo-demo.db",
    "URL": "https://bravo.example.com",
    "<name>": "ack",
}


# -- reading the README -----------------------------------------------------------------------
def code_blocks(text: str) -> list[str]:
    return re.findall(r"^ *```[^\n]*\n(.*?)^ *```", text, re.M | re.S)


def prose(text: str) -> str:
    """The README without its fenced code blocks."""
    return re.sub(r"^ *```[^\n]*\n.*?^ *```", "", text, flags=re.M | re.S)


def inline_code(text: str) -> list[str]:
    """Inline code spans; a span may run over a line break inside its paragraph."""
    paragraphs = [" ".join(p.split("\n")) for p in re.split(r"\n\s*\n", prose(text))]
    return [span for p in paragraphs for span in re.findall(r"`([^`]+)`", p)]


def headings(text: str) -> list[str]:
    return re.findall(r"^#{1,6} +(.+?) *$", prose(text), re.M)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: the rendered text, lower case, punctuation dropped."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "").lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(text: str) -> set[str]:
    seen: dict[str, int] = {}
    result = set()
    for heading in headings(text):
        base = slug(heading)
        n = seen.get(base, 0)
        seen[base] = n + 1
        result.add(base if n == 0 else f"{base}-{n}")
    return result


# -- the `bravo …` commands -------------------------------------------------------------------
# `bravo` at the start of a command: the line's start, after `&&` or an environment assignment,
# or as an installed path (`/opt/bravo/.venv/bin/bravo`).
_BRAVO = re.compile(r"(?:^\s*|&&\s*|[A-Z_]+=\S+\s+|\S*/bin/)bravo ([^#&|;>\n]*)")


def block_commands(text: str) -> list[str]:
    """Every `bravo …` invocation in a code block, up to a comment, `&&`, a pipe or a redirect."""
    found = []
    for block in code_blocks(text):
        for line in block.splitlines():
            if re.match(r"\s*\d{4}-\d\d-\d\d ", line):  # a log line, not a command
                continue
            for match in _BRAVO.finditer(line):
                found.append("bravo " + match.group(1).strip())
    return found


def synopsis_commands(text: str) -> list[str]:
    """`bravo …` in inline code, synopses included: `[x]` optional parts are kept, and each
    alternative of `a\\|b` is tried in turn."""
    found = []
    for span in inline_code(text):
        if not re.match(r"bravo [a-z-]", span):
            continue
        words = span.replace("\\|", "|").replace("[", " ").replace("]", " ").split()
        widest = max((len(w.split("|")) for w in words), default=1)
        for i in range(widest):
            found.append(" ".join(w.split("|")[min(i, len(w.split("|")) - 1)] for w in words))
    return found


def argv_of(command: str) -> list[str]:
    words = shlex.split(command)[1:]
    argv = [SAMPLES.get(w, w) for w in words]
    return [re.sub(r"<host>", "bravo.example.com", w) for w in argv]


def command_problems(text: str) -> list[str]:
    problems = []
    commands = block_commands(text) + synopsis_commands(text)
    if not commands:
        return ["no `bravo` commands found in the README"]
    for command in commands:
        argv = argv_of(command)
        try:
            args = _parser().parse_args(argv)
        except SystemExit as exc:  # argparse refuses by exiting
            problems.append(f"{command!r} does not parse (exit {exc.code})")
            continue
        if getattr(args, "run", None) is None:
            problems.append(f"{command!r} is not a complete command")
    return problems


# -- settings, slash commands, environment ----------------------------------------------------
def setting_problems(text: str) -> list[str]:
    problems = [
        f"/bravo set {key}: no such setting"
        for key in re.findall(r"/bravo set ([a-z][a-z-]*)", text)
        if key not in KEYS
    ]
    table = _table_after(text, "## Settings")
    listed = {cell for row in table for cell in re.findall(r"`([a-z-]+)`", row[0])}
    problems += [
        f"setting {key} missing from the Settings table" for key in KEYS if key not in listed
    ]
    problems += [
        f"the Settings table lists {key}, which is no setting" for key in listed - set(KEYS)
    ]
    return problems


def slash_problems(text: str) -> list[str]:
    manifest = {str(c) for c in Command}
    routes = {HEALTH_PATH, EVENTS_PATH}
    used = set(re.findall(r"(?<![\w/.:<>\-])(/[a-z][a-z-]*)(?![\w/.\-])", text))
    return [
        f"{name} is neither one of Bravo's slash commands nor one of its HTTP paths"
        for name in sorted(used - manifest - routes - SLACK_BUILT_IN)
    ]


def env_problems(text: str) -> list[str]:
    aliases = {field.alias for field in Settings.model_fields.values()}
    documented = set()
    for lines in _variable_tables(text):
        for row in lines:
            documented |= set(re.findall(r"`([A-Z][A-Z0-9_]+)`", row[0]))
    problems = [f"{name} is in a table but Bravo does not read it" for name in documented - aliases]
    configuration = set()
    for row in _table_after(text, "### Configuration"):
        configuration |= set(re.findall(r"`([A-Z][A-Z0-9_]+)`", row[0]))
    problems += [
        f"{name} is read by Bravo but not in the Configuration table"
        for name in sorted(aliases - configuration)
    ]
    return problems


def _rows(table: str) -> list[list[str]]:
    rows = []
    for line in table.strip().splitlines()[2:]:
        rows.append([cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip().strip("|"))])
    return rows


def _tables(text: str) -> list[str]:
    return re.findall(r"(?:^ *\|.*\|\n)+", prose(text), re.M)


def _variable_tables(text: str) -> list[list[list[str]]]:
    return [_rows(t) for t in _tables(text) if t.lstrip().startswith("| variable |")]


def _table_after(text: str, heading: str) -> list[list[str]]:
    start = text.index(heading + "\n")
    return _rows(_tables(text[start:])[0])


# -- quick start and links --------------------------------------------------------------------
def quick_start_problems(text: str, ci: str) -> list[str]:
    start = text.index("## Quick start")
    section = text[start : text.index("\n## ", start)]
    blocks = [block.strip() for block in code_blocks(section)]
    problems = [
        f"Quick start has no code block that is exactly {command!r}"
        for command in (DEMO_COMMAND, TEST_COMMAND)
        if command not in blocks
    ]
    if TEST_COMMAND not in ci:
        problems.append(".ci/run does not run the README's test command")
    return problems


def link_problems(text: str) -> list[str]:
    problems = []
    known = anchors(text)
    for target in re.findall(r"\]\(([^)\s]+)\)", prose(text)):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        if path and not (ROOT / path).exists():
            problems.append(f"link to {path}: no such file")
        if anchor and not path and anchor not in known:
            problems.append(f"link to #{anchor}: no such heading")
    return problems


# -- the tests --------------------------------------------------------------------------------
def test_every_bravo_command_parses():
    assert command_problems(README) == []


def test_every_setting_exists_and_the_table_lists_them_all():
    assert setting_problems(README) == []


def test_every_slash_command_is_in_the_manifest():
    assert slash_problems(README) == []


def test_environment_tables_match_the_settings():
    assert env_problems(README) == []


def test_quick_start_commands_are_the_ones_ci_runs():
    assert quick_start_problems(README, (ROOT / ".ci" / "run").read_text()) == []


def test_relative_links_and_anchors_land():
    assert link_problems(README) == []


def test_the_ten_minute_heading_is_the_one_the_demo_and_env_example_name():
    title = "Put Bravo in your Slack in ten minutes"
    assert f"## {title}\n" in README
    assert title in (ROOT / ".env.example").read_text()
    assert "Configuration" in (ROOT / ".env.example").read_text()


def test_quoted_log_lines_come_from_the_code():
    """A log line shown in the README is one Bravo (or Bolt) really writes."""
    for logger, message in re.findall(r"^ *\S+ \S+ INFO (\S+) (.+)$", README, re.M):
        if logger.startswith("bravo."):  # Bolt's own logger, named by Bravo
            continue
        source = (ROOT / (logger.replace(".", "/") + ".py")).read_text()
        static = re.split(r"[\d…]", message)[0]
        assert len(static) >= 10 and static in source, (logger, message)


def test_the_demo_transcript_is_what_the_demo_prints(tmp_path):
    """The lines quoted at the top are in `bravo demo --days 2`'s plain output (box edges
    and line wrapping aside)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BRAVO_"))}
    run = subprocess.run(
        [sys.executable, "-m", "bot.entrypoints.cli", "demo", "--days", "2"]
        + ["--db", str(tmp_path / "demo.db")],
        capture_output=True,
        text=True,
        env=env | {"NO_COLOR": "1", "PYTHONPATH": str(ROOT)},
        cwd=tmp_path,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr
    printed = _flat(run.stdout)
    transcript = code_blocks(README[: README.index("## Quick start")])[0]
    missing = [line for line in transcript.splitlines() if _flat(line) not in printed]
    assert missing == []


def test_the_check_lines_shown_are_what_bravo_check_prints(tmp_path, monkeypatch, capsys):
    """Step 7's three `ok` lines, up to what differs per workspace, against the stand-in."""
    from bot.entrypoints.check import run_checks
    from bot.settings import load_settings
    from storage.db import make_engine
    from storage.migrate import upgrade
    from tests.slack_standin import SlackStandIn

    monkeypatch.chdir(tmp_path)
    engine = make_engine("sqlite:///bravo.db")
    upgrade(engine)
    engine.dispose()
    with SlackStandIn() as slack:
        settings = load_settings(
            slack_bot_token="xoxb-readme",
            slack_app_token="xapp-readme",
            slack_api_url=slack.api_url,
            database_url="sqlite:///bravo.db",
            timezone="Europe/Amsterdam",
            language="en",
        )
        assert run_checks(settings) == 0
    printed = capsys.readouterr().out.splitlines()
    start = README.index("## Put Bravo in your Slack")
    shown = [b for b in code_blocks(README[start:]) if b.lstrip().startswith("ok ")][0]
    expected = [re.split(r"…| in ", line.strip())[0] for line in shown.splitlines()]
    assert len(printed) == len(expected)
    for line, prefix in zip(printed, expected, strict=True):
        assert line.startswith(prefix), (line, prefix)


def _flat(text: str) -> str:
    text = re.sub(r"[─┌┐└┘│…]", " ", text)
    return " ".join(text.split())


# -- each check catches a planted mistake -------------------------------------------------------
PLANTED = [
    (command_problems, "```sh\nbravo serve --wrokers 4\n```"),
    (command_problems, "```sh\nbravo deploy\n```"),
    (command_problems, "Run `bravo tick --at yesterday`."),
    (command_problems, "`bravo run-job principle\\|weekly [--team T]`"),
    (setting_problems, "Try `/bravo set colour blue`."),
    (slash_problems, "Type `/shoutout @ana` in a channel."),
]


@pytest.mark.parametrize(("check", "mistake"), PLANTED)
def test_each_check_catches_a_planted_mistake(check, mistake):
    assert check(README) == []
    assert check(README + "\n" + mistake + "\n") != []


def test_env_check_catches_an_unknown_and_a_missing_variable():
    unknown = README.replace("| `PORT` | HTTP port |", "| `BRAVO_PORT` | HTTP port |")
    assert any("BRAVO_PORT" in p for p in env_problems(unknown))
    assert any("PORT is read" in p for p in env_problems(unknown))


def test_settings_check_catches_a_key_missing_from_the_table():
    missing = re.sub(r"^\| `kudos-emoji` .*\n", "", README, flags=re.M)
    assert setting_problems(missing) == ["setting kudos-emoji missing from the Settings table"]


def test_quick_start_check_catches_a_changed_command():
    ci = (ROOT / ".ci" / "run").read_text()
    changed = README.replace("pytest -q\n```", "pytest -x\n```", 1)
    assert quick_start_problems(changed, ci) != []
    assert quick_start_problems(README, ci.replace("pytest -q", "pytest")) != []


def test_link_check_catches_a_broken_anchor_and_file():
    assert link_problems(README + "\nSee [x](#no-such-heading).\n") != []
    assert link_problems(README + "\nSee [x](docs/nothing.md).\n") != []
