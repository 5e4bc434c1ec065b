"""Counting words: the nouns mktui counts take each language's plural."""

from __future__ import annotations

import pytest

from mktui.core import i18n
from mktui.core.words import count, plan_name, plan_word


@pytest.fixture(autouse=True)
def _english_after():
    yield
    i18n.use("en")


def test_english_counts_singular_and_plural():
    assert count(1, "device") == "1 device"
    assert count(12, "device") == "12 devices"
    assert count(0, "invoice") == "0 invoices"
    assert count(2, "box", "boxes") == "2 boxes"


@pytest.mark.parametrize(
    ("language", "one", "many"),
    [
        ("pt_BR", "1 dispositivo", "12 dispositivos"),
        ("es", "1 dispositivo", "12 dispositivos"),
        ("fr", "1 appareil", "12 appareils"),
    ],
)
def test_a_known_noun_speaks_the_language(language, one, many):
    i18n.use(language)
    assert count(1, "device") == one
    assert count(12, "device") == many


def test_french_counts_zero_in_the_singular():
    i18n.use("fr")
    assert count(0, "card") == "0 carte"
    assert count(2, "card") == "2 cartes"


@pytest.mark.parametrize(
    ("language", "name", "word"),
    [("en", "Annual", "annual"), ("pt_BR", "Anual", "anual"), ("fr", "Annuel", "annuel")],
)
def test_a_plan_is_named_in_the_language(language, name, word):
    i18n.use(language)
    assert plan_name("annual") == name
    assert plan_word("annual") == word


def test_an_unknown_plan_code_is_shown_as_sent():
    assert plan_name("biennial") == "Biennial"
    assert plan_word("biennial") == "biennial"
