"""Message catalogs: every user-facing string is looked up here, in English or Dutch.

The sources are gettext catalogs, `locales/<language>/LC_MESSAGES/bravo.po`, one domain. Each
msgid is a message key (`kudos.error.self`); `{name}` placeholders are filled by the caller. A
message that shows a count is a plural entry, and its `{count}` picks the form through `ngettext`.
The `.po` files are compiled in memory (Babel's `write_mo`) the first time a language is used,
or all at once by `load()`, which long-running processes call when they start.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache
from importlib import resources
from importlib.resources.abc import Traversable

from babel.lists import format_list
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DEFAULT = "en"
DOMAIN = "bravo"


class _Missing(gettext.NullTranslations):
    """The end of the fallback chain: a key in no catalog is a bug, not a message to show."""

    def gettext(self, message: str) -> str:
        raise KeyError(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        raise KeyError(msgid1)


def source(language: str) -> Traversable:
    """The `.po` file of one language (it may not exist)."""
    return resources.files(__package__).joinpath("locales", language, "LC_MESSAGES", DOMAIN + ".po")


@cache
def read(language: str) -> Catalog:
    """One language's `.po` source as Babel reads it; refuses a malformed file."""
    with source(language).open("rb") as po:
        return read_po(po, locale=language, domain=DOMAIN, abort_invalid=True)


def compile_po(
    po: Catalog, *, fallback: gettext.NullTranslations | None = None
) -> gettext.GNUTranslations:
    """A `.po` catalog compiled in memory; what it lacks (or has empty or fuzzy) is `fallback`'s."""
    complete = Catalog(locale=po.locale, domain=po.domain, fuzzy=False)
    complete.mime_headers = po.mime_headers
    for message in po:
        forms = message.string if message.pluralizable else (message.string,)
        if message.id and all(forms):  # a half-empty plural would show its key: leave it out
            complete[message.id] = message
    mo = io.BytesIO()
    write_mo(mo, complete)  # skips fuzzy messages
    mo.seek(0)
    translations = gettext.GNUTranslations(mo)
    translations.add_fallback(fallback or _Missing())
    return translations


@cache
def _translations(language: str) -> gettext.GNUTranslations:
    """One language compiled, falling back to English for a message it lacks."""
    if language == DEFAULT:
        return compile_po(read(DEFAULT))
    return compile_po(read(language), fallback=_translations(DEFAULT))


@lru_cache(maxsize=64)
def _available(language: str | None) -> str:
    return language if language and source(language).is_file() else DEFAULT


def plurals_of(po: Catalog) -> frozenset[str]:
    """The keys of a catalog's plural messages."""
    return frozenset(m.id[0] for m in po if m.id and m.pluralizable)


@cache
def plural_keys() -> frozenset[str]:
    """The keys of the messages that show a count (English is the reference)."""
    return plurals_of(read(DEFAULT))


@lru_cache(maxsize=64)
def translator(language: str | None) -> Callable[..., str]:
    """`_ = translator("nl"); _("kudos.error.self")`, `{name}` placeholders filled from kwargs.

    For a plural message the `count` keyword picks the form: `_("board.more", count=3)`.
    """
    return make_translator(_translations(_available(language)), plural_keys())


def make_translator(
    translations: gettext.NullTranslations, plurals: frozenset[str]
) -> Callable[..., str]:
    """`_(key, **params)` over compiled `translations`; `count` picks the form of `plurals`."""

    def _(key: str, **params: object) -> str:
        if key in plurals:
            if "count" not in params:
                raise TypeError(f"{key} shows a count: pass count=")
            message = translations.ngettext(key, key, params["count"])  # type: ignore[arg-type]
        else:
            message = translations.gettext(key)
        return message.format(**params) if params else message

    return _


@cache
def catalog(language: str) -> dict[str, tuple[str, ...]]:
    """Every message as the reader gets it: key -> its forms (two for a plural message).

    A message missing in `language` (or left empty, or fuzzy) is the English one.
    """
    messages: dict[str, tuple[str, ...]] = {}
    for code in dict.fromkeys((DEFAULT, _available(language))):
        for message in read(code):
            forms = message.string if message.pluralizable else (message.string,)
            if message.id and not message.fuzzy and all(forms):
                key = message.id[0] if message.pluralizable else message.id
                messages[key] = tuple(forms)
    return messages


def load(languages: Iterable[str]) -> None:
    """Compile the catalogs of `languages`, and Babel's list patterns, now: a long-running
    process calls this once built. Left to first use, the first messages in each language would
    each compile it, as many times over as threads ask at once (the cache fills only when one
    finishes)."""
    for language in languages:
        translator(language)
        join(["a", "b"], language)


def join(items: Sequence[str], language: str | None) -> str:
    """`a, b and c` in the reader's language."""
    return format_list(list(items), locale=language or DEFAULT) if items else ""
