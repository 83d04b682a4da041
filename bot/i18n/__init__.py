"""Message catalogs: every user-facing string is looked up here, in English or Dutch."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import cache
from importlib import resources

from babel.lists import format_list

DEFAULT = "en"


def _load(language: str) -> dict[str, str]:
    """All of one language's catalog files (one per feature: `i18n/<language>/*.json`)."""
    folder = resources.files(__package__).joinpath(language)
    messages: dict[str, str] = {}
    if folder.is_dir():
        for path in sorted(folder.iterdir(), key=lambda p: p.name):
            if path.name.endswith(".json"):
                messages.update(json.loads(path.read_text("utf-8")))
    return messages


@cache
def catalog(language: str) -> dict[str, str]:
    """The messages of one language; missing keys fall back to English."""
    messages = _load(DEFAULT)
    if language != DEFAULT:
        messages.update(_load(language))
    return messages


def translator(language: str | None) -> Callable[..., str]:
    """`_ = translator("nl"); _("kudos.error.self")`, `{name}` placeholders filled from kwargs."""
    messages = catalog(language or DEFAULT)

    def _(key: str, **params: object) -> str:
        return messages[key].format(**params) if params else messages[key]

    return _


def join(items: Sequence[str], language: str | None) -> str:
    """`a, b and c` in the reader's language."""
    return format_list(list(items), locale=language or DEFAULT) if items else ""
