"""The built-in principle library reads well in both languages, and `/bravo principles` shows
each principle whole (explanation, try-today prompt, source) within Slack's limits."""

from __future__ import annotations

import json
import re

import pytest
from slack_sdk.models.blocks import Block as SdkBlock

from bot.domain.library import LIBRARY
from bot.domain.principles import Principle, library
from bot.slack.views.bravo import build_principles

LANGUAGES = ("en", "nl")
FIELDS = ("title", "explanation", "try_today", "source")
LIMITS = {"title": 60, "explanation": 400, "try_today": 200}

# Wording a native Dutch editor flagged, kept out for good.
REPORTED_DUTCH = [
    r"incidentele wow",
    r"\bdaarop op\b",
    r"\bNeem\b[^.]*\bpauze\b",
    r"\bbied excuses aan\b",
    r"wanneer het opgelost is\b",
    r"met urgentie",
    r"\bdoen alsof dat niet zo is, suggereert\b",
    r"\b(author|not named|citing|former waiter)\b",
]


def builtin(slug: str):
    return next(p for p in LIBRARY if p.slug == slug)


def as_principles(language: str) -> list[Principle]:
    """The library as `/bravo principles` gets it, through the domain's own translation."""
    return library(NoRows(), 1, language)


class NoRows:
    """A unit of work (and its principle repository) for a workspace that switched nothing
    off and added nothing."""

    def __init__(self) -> None:
        self.principles = self

    def for_workspace(self, workspace_id: int) -> dict:
        return {}


@pytest.mark.parametrize("principle", LIBRARY, ids=lambda p: p.slug)
def test_every_builtin_principle_is_complete_in_english_and_dutch(principle):
    for field in FIELDS:
        text = getattr(principle, field)
        for language in LANGUAGES:
            assert text.get(language).strip(), f"{principle.slug}: empty {language} {field}"
            assert len(text.get(language)) <= LIMITS.get(field, 300), (principle.slug, field)
    for field in ("title", "explanation", "try_today"):
        text = getattr(principle, field)
        assert text.nl != text.en, f"{principle.slug}: {field} is not translated"
    for language in LANGUAGES:
        sentences = re.findall(r"[.!?](?:\s|$)", principle.explanation.get(language))
        assert 2 <= len(sentences) <= 3, (principle.slug, language)


@pytest.mark.parametrize("principle", LIBRARY, ids=lambda p: p.slug)
def test_no_dutch_text_keeps_the_reported_wording(principle):
    for field in FIELDS:
        dutch = getattr(principle, field).nl
        for pattern in REPORTED_DUTCH:
            assert not re.search(pattern, dutch), f"{principle.slug} {field}: {pattern!r}"


def test_the_try_today_prompts_reported_are_about_today_and_on_topic():
    attitude = builtin("hire-for-attitude").try_today
    assert "attitude" in attitude.en and "houding" in attitude.nl
    ideas = builtin("own-ideas").try_today
    assert "week" not in ideas.en and "week" not in ideas.nl
    assert "day" in ideas.en and "vandaag" in ideas.nl


def test_sources_keep_the_article_title_and_translate_the_rest():
    source = builtin("care").source
    assert source.en.startswith("Klantenservice is nu klantenservice (")
    assert source.nl == "Klantenservice is nu klantenservice (auteur niet vermeld, een oud-ober)"
    both = builtin("build-on-strengths").source
    assert "Gouden serviceprincipes gevloerd" in both.nl and "1 april 2010" in both.nl


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_domain_gives_sources_in_the_readers_language(language):
    found = {p.slug: p for p in as_principles(language)}
    assert found["care"].source == builtin("care").source.get(language)
    assert found["care"].try_today == builtin("care").try_today.get(language)


# `/bravo principles` -----------------------------------------------------------------------


def section_texts(blocks: list[dict]) -> str:
    return "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")


def assert_within_limits(blocks: list[dict]) -> None:
    assert 0 < len(blocks) <= 50
    for block in blocks:
        SdkBlock.parse(block).validate_json()
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
        if block["type"] == "context":
            assert all(len(e["text"]) <= 3000 for e in block["elements"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_principle_list_shows_each_principles_prompt_and_source(language):
    principles = as_principles(language)
    blocks = build_principles(language, principles)
    assert_within_limits(blocks)
    text = section_texts(blocks)
    for p in LIBRARY:
        assert f"`#{p.slug}`" in text
        assert p.title.get(language) in text
        assert p.try_today.get(language) in text
        assert p.source.get(language) in text
    label = {"en": "*Try today:*", "nl": "*Probeer vandaag:*"}[language]
    assert text.count(label) == len(LIBRARY)
    assert ("Bron: " in text) == (language == "nl") and ("From: " in text) == (language == "en")


def test_principle_list_marks_own_and_switched_off_principles_without_a_source():
    own = Principle("follow-up", "Follow up", "Call back the next day.", None, None, custom=True)
    off = Principle("care", "Care", "Care first.", "Do it.", "Somewhere", enabled=False)
    text = section_texts(build_principles("en", [off, own]))
    assert "`#follow-up` *Follow up*: Call back the next day. (your team's own)" in text
    assert "(switched off)" in text and "From: Somewhere" in text
    assert text.count("From:") == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_principle_list_stays_within_limits_with_many_long_own_principles(language):
    longest = [
        Principle(
            f"p{i}-" + "x" * 27,
            "&" * 80,
            "<&>" * 167,
            None,
            None,
            custom=True,
            enabled=bool(i % 2),
        )
        for i in range(400)
    ]
    principles = as_principles(language) + longest
    blocks = build_principles(language, principles)
    assert_within_limits(blocks)
    assert len(blocks) == 50
    shown = section_texts(blocks).count("`#")
    assert LIBRARY[-1].source.get(language) in section_texts(blocks)  # built-ins come first
    more = blocks[-1]
    assert more["type"] == "context" and str(len(principles) - shown) in json.dumps(more)


def test_principle_list_never_cuts_inside_an_escape():
    hostile = Principle("h", "t", "&" * 500, "<" * 500, ">" * 200, custom=False)
    text = section_texts(build_principles("en", [hostile]))
    assert len(text) <= 3000
    assert not re.search(r"&(?!amp;|lt;|gt;)", text)
