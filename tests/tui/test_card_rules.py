"""The card checks the form runs as the admin types."""

from __future__ import annotations

from datetime import date

import pytest

from mktui.core import card_rules

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("number", "brand"),
    [
        ("4242 4242 4242 4242", "visa"),
        ("5555555555554444", "mastercard"),
        ("2221000000000009", "mastercard"),
        ("378282246310005", "amex"),
        ("6011111111111117", "discover"),
        ("3566002020360505", "jcb"),
        ("36227206271667", "diners"),
        ("5067000000000000", "elo"),
        ("9999", "other"),
    ],
)
def test_brand_from_prefix(number, brand):
    assert card_rules.brand_of(number) == brand


def test_luhn_failure_is_reported_once_the_number_is_complete():
    assert card_rules.number_error("4242 4242 4242 424", complete=False) is None
    assert "typo" in card_rules.number_error("4242 4242 4242 4241", complete=False)
    assert card_rules.number_error("4242 4242 4242 4242", complete=True) is None
    assert (
        card_rules.number_error("4000 0000 0000 0002", complete=True) is None
    )  # valid, declines later


def test_short_number_is_an_error_only_on_submit():
    assert card_rules.number_error("4242", complete=False) is None
    assert "digits" in card_rules.number_error("4242", complete=True)
    assert card_rules.number_error("", complete=True) == "Enter the card number."


def test_expiry_must_not_be_in_the_past():
    assert card_rules.parse_expiry("11/26", TODAY, complete=True) == (
        card_rules.Expiry(11, 2026),
        None,
    )
    expiry, problem = card_rules.parse_expiry("10/26", TODAY, complete=True)
    assert expiry is None and "expired" in problem
    assert (
        card_rules.parse_expiry("13/27", TODAY, complete=True)[1] == "The expiry month is 01 to 12."
    )
    assert card_rules.parse_expiry("1", TODAY, complete=False) == (None, None)
    assert "MM/YY" in card_rules.parse_expiry("1", TODAY, complete=True)[1]


def test_cvc_length_follows_the_brand():
    assert card_rules.cvc_error("123", "visa", complete=True) is None
    assert "4 digits" in card_rules.cvc_error("123", "amex", complete=True)
    assert card_rules.cvc_error("12", "visa", complete=False) is None
    assert "3 digits" in card_rules.cvc_error("12", "visa", complete=True)


def test_amex_is_grouped_4_6_5():
    assert card_rules.group_number("378282246310005") == "3782 822463 10005"
    assert card_rules.group_number("4242424242424242") == "4242 4242 4242 4242"


def test_a_four_digit_year_being_typed_is_not_read_as_a_past_two_digit_one():
    # "1/20" is on its way to "1/2029": no "expired" while typing, only when complete.
    assert card_rules.parse_expiry("1/20", TODAY, complete=False) == (None, None)
    assert card_rules.parse_expiry("1/2029", TODAY, complete=False) == (
        card_rules.Expiry(1, 2029),
        None,
    )
    assert "expired" in card_rules.parse_expiry("1/20", TODAY, complete=True)[1]
    assert "expired" in card_rules.parse_expiry("1/19", TODAY, complete=False)[1]
