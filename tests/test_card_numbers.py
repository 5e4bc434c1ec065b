"""The Luhn check of card numbers in free text: our own, the same answers as python-stdnum's."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from mktui.core.card_numbers import luhn_valid, mask_card_numbers


@given(st.text(alphabet="0123456789", min_size=1, max_size=30))
def test_luhn_agrees_with_stdnum(digits):
    assert luhn_valid(digits) == luhn.is_valid(digits)


@given(st.text(alphabet="0123456789", min_size=12, max_size=18))
def test_a_number_with_its_check_digit_is_valid_and_any_other_digit_is_not(body):
    check = luhn.calc_check_digit(body)
    assert luhn_valid(body + check)
    assert not any(luhn_valid(body + other) for other in "0123456789" if other != check)


def test_only_ascii_digits_pass():
    assert not luhn_valid("")
    assert not luhn_valid("4111 1111 1111 1111")
    assert not luhn_valid("４１１１１１１１１１１１１１１１")  # fullwidth digits: isdigit() is True
    assert luhn_valid("4111111111111111")


def test_a_card_number_in_text_is_masked():
    assert mask_card_numbers("paid with 4111-1111-1111-1111 today") == "paid with •••• 1111 today"
    assert mask_card_numbers("invoice MK-000123 of 4111") == "invoice MK-000123 of 4111"
