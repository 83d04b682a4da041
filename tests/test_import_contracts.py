"""The import contracts in pyproject.toml hold, and each of them fails when it is broken.

Each break is made in a temporary copy of the source tree, never in the checkout itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "jobs", "storage")
LINT = Path(sys.executable).with_name("lint-imports")

# (contract id, file to change, the import that breaks it)
BREAKS = [
    ("domain-is-pure", "bot/domain/clock.py", "import slack_sdk"),
    ("domain-is-pure", "bot/domain/clock.py", "import slack_bolt"),
    ("domain-is-pure", "bot/domain/clock.py", "import sqlalchemy"),
    ("domain-is-pure", "bot/domain/clock.py", "import bot.slack.ids"),
    ("domain-is-pure", "bot/domain/clock.py", "import jobs.delivery"),
    ("domain-is-pure", "bot/domain/clock.py", "import storage.types"),
    ("storage-knows-no-slack", "storage/types.py", "import slack_sdk"),
    ("storage-knows-no-slack", "storage/types.py", "import bot.slack.ids"),
    ("storage-knows-no-slack", "storage/types.py", "import jobs.delivery"),
    ("storage-through-services", "bot/slack/ids.py", "import storage.types"),
    ("storage-through-services", "jobs/scheduler.py", "import storage.types"),
    ("listeners-run-no-sql", "bot/slack/listeners/__init__.py", "import sqlalchemy"),
    ("no-package-cycles", "bot/i18n/__init__.py", "import bot.slack.ids"),
    ("no-package-cycles", "bot/domain/clock.py", "import bot.domain.kudos"),
]


def copy_tree(tmp: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp / "pyproject.toml")
    return tmp


def lint(tree: Path, *contracts: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    args = [str(LINT), "--no-cache", "--no-logo"] + [f"--contract={c}" for c in contracts]
    return subprocess.run(args, cwd=tree, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    return copy_tree(tmp_path_factory.mktemp("contracts"))


def test_the_checkout_keeps_every_contract():
    done = lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_copy_is_what_gets_checked(pristine):
    """A break in the copy must be seen: the copy, not the installed checkout, is imported."""
    env = {**os.environ, "PYTHONPATH": str(pristine)}
    done = subprocess.run(
        [sys.executable, "-c", "import bot; print(bot.__file__)"],
        cwd=pristine,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip().startswith(str(pristine))
    assert lint(pristine).returncode == 0


@pytest.mark.parametrize(("contract", "path", "line"), BREAKS, ids=lambda v: str(v))
def test_a_broken_contract_fails_the_check(tmp_path, contract, path, line):
    tree = copy_tree(tmp_path)
    target = tree / path
    target.write_text(target.read_text("utf-8") + f"\n{line}  # noqa\n", "utf-8")
    done = lint(tree, contract)
    assert done.returncode != 0, f"{contract} still kept after adding {line!r} to {path}"
    assert "BROKEN" in done.stdout


def import_cycles(graph) -> list[list[str]]:
    """Strongly connected groups of more than one module in the direct-import graph (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                top = stack.pop()
                group.append(top)
                if top == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return cycles


def test_no_module_imports_itself_through_others():
    import grimp

    assert import_cycles(grimp.build_graph(*PACKAGES)) == []


def test_finds_a_cycle_across_packages():
    import grimp

    graph = grimp.build_graph(*PACKAGES)
    graph.add_import(importer="storage.types", imported="bot.slack.ids")
    graph.add_import(importer="bot.slack.ids", imported="storage.types")
    assert ["bot.slack.ids", "storage.types"] in import_cycles(graph)
