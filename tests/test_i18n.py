"""Message catalogs: every key the code asks for exists, and Dutch mirrors English exactly."""

from __future__ import annotations

import ast
import json
import re
import string
from pathlib import Path

import pytest

from bot.domain import errors
from bot.domain.model import Kind, KindSource

ROOT = Path(__file__).resolve().parents[1]
CATALOGS = ROOT / "bot" / "i18n"
SOURCES = [p for d in ("bot", "jobs", "storage") for p in sorted((ROOT / d).rglob("*.py"))]


def load(language: str) -> dict[str, str]:
    """One language's catalog files merged, refusing a key defined in two files."""
    merged: dict[str, str] = {}
    for path in sorted((CATALOGS / language).glob("*.json")):
        messages = json.loads(path.read_text("utf-8"))
        assert not set(messages) & set(merged), f"{path.name} repeats keys"
        merged.update(messages)
    return merged


def placeholders(message: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


def is_lookup(call: ast.Call) -> bool:
    """`_("key")` or `translator(language)("key")`."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id == "_"
    return (
        isinstance(func, ast.Call)
        and isinstance(func.func, ast.Name)
        and func.func.id == "translator"
    )


def key_patterns(node: ast.expr, assigned: dict[str, list[ast.expr]]) -> list[str]:
    """Regexes for the keys an argument can be: literals, f-strings, `a if c else b`, a variable."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [re.escape(node.value)]
    if isinstance(node, ast.JoinedStr):
        parts = [
            re.escape(v.value) if isinstance(v, ast.Constant) else r"[a-z_]+" for v in node.values
        ]
        return ["".join(parts)]
    if isinstance(node, ast.IfExp):
        return key_patterns(node.body, assigned) + key_patterns(node.orelse, assigned)
    if isinstance(node, ast.Name):
        return [p for value in assigned.get(node.id, []) for p in key_patterns(value, assigned)]
    return []  # e.g. `error.key`: checked through the error classes below


def lookups() -> list[tuple[str, str, set[str] | None]]:
    """(where, key pattern, keyword names passed or None when `**params` is used) per lookup."""
    found: dict[tuple[str, str], set[str] | None] = {}
    for path in SOURCES:
        tree = ast.parse(path.read_text("utf-8"))
        for scope in ast.walk(tree):
            if not isinstance(scope, ast.FunctionDef | ast.Module):  # nested scopes: deduplicated
                continue
            assigned: dict[str, list[ast.expr]] = {}
            for node in ast.walk(scope):
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            assigned.setdefault(target.id, []).append(node.value)
            for node in ast.walk(scope):
                if isinstance(node, ast.Call) and is_lookup(node) and node.args:
                    names = {k.arg for k in node.keywords}
                    given = None if None in names else names
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    for pattern in key_patterns(node.args[0], assigned):
                        found[where, pattern] = given
    return [(where, pattern, given) for (where, pattern), given in sorted(found.items())]


LOOKUPS = lookups()


def test_finds_the_lookups_it_checks():
    assert len(LOOKUPS) >= 20
    assert any(pattern == re.escape("kudos.confirm.title") for _, pattern, _ in LOOKUPS)


@pytest.mark.parametrize(("where", "pattern", "given"), LOOKUPS, ids=[w for w, _, _ in LOOKUPS])
def test_finds_every_key_the_code_asks_for_in_english(where, pattern, given):
    catalog = load("en")
    keys = [k for k in catalog if re.fullmatch(pattern, k)]
    assert keys, f"{where}: no key in the English catalog matches {pattern}"
    if given is not None and pattern == re.escape(keys[0]):  # f-string keys: see the enum test
        missing = placeholders(catalog[keys[0]]) - given
        assert not missing, f"{where}: {keys[0]} needs {sorted(missing)}"


def test_has_a_label_and_an_explanation_for_every_kind_and_source():
    catalog = load("en")
    for kind in Kind:
        assert f"kind.{kind.value}" in catalog
    for source in KindSource:
        assert f"kind.why.{source.value}" in catalog


# build_error composes this one from kudos.error.bots / .deactivated / .invalid_suffix instead.
COMPOSED = {errors.InvalidRecipients}


def test_has_a_message_for_every_domain_error():
    catalog = load("en")
    refusals = [c for c in vars(errors).values() if isinstance(c, type)]
    for error in refusals:
        if issubclass(error, errors.BravoError) and error not in COMPOSED:
            assert error.key in catalog, (
                f"{error.__name__}.key {error.key!r} is not in the English catalog"
            )
    for key in ("kudos.error.bots", "kudos.error.deactivated", "kudos.error.invalid_suffix"):
        assert key in catalog


def test_writes_placeholders_as_plain_names():
    for key, message in load("en").items():
        assert all(name.isidentifier() for name in placeholders(message)), key


@pytest.mark.skipif(not (CATALOGS / "nl").is_dir(), reason="no Dutch catalog yet")
def test_gives_dutch_exactly_the_english_keys_and_placeholders():
    english, dutch = load("en"), load("nl")
    assert sorted(dutch) == sorted(english)
    for key, message in english.items():
        assert placeholders(dutch[key]) == placeholders(message), key
