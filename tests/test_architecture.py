"""House rules that keep the layers apart: a Slack-free domain, and one reader of the environment."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SLACK = ("slack_bolt", "slack_sdk")
DOMAIN = sorted((ROOT / "bot" / "domain").rglob("*.py"))
PRODUCT = sorted(p for d in ("bot", "jobs", "storage") for p in (ROOT / d).rglob("*.py"))
SETTINGS = ROOT / "bot" / "settings.py"


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def imported_modules(tree: ast.AST) -> set[str]:
    """Every module named by `import x` or `from x import y`, wherever it stands."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


READERS = {"environ", "environb", "getenv", "putenv"}


def reads_environment(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute):  # os.environ[...], os.getenv(...)
        return node.attr in READERS and isinstance(node.value, ast.Name) and node.value.id == "os"
    if isinstance(node, ast.ImportFrom):  # from os import environ
        return node.module == "os" and bool({a.name for a in node.names} & READERS)
    return False


def environment_reads(tree: ast.AST) -> list[int]:
    """Lines that read the process environment."""
    return [node.lineno for node in ast.walk(tree) if reads_environment(node)]


def test_finds_the_files_it_checks():
    assert ROOT / "bot" / "domain" / "kudos.py" in DOMAIN
    assert SETTINGS in PRODUCT and len(PRODUCT) > len(DOMAIN)


@pytest.mark.parametrize("path", DOMAIN, ids=rel)
def test_keeps_the_domain_free_of_slack(path):
    modules = imported_modules(ast.parse(path.read_text("utf-8")))
    slack = sorted(m for m in modules if m.split(".")[0] in SLACK)
    assert not slack, f"{rel(path)} imports {slack}"


def test_loads_the_domain_without_loading_slack():
    """Also catches a Slack import reached through something the domain imports."""
    modules = [
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in DOMAIN
    ]
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {SLACK!r}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("path", [p for p in PRODUCT if p != SETTINGS], ids=rel)
def test_reads_the_environment_only_in_settings(path):
    lines = environment_reads(ast.parse(path.read_text("utf-8")))
    assert not lines, f"{rel(path)} reads the environment on lines {lines}; use Settings"


def test_recognises_an_environment_read_when_it_sees_one():
    assert environment_reads(ast.parse("import os\nx = os.environ.get('A')\ny = os.getenv('B')"))
    assert environment_reads(ast.parse("from os import environ"))
    assert not environment_reads(ast.parse("def app(environ, start_response): environ.get('X')"))


LISTENERS = sorted((ROOT / "bot" / "slack" / "listeners").rglob("*.py"))
LONG_MODULES_ALLOWED = {
    ROOT / "bot" / "domain" / "library.py",
    ROOT / "bot" / "entrypoints" / "standin.py",
}


def functions(tree: ast.AST) -> list[ast.FunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]


@pytest.mark.parametrize("path", LISTENERS, ids=rel)
def test_listeners_are_short_and_found_by_name(path):
    tree = ast.parse(path.read_text("utf-8"))
    for function in functions(tree):
        length = function.end_lineno - function.lineno + 1
        assert length <= 40, f"{rel(path)}: {function.name} is {length} lines"
    nested = [
        inner.name
        for outer in functions(tree)
        for inner in ast.walk(outer)
        if isinstance(inner, ast.FunctionDef) and inner is not outer
    ]
    assert not nested, f"{rel(path)} defines listeners inside functions: {nested}"


def test_every_listener_module_registers_module_level_handlers():
    handlers = [
        f.name
        for path in LISTENERS
        for f in ast.parse(path.read_text("utf-8")).body
        if isinstance(f, ast.FunctionDef) and f.name.startswith("handle_")
    ]
    assert len(handlers) >= 20


@pytest.mark.parametrize("path", [p for p in PRODUCT if p not in LONG_MODULES_ALLOWED], ids=rel)
def test_no_module_is_over_400_lines(path):
    lines = len(path.read_text("utf-8").splitlines())
    assert lines <= 400, f"{rel(path)} has {lines} lines; split it by feature"
