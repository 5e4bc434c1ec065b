"""Money: exact amounts, minor units, currency safety and locale formatting."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mktui.core.money import SUPPORTED_CURRENCIES, CurrencyMismatch, Money, minor_unit_exponent

MINOR = st.integers(min_value=-(10**13), max_value=10**13)
CURRENCY = st.sampled_from(SUPPORTED_CURRENCIES)


# ---------------------------------------------------------------- construction
@pytest.mark.parametrize("amount", [12.9, 0.0, float("nan")])
def test_float_amount_is_a_type_error(amount):
    with pytest.raises(TypeError, match="float"):
        Money(amount, "BRL")


def test_bool_amount_is_a_type_error():
    with pytest.raises(TypeError):
        Money(True, "BRL")


@pytest.mark.parametrize(
    ("amount", "exact"),
    [
        ("12.90", "12.90"),
        (12, "12"),
        (Decimal("12.90"), "12.90"),
        (" 12.90 ", "12.90"),
        ("-3", "-3"),
    ],
)
def test_accepts_decimal_int_and_numeric_string(amount, exact):
    assert Money(amount, "BRL").amount == Decimal(exact)


@pytest.mark.parametrize("amount", ["twelve", "", "1,50", "NaN", "Infinity", Decimal("NaN")])
def test_non_numbers_and_non_finite_are_refused(amount):
    with pytest.raises(ValueError):
        Money(amount, "BRL")


@pytest.mark.parametrize("amount", ["1e15", "-1e15", Decimal("1e30"), 10**20])
def test_absurd_magnitudes_are_refused(amount):
    with pytest.raises(ValueError, match="too large"):
        Money(amount, "BRL")
    with pytest.raises(ValueError, match="too large"):
        Money("1", "BRL") * (amount if not isinstance(amount, str) else Decimal(amount))


def test_the_largest_wire_amount_is_fine():
    big = Money.from_minor(10**13, "BRL")
    assert big.quantize().minor == 10**13
    assert big.format("pt_BR") == "R$ 100.000.000.000,00"


@pytest.mark.parametrize("currency", ["EUR", "XYZ", "", "R$"])
def test_unsupported_currency_is_a_value_error(currency):
    with pytest.raises(ValueError, match="BRL or USD"):
        Money("1", currency)


def test_currency_code_is_normalised():
    assert Money("1", " brl ").currency == "BRL"


def test_currency_must_be_a_string():
    with pytest.raises(TypeError):
        Money("1", 986)


def test_money_is_immutable():
    m = Money("1", "BRL")
    with pytest.raises(AttributeError):
        m.amount = Decimal(2)  # type: ignore[misc]


def test_repr_and_str_are_unambiguous():
    assert repr(Money("21.50", "BRL")) == "Money('21.50', 'BRL')"
    assert str(Money("21.50", "USD")) == "USD 21.50"


# ---------------------------------------------------------------- minor units
def test_from_minor_and_minor():
    m = Money.from_minor(2150, "BRL")
    assert m == Money("21.50", "BRL")
    assert m.minor == 2150
    assert Money("21.5", "BRL").minor == 2150
    assert Money(3, "USD").minor == 300


def test_from_minor_refuses_floats_and_strings():
    with pytest.raises(TypeError):
        Money.from_minor(2150.0, "BRL")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money.from_minor("2150", "BRL")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money.from_minor(True, "BRL")  # type: ignore[arg-type]


def test_minor_refuses_sub_minor_amounts_until_rounded():
    m = Money("21.495", "BRL")
    with pytest.raises(ValueError, match="quantize"):
        _ = m.minor
    assert m.quantize().minor == 2150


@pytest.mark.parametrize(
    ("amount", "rounded"),
    [
        ("0.005", "0.01"),
        ("0.0049", "0.00"),
        ("-0.005", "-0.01"),
        ("21.495", "21.50"),
        ("2.345", "2.35"),
    ],
)
def test_quantize_rounds_half_up(amount, rounded):
    assert Money(amount, "BRL").quantize().amount == Decimal(rounded)
    assert str(Money(amount, "BRL").quantize().amount) == rounded


def test_zero():
    z = Money.zero("USD")
    assert z.is_zero and z.minor == 0 and z.currency == "USD"


def test_minor_unit_exponent():
    assert minor_unit_exponent("BRL") == Decimal("0.01")


@settings(max_examples=200)
@given(minor=MINOR, currency=CURRENCY)
def test_minor_units_round_trip(minor, currency):
    m = Money.from_minor(minor, currency)
    assert m.minor == minor
    assert Money.from_minor(m.minor, currency) == m
    assert m.quantize() == m


@settings(max_examples=200)
@given(minor=MINOR, currency=CURRENCY)
def test_decimal_string_round_trip(minor, currency):
    m = Money.from_minor(minor, currency)
    assert Money(str(m.amount), currency) == m


# ---------------------------------------------------------------- arithmetic
def test_same_currency_arithmetic():
    a, b = Money("12.90", "BRL"), Money("0.10", "BRL")
    assert a + b == Money("13.00", "BRL")
    assert a - b == Money("12.80", "BRL")
    assert b - a == Money("-12.80", "BRL")
    assert a * 10 == Money("129.00", "BRL")
    assert 10 * a == Money("129.00", "BRL")
    assert a * Decimal("0.5") == Money("6.45", "BRL")
    assert -a == Money("-12.90", "BRL")
    assert abs(-a) == a


def test_mixing_currencies_is_refused():
    brl, usd = Money("1", "BRL"), Money("1", "USD")
    for op in (lambda: brl + usd, lambda: brl - usd, lambda: brl < usd, lambda: brl >= usd):
        with pytest.raises(CurrencyMismatch, match="BRL and USD"):
            op()
    assert issubclass(CurrencyMismatch, ValueError)


def test_equality_across_currencies_is_false_not_an_error():
    assert Money("1", "BRL") != Money("1", "USD")
    assert Money("1.0", "BRL") == Money("1.00", "BRL")
    assert hash(Money("1.0", "BRL")) == hash(Money("1.00", "BRL"))


def test_multiplying_by_a_float_is_a_type_error():
    with pytest.raises(TypeError, match="float"):
        Money("1", "BRL") * 1.5
    with pytest.raises(TypeError):
        1.5 * Money("1", "BRL")


def test_adding_a_plain_number_is_a_type_error():
    with pytest.raises(TypeError):
        Money("1", "BRL") + 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        Money("1", "BRL") * Money("1", "BRL")  # type: ignore[operator]


def test_ordering():
    assert Money("1", "BRL") < Money("2", "BRL") <= Money("2", "BRL")
    assert max(Money("1", "USD"), Money("3", "USD")) == Money("3", "USD")


@settings(max_examples=200)
@given(a=MINOR, b=MINOR, currency=CURRENCY)
def test_addition_is_exact_in_minor_units(a, b, currency):
    total = Money.from_minor(a, currency) + Money.from_minor(b, currency)
    assert total.minor == a + b


# ---------------------------------------------------------------- formatting
@pytest.mark.parametrize(
    ("locale", "currency", "amount", "shown"),
    [
        ("pt_BR", "BRL", "1234.56", "R$ 1.234,56"),
        ("en_US", "USD", "1234.56", "$1,234.56"),
        ("fr_FR", "BRL", "1234.56", "1 234,56 R$"),
        ("pt_BR", "USD", "2.90", "US$ 2,90"),
        ("en_US", "BRL", "12.90", "R$12.90"),
        ("pt_BR", "BRL", "1234567.5", "R$ 1.234.567,50"),
        ("pt_BR", "BRL", "-1234.56", "-R$ 1.234,56"),
        ("en_US", "USD", "-1234.56", "-$1,234.56"),
        ("fr_FR", "BRL", "-1234.56", "-1 234,56 R$"),
        ("pt_BR", "BRL", "0", "R$ 0,00"),
        ("en_US", "USD", "0", "$0.00"),
        ("fr_FR", "USD", "0", "0,00 $US"),
        ("pt-BR", "BRL", "21.5", "R$ 21,50"),
    ],
)
def test_format_in_locales(locale, currency, amount, shown):
    assert Money(amount, currency).format(locale) == shown


def test_format_uses_plain_spaces_by_default_and_nbsp_on_request():
    text = Money("1234.56", "BRL").format("fr_FR")
    assert "\u00a0" not in text and "\u202f" not in text
    assert Money("1234.56", "BRL").format("fr_FR", nbsp=True) == "1\u00a0234,56\u00a0R$"
    assert Money("1234.56", "BRL").format("pt_BR", nbsp=True) == "R$\u00a01.234,56"


def test_format_rounds_half_up_not_half_even():
    # Babel on its own would round 0.125 half-even to 0.12; the console charges 0.13.
    assert Money("0.125", "BRL").format("pt_BR") == "R$ 0,13"
    assert Money("-0.125", "USD").format("en_US") == "-$0.13"


def test_negative_zero_is_shown_as_zero():
    assert Money("-0.001", "BRL").format("pt_BR") == "R$ 0,00"
    assert Money("-0", "USD").format("en_US") == "$0.00"
    assert str(Money("-0.004", "USD").quantize()) == "USD 0.00"


def test_format_default_locale_is_pt_br():
    assert Money("21.5", "BRL").format() == "R$ 21,50"


def test_unknown_locale_is_a_value_error():
    with pytest.raises(ValueError, match="Locale"):
        Money("1", "BRL").format("xx_YY")


def test_amounts_do_not_depend_on_the_callers_decimal_context():
    """A low precision or another rounding set by some library must not change a charge."""
    from datetime import date
    from decimal import ROUND_DOWN, localcontext

    from mktui.core.pricing import preview_activation

    with localcontext() as context:
        context.prec = 4
        context.rounding = ROUND_DOWN
        assert Money.from_minor(123456, "BRL").minor == 123456
        assert (Money("100.01", "BRL") + Money("1000.01", "BRL")).minor == 110002
        assert (Money("1000.01", "BRL") - Money("0.02", "BRL")).minor == 99999
        assert (Money("12.90", "BRL") * 12 * 1000).minor == 15480000
        assert (-Money("12345.67", "BRL")).minor == -1234567
        assert abs(Money("-12345.67", "BRL")).minor == 1234567
        assert Money("12345.675", "BRL").quantize().minor == 1234568
        preview = preview_activation(
            currency="BRL",
            plan="annual",
            devices=100,
            today=date(2026, 11, 26),
            tax_id="11.222.333/0001-81",
        )
        assert preview.to_wire_dict()["total"] == 1290000
        assert preview.credit_granted.minor == 1548000
        assert preview.subtotal.minor == 1290000 + 21500
        assert Money("1234567.5", "BRL").format("pt_BR") == "R$ 1.234.567,50"


def test_a_product_too_long_to_hold_exactly_is_refused_not_rounded():
    third = Decimal(1) / Decimal(3)  # 28 digits
    assert (Money("12.90", "BRL") * third).quantize() == Money("4.30", "BRL")
    long_amount = Money(Decimal("1.000000000000000000000000000000001"), "BRL")
    with pytest.raises(ValueError, match="round the operands"):
        long_amount * Decimal("1.000000000000000000000000000000001")


def test_a_sum_too_long_to_hold_exactly_is_a_value_error_not_a_decimal_signal():
    big, tiny = Money("1e14", "BRL"), Money(Decimal("1e-50"), "BRL")
    with pytest.raises(ValueError, match="digits"):
        big + tiny
    with pytest.raises(ValueError, match="digits"):
        big - tiny
