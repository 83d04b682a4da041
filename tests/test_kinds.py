"""Success or recovery: the transparent keyword rule, explicit tags and modal choices."""

from __future__ import annotations

import pytest

from bot.domain.kinds import TAGS, decide_kind
from bot.domain.model import Kind, KindDecision, KindSource


@pytest.mark.parametrize(
    ("reason", "keyword"),
    [
        ("She fixed the login for a hospital customer", "fixed"),
        ("Quickly resolved the billing question", "resolved"),
        ("Kept everyone informed during the outage", "outage"),
        ("Turned a complaint into a renewal", "complaint"),
        ("Found the bug before the customer did", "bug"),
        ("Led the incident call at 3am", "incident"),
        ("Handled the escalation with patience", "escalation"),
        ("Sorted out the duplicate invoices", "sorted out"),
        ("Heeft het probleem voor de klant opgelost", "probleem"),
        ("Binnen een uur opgelost, top", "opgelost"),
        ("Bleef rustig tijdens de storing", "storing"),
        ("Een klacht omgezet in een compliment", "klacht"),
        ("De fout in de factuur hersteld", "fout"),
        ("Heeft het recht gezet met de klant", "recht gezet"),
        ("Hielp een geëscaleerde klant verder", "geëscaleerde"),
    ],
)
def test_counts_a_reason_about_putting_things_right_as_recovery(reason, keyword):
    assert decide_kind(reason, None) == KindDecision(Kind.RECOVERY, KindSource.KEYWORD, keyword)


@pytest.mark.parametrize(
    "reason",
    [
        "FIXED the export for ACME",
        "Fixing the export for ACME",
        "Opgeloste tickets: twaalf vandaag",
        "(bug) in the export, found it",
        "The outage-page was updated in minutes",
    ],
)
def test_matches_recovery_words_in_any_case_and_form(reason):
    assert decide_kind(reason, None).kind is Kind.RECOVERY


@pytest.mark.parametrize(
    "reason",
    [
        "Added the right suffix to every product name",
        "Explained the prefix rules to a new customer",
        "Spent the afternoon debugging nothing: it all just worked",
        "Checked the tissue stock for the showroom",
        "Remembered the customer's birthday and sent a card",
        "Heeft de klant verrast met een handgeschreven kaartje",
    ],
)
def test_matches_only_at_the_start_of_a_word(reason):
    assert decide_kind(reason, None) == KindDecision(Kind.SUCCESS, KindSource.DEFAULT)


def test_names_the_first_recovery_word_that_decided():
    decision = decide_kind("Resolved the outage and then fixed the docs", None)
    assert decision.keyword == "resolved"


def test_defaults_to_success_without_a_signal():
    decision = decide_kind("Went the extra mile for a new customer", None)
    assert decision == KindDecision(Kind.SUCCESS, KindSource.DEFAULT, None)


def test_defaults_to_success_for_an_empty_reason():
    assert decide_kind("", None).kind is Kind.SUCCESS


def test_lets_an_explicit_tag_win_over_keywords():
    decision = decide_kind("Fixed the outage within the hour", Kind.SUCCESS)
    assert decision == KindDecision(Kind.SUCCESS, KindSource.TAG, None)


def test_lets_an_explicit_recovery_tag_stand_without_keywords():
    decision = decide_kind("Made a customer's day", Kind.RECOVERY)
    assert decision == KindDecision(Kind.RECOVERY, KindSource.TAG, None)


def test_lets_a_modal_choice_win_and_says_it_was_chosen():
    decision = decide_kind("Fixed the outage within the hour", Kind.SUCCESS, chosen=True)
    assert decision == KindDecision(Kind.SUCCESS, KindSource.CHOICE, None)


def test_ignores_the_chosen_flag_when_nothing_was_chosen():
    decision = decide_kind("Fixed the outage", None, chosen=True)
    assert decision.source is KindSource.KEYWORD


def test_offers_kind_tags_in_english_and_dutch():
    assert TAGS == {
        "success": Kind.SUCCESS,
        "succes": Kind.SUCCESS,
        "recovery": Kind.RECOVERY,
        "herstel": Kind.RECOVERY,
    }


@pytest.mark.parametrize(
    "reason",
    [
        "a faultless launch for the Jansen account",
        "een foutloze, eh, foutloos verlopen migratie",
        "a problem-free onboarding for twelve new customers",
        "storingsvrij de hele week",
    ],
)
def test_words_that_say_no_problem_happened_stay_success(reason):
    assert decide_kind(reason, None).kind is Kind.SUCCESS
