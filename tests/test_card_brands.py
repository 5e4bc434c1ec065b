"""One set of card brand rules: every six-digit prefix has one brand, for the form and the sandbox.

The card form (``mktui.core.card_rules``) and the sandbox once had a rule set
each, and disagreed on 10 501 of the 900 000 six-digit prefixes. Now the
sandbox uses the form's module; these tests walk every prefix against the
declared table (:data:`card_rules.BRAND_RANGES`, painted independently here)
and pin how many prefixes each brand gets.
"""

from __future__ import annotations

import functools
from datetime import date

import pytest
from stdnum import luhn

from mktui.core import card_rules
from mktui.sandbox import cards
from mktui.sandbox.errors import ApiFailure

FIRST, LAST = 100_000, 999_999
TODAY = date(2026, 11, 26)


def _painted() -> list[str]:
    """The brand of each six-digit prefix per the table: ranges painted shortest first.

    A longer range is more specific and paints over a shorter one; two ranges
    of the same length that overlap are an ambiguous table and fail here.
    """
    brands = ["other"] * (LAST - FIRST + 1)
    painted_at = [0] * len(brands)
    spans = [
        (len(low), brand, low, high or low)
        for brand, ranges in card_rules.BRAND_RANGES.items()
        for low, _, high in (span.partition("-") for span in ranges)
    ]
    for length, brand, low, high in sorted(spans):
        scale = 10 ** (6 - length)
        start, stop = int(low) * scale - FIRST, (int(high) + 1) * scale - FIRST
        start, stop = max(start, 0), min(stop, len(brands))
        clash = {brands[i] for i in range(start, stop) if painted_at[i] == length}
        assert clash <= {brand}, f"{low}-{high} ({brand}) overlaps {clash} at the same length"
        brands[start:stop] = [brand] * (stop - start)
        painted_at[start:stop] = [length] * (stop - start)
    return brands


@functools.cache
def _painted_once() -> tuple[str, ...]:
    return tuple(_painted())


# Nine slices of 100 000 prefixes (1xxxxx … 9xxxxx): every prefix is still checked, and
# pytest-xdist runs the slices on as many workers as it has instead of one.
@pytest.mark.parametrize("first_digit", range(1, 10))
def test_every_six_digit_prefix_has_the_one_brand_of_the_table_however_long_the_number(
    first_digit,
):
    expected = _painted_once()
    brand_of = card_rules.brand_of
    wrong = []
    for prefix in range(first_digit * 100_000, (first_digit + 1) * 100_000):
        want = expected[prefix - FIRST]
        # The six digits alone, and with the rest of a number typed after them.
        if brand_of(str(prefix)) != want or brand_of(f"{prefix}1234567890") != want:
            wrong.append((prefix, want))
    assert wrong == []


def test_how_many_prefixes_each_brand_has():
    counts: dict[str, int] = {}
    for brand in _painted():
        counts[brand] = counts.get(brand, 0) + 1
    assert counts == {
        "visa": 100_000 - 8,  # 4…, less Elo's eight six-digit BINs
        "mastercard": 50_000 + 50_000,  # 51–55, 2221–2720
        "amex": 20_000,  # 34, 37
        "elo": 1_450,
        "hipercard": 4,
        "discover": 16_100 - 358,  # 6011, 644–649, 65…, less Elo's 358 in 65…
        "diners": 36_100 - 3,  # 300–305, 3095, 36, 38–39, less Hipercard's 3841x0
        "jcb": 6_200,  # 3528–3589
        "other": 620_515,
    }
    assert sum(counts.values()) == 900_000


def test_the_sandbox_has_no_brand_rules_of_its_own():
    assert not hasattr(cards, "brand_of") and not hasattr(cards, "_BRANDS")


def _card_number(prefix: str, brand: str) -> str:
    """A Luhn-valid number of the brand's first length starting with ``prefix``."""
    length = card_rules._LENGTHS[brand][0]
    body = prefix.ljust(length - 1, "0")
    return body + luhn.calc_check_digit(body)


@pytest.mark.parametrize(
    ("prefix", "brand"),
    [
        # The prefixes the two rule sets disagreed on, and their neighbours.
        ("390000", "diners"),
        ("399999", "diners"),
        ("506699", "elo"),
        ("506778", "elo"),
        ("506779", "other"),
        ("650100", "discover"),
        ("650035", "elo"),
        ("650034", "discover"),
        ("650978", "elo"),
        ("650979", "discover"),
        ("438935", "elo"),
        ("438936", "visa"),
        ("606282", "hipercard"),
        ("384140", "hipercard"),
        ("384150", "diners"),
        ("222100", "mastercard"),
        ("272099", "mastercard"),
        ("272100", "other"),
        ("309500", "diners"),
        ("352800", "jcb"),
    ],
)
def test_the_sandbox_stores_the_brand_the_form_shows(prefix, brand):
    assert card_rules.brand_of(prefix) == brand
    number = _card_number(prefix, brand)
    assert card_rules.number_error(number, complete=True) is None
    cvc = "1" * card_rules.cvc_length(brand)
    checked = cards.check_card(number, 12, 2030, cvc, TODAY)
    assert checked.brand == brand


@pytest.mark.parametrize(
    "number",
    ["5555 5555 5555 444", "4242 4242 4242 4241", "3782 822463 1000", "4242424242424242424"],
)
def test_the_sandbox_refuses_what_the_form_refuses_with_the_forms_sentence(number):
    problem = card_rules.number_error(number, complete=True)
    if problem is None:  # a valid 19-digit Visa would be fine: make it fail the Luhn check
        number = number[:-1] + str((int(number[-1]) + 1) % 10)
        problem = card_rules.number_error(number, complete=True)
    assert problem is not None
    with pytest.raises(ApiFailure) as caught:
        cards.check_card(number, 12, 2030, "123", TODAY)
    assert caught.value.field == "number" and caught.value.message == problem
