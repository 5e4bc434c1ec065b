"""Card numbers in free text are masked; python-stdnum's Luhn decides what is a card number."""

from __future__ import annotations

from mktui.core.card_numbers import mask_card_numbers


def test_a_card_number_in_text_is_masked():
    assert mask_card_numbers("paid with 4111-1111-1111-1111 today") == "paid with •••• 1111 today"
    assert mask_card_numbers("invoice MK-000123 of 4111") == "invoice MK-000123 of 4111"
