"""Message catalogs: every user-facing string is looked up here, in English or Dutch."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import cache
from importlib import resources

from babel.lists import format_list

DEFAULT = "en"


@cache
def catalog(language: str) -> dict[str, str]:
    """The messages of one language; missing keys fall back to English."""
    messages = json.loads(resources.files(__package__).joinpath("en.json").read_text("utf-8"))
    if language != DEFAULT:
        path = resources.files(__package__).joinpath(f"{language}.json")
        if path.is_file():
            messages.update(json.loads(path.read_text("utf-8")))
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
