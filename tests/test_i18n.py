"""Message catalogs: gettext sources Babel reads cleanly, every key the code asks for, Dutch
mirroring English exactly, and every count in its singular or plural form."""

from __future__ import annotations

import ast
import re
import string
from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from bot.domain import errors, kudos, principles, stories
from bot.domain.model import Kind, KindSource, PeriodStats
from bot.domain.posts import DigestPost
from bot.i18n import compile_po, make_translator, plurals_of, translator
from bot.slack.views.posts import build_digest

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ROOT / "bot" / "i18n" / "locales"
LANGUAGES = ("en", "nl")
SOURCES = [p for d in ("bot", "jobs", "storage") for p in sorted((ROOT / d).rglob("*.py"))]


def po_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / "bravo.po"


def parse(language: str) -> Catalog:
    with po_path(language).open("rb") as po:
        return read_po(po, locale=language, abort_invalid=True)


def key_of(message: Message) -> str:
    return message.id[0] if message.pluralizable else message.id


def forms_of(message: Message) -> tuple[str, ...]:
    return tuple(message.string) if message.pluralizable else (message.string,)


def load(language: str) -> dict[str, tuple[str, ...]]:
    """One language's messages, straight from its `.po` source: key -> forms."""
    return {key_of(m): forms_of(m) for m in parse(language) if m.id}


PLURALS = plurals_of(parse("en"))


def placeholders(message: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


def all_placeholders(forms: tuple[str, ...]) -> set[str]:
    return set().union(*(placeholders(f) for f in forms))


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
        missing = all_placeholders(catalog[keys[0]]) - given
        assert not missing, f"{where}: {keys[0]} needs {sorted(missing)}"
        if keys[0] in PLURALS:
            assert "count" in given, f"{where}: {keys[0]} shows a count; pass count="


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
    for key, forms in load("en").items():
        assert all(name.isidentifier() for name in all_placeholders(forms)), key


# --- the gettext sources ------------------------------------------------------------------------


# Babel's reader forgives a missing quote; gettext's msgfmt would not.
PO_LINE = re.compile(
    r'(#.*|(msgctxt|msgid|msgid_plural|msgstr(\[\d\])?) "([^"\\]|\\.)*"|"([^"\\]|\\.)*")?'
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_po_source_parses_with_babel_and_passes_its_checks(language):
    lines = po_path(language).read_text("utf-8").splitlines()
    assert [n for n, line in enumerate(lines, 1) if not PO_LINE.fullmatch(line)] == []
    catalog = parse(language)  # abort_invalid: an unknown keyword raises
    problems = [(m.id, str(e)) for m, found in catalog.check() for e in found]
    assert problems == []
    headers = dict(catalog.mime_headers)
    assert headers["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert headers["Language"] == language
    assert not catalog.fuzzy
    assert len(catalog) > 300


@pytest.mark.parametrize("language", LANGUAGES)
def test_leaves_no_message_fuzzy_or_empty(language):
    unfinished = [key_of(m) for m in parse(language) if m.id and (m.fuzzy or not all(forms_of(m)))]
    assert unfinished == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_writes_each_key_once(language):
    keys = re.findall(r'^msgid "(.+)"$', po_path(language).read_text("utf-8"), re.M)
    assert len(keys) > 300
    assert sorted(k for k in set(keys) if keys.count(k) > 1) == []


def test_gives_dutch_exactly_the_english_keys_forms_and_placeholders():
    english, dutch = load("en"), load("nl")
    assert sorted(dutch) == sorted(english)
    assert plurals_of(parse("nl")) == PLURALS
    for key, forms in english.items():
        assert len(dutch[key]) == len(forms), key
        for mine, theirs in zip(dutch[key], forms, strict=True):
            assert placeholders(mine) == placeholders(theirs), key


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_messages_are_keyed_once_and_show_their_count(language):
    for message in parse(language):
        if message.id and message.pluralizable:
            assert message.id[1] == message.id[0], "msgid_plural repeats the key"
            assert all("count" in placeholders(f) for f in message.string), message.id[0]


# --- counts -------------------------------------------------------------------------------------

# Counted nouns: after a number they must agree with it.
NOUNS = (
    r"characters|people|person|principles?|stor(y|ies)|recognitions?|shout-outs|others?|more"
    r"|tekens|mensen|persoon|principes?|verha(al|len)|waarderingen|anderen"
)
COUNTED = re.compile(r"\{(\w+)\}\*? (" + NOUNS + r")\b")
ONE_PLURAL = re.compile(
    r"(?<![\d.,])1\*? (people|stories|recognitions|shout-outs|others|principles"
    r"|mensen|verhalen|waarderingen|anderen|principes)\b"
)

# Messages whose number is a code limit (or a length past one): never 1, so the noun stays plural.
LIMITS = {
    "principles.error.invalid": principles.TITLE_MAX,
    "kudos.error.reason_short": kudos.REASON_MIN,
    "kudos.error.reason_long": kudos.REASON_MAX + 1,
    "kudos.error.group_too_large": kudos.MAX_RECIPIENTS + 1,
    "kudos.modal.reason.hint": kudos.REASON_MAX,
    "story.modal.body.hint": stories.BODY_MAX,
    "story.error.too_long": min(stories.TITLE_MAX, stories.CUSTOMER_MAX, stories.BODY_MAX) + 1,
    "story.error.body_short": stories.BODY_MIN,
    "story.error.principles_many": stories.PRINCIPLES_MAX,
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_count_before_a_noun_is_a_plural_message_or_a_limit(language):
    singular = {
        key
        for key, forms in load(language).items()
        if key not in PLURALS and any(COUNTED.search(f) for f in forms)
    }
    assert singular <= set(LIMITS), sorted(singular - set(LIMITS))
    assert all(least >= 2 for least in LIMITS.values())


def sample(key: str, language: str) -> dict[str, object]:
    """A value for every placeholder of `key` but the count."""
    return {name: f"<{name}>" for name in all_placeholders(load(language)[key]) - {"count"}}


COUNT_MESSAGES = [(language, key) for language in LANGUAGES for key in sorted(PLURALS)]


@pytest.mark.parametrize(
    ("language", "key"), COUNT_MESSAGES, ids=[f"{lang}-{key}" for lang, key in COUNT_MESSAGES]
)
def test_renders_each_count_message_for_0_1_and_2_in_the_right_form(language, key):
    _ = translator(language)
    singular, plural = load(language)[key]
    params = sample(key, language)
    for n in (0, 1, 2):
        shown = _(key, count=n, **params)
        assert shown == (singular if n == 1 else plural).format(count=n, **params), (key, n)
        assert not ONE_PLURAL.search(shown), shown


@pytest.mark.parametrize(
    ("language", "key", "n", "expected"),
    [
        ("en", "digest.counts.stories", 0, "*0* stories"),
        ("en", "digest.counts.stories", 1, "*1* story"),
        ("en", "digest.counts.stories", 2, "*2* stories"),
        ("nl", "digest.counts.stories", 1, "*1* verhaal"),
        ("nl", "digest.counts.stories", 2, "*2* verhalen"),
        ("en", "digest.counts.people", 1, "*1* person recognised"),
        ("nl", "digest.counts.people", 1, "*1* persoon gewaardeerd"),
        ("en", "count.recognitions", 1, "1 recognition"),
        ("en", "count.recognitions", 0, "0 recognitions"),
        ("nl", "count.recognitions", 1, "1 waardering"),
        ("en", "count.people_recognised", 2, "2 people recognised"),
        ("en", "board.more", 1, "…and 1 more person."),
        ("nl", "board.more", 1, "…en nog 1 persoon."),
        ("en", "library.more", 1, "Not shown here: 1 more principle."),
        ("en", "conversation.reply.others", 1, "1 other"),
        ("nl", "conversation.reply.others", 2, "2 anderen"),
        ("en", "leaderboard.fallback", 1, ": 1 recognition."),
        ("en", "kudos.error.allowance_used", 1, "You've already given your kudos for today (1 a"),
    ],
)
def test_counts_read_as_a_native_speaker_writes_them(language, key, n, expected):
    assert expected in translator(language)(key, count=n, **sample(key, language))


def test_the_digest_says_in_your_team():
    assert translator("en")("digest.header", start="23 Nov", end="27 Nov") == (
        "This week in your team: 23 Nov to 27 Nov"
    )


def test_refuses_a_count_message_without_its_count():
    with pytest.raises(TypeError, match="count"):
        translator("en")("board.more")


# --- the loader ---------------------------------------------------------------------------------


def test_falls_back_to_english_for_what_dutch_lacks_leaves_empty_or_marks_fuzzy():
    english, dutch = parse("en"), parse("nl")
    del dutch["kudos.error.self"]
    del dutch[("board.more", "board.more")]
    dutch["help.unknown"].string = ""
    dutch["busy.retry"].flags.add("fuzzy")
    dutch[("library.more", "library.more")].string = ("", "")
    _ = make_translator(compile_po(dutch, fallback=compile_po(english)), PLURALS)
    en = make_translator(compile_po(english), PLURALS)
    assert _("kudos.error.self") == en("kudos.error.self")
    assert _("board.more", count=1) == en("board.more", count=1) != en("board.more", count=2)
    assert _("board.more", count=2) == en("board.more", count=2)
    assert _("help.unknown", text="x") == en("help.unknown", text="x")
    assert _("busy.retry") == en("busy.retry")
    assert _("library.more", count=1) == en("library.more", count=1)
    assert _("kudos.error.too_many", count=1, maximum=25).startswith("Dat is 1 persoon")
    with pytest.raises(KeyError):
        _("no.such.key")


def test_gives_english_for_a_language_without_a_catalog():
    assert translator("de")("kudos.error.self") == translator("en")("kudos.error.self")
    assert translator(None)("board.more", count=1) == translator("en")("board.more", count=1)
    assert translator("nl")("board.more", count=1).startswith("…en nog 1 persoon")


def digest(language: str, n: int) -> tuple[str, str]:
    """The weekly digest's fallback and counts line for a week with `n` of everything."""
    users = tuple(f"U{i}" for i in range(n))
    stats = PeriodStats(n, n, n, 0, n, users, tuple((u, 1) for u in users))
    week = DigestPost(date(2026, 11, 23), date(2026, 11, 27), stats, (), language, stories=n)
    fallback, blocks = build_digest(week)
    return fallback, blocks[1]["text"]["text"]


@pytest.mark.parametrize(
    ("language", "n", "fallback", "counts"),
    [
        (
            "en",
            1,
            "This week: 1 shout-out, 1 person recognised.",
            "*1* shout-out · *1* story · *1* person recognised · *1* recognised for the first time",
        ),
        (
            "en",
            2,
            "This week: 2 shout-outs, 2 people recognised.",
            "*2* shout-outs · *2* stories · *2* people recognised · *2* recognised for the first time",
        ),
        (
            "nl",
            1,
            "Deze week: 1 shout-out, 1 persoon gewaardeerd.",
            "*1* shout-out · *1* verhaal · *1* persoon gewaardeerd · *1* voor het eerst gewaardeerd",
        ),
        (
            "nl",
            2,
            "Deze week: 2 shout-outs, 2 mensen gewaardeerd.",
            "*2* shout-outs · *2* verhalen · *2* mensen gewaardeerd · *2* voor het eerst gewaardeerd",
        ),
    ],
)
def test_the_digest_counts_each_number_in_its_own_form(language, n, fallback, counts):
    assert digest(language, n) == (fallback, counts)
