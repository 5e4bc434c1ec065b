"""Pricing properties that hold for every date, count, price and credit (hypothesis)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mktui.core.money import Money
from mktui.core.pricing import (
    MAX_DEVICES,
    billing_today,
    next_first,
    preview_activation,
    preview_change,
    preview_renewal,
    remaining_days,
)

CNPJ = "11222333000181"
EXAMPLES = settings(max_examples=200, deadline=None)

currencies = st.sampled_from(["BRL", "USD"])
plans = st.sampled_from(["monthly", "annual"])
days = st.dates(min_value=date(2024, 1, 1), max_value=date(2040, 12, 31))
devices = st.integers(min_value=1, max_value=MAX_DEVICES)
small_devices = st.integers(min_value=1, max_value=500)
credit_minor = st.integers(min_value=0, max_value=10**9)


@st.composite
def price_tables(draw):
    """Random whole-cent prices for both currencies and plans (the sandbox's are one case)."""
    table = {}
    for currency in ("BRL", "USD"):
        for plan in ("monthly", "annual"):
            minor = draw(st.integers(min_value=0, max_value=10**6))
            table[(currency, plan)] = Money.from_minor(minor, currency)
    return table


def _tax_id(currency: str) -> str | None:
    return CNPJ if currency == "BRL" else None


def _half_up(value: Fraction) -> Decimal:
    """An independent reference: exact rational arithmetic, then Decimal ROUND_HALF_UP."""
    # 60 significant digits: with a denominator of at most 31 (days) the
    # quotient cannot be rounded onto the wrong side of a half-cent boundary.
    with localcontext() as context:
        context.prec = 60
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _all_amounts(p):
    yield from (p.subtotal, p.credit_applied, p.credit_granted, p.total, p.next_renewal_amount)
    yield p.credit_remaining
    for line in p.lines:
        yield line.amount
        yield line.unit_amount


def assert_invariants(p, credit_available, monthly, devices_after):
    """What holds for every preview, whatever produced it."""
    zero = Money.zero(p.currency)
    # The total is the sum of the rounded lines minus the credit applied.
    assert p.subtotal == sum((line.amount for line in p.lines), zero)
    assert p.total == p.subtotal - p.credit_applied
    # Every line is rounded once, half up, from the exact rational amount.
    for line in p.lines:
        days_fraction = Fraction(line.days or 1, line.days_in_period or 1)
        exact = Fraction(line.unit_amount.amount) * line.quantity * days_fraction
        assert line.amount.amount == _half_up(exact)
    # Never negative; credit never exceeds what is available or what is billed.
    assert all(amount >= zero for amount in _all_amounts(p))
    assert p.credit_applied <= credit_available + p.credit_granted
    assert p.credit_applied <= p.subtotal
    # Credit first: every creditable line is paid from credit as far as it goes
    # (the bounds above alone would let a preview ignore the credit).
    creditable = sum((line.amount for line in p.lines if line.creditable), zero)
    assert p.credit_applied == min(credit_available + p.credit_granted, creditable)
    assert p.credit_remaining == credit_available + p.credit_granted - p.credit_applied
    # The next renewal is a 1st, at the count after the change, less remaining credit.
    assert p.next_renewal_date.day == 1 and p.next_renewal_date >= p.period_start
    assert p.next_renewal_amount == max(monthly * devices_after - p.credit_remaining, zero)
    # Every amount goes on the wire as a whole number of minor units.
    wire = p.to_wire_dict()
    assert wire["total"] == p.total.minor and type(wire["total"]) is int
    assert [line["amount"] for line in wire["lines"]] == [line.amount.minor for line in p.lines]


@EXAMPLES
@given(
    currency=currencies,
    plan=plans,
    n=devices,
    today=days,
    prices=price_tables(),
    credit=credit_minor,
)
def test_activation_invariants(currency, plan, n, today, prices, credit):
    credit_available = Money.from_minor(credit, currency)
    p = preview_activation(
        currency=currency,
        plan=plan,
        devices=n,
        today=today,
        prices=prices,
        credit_available=credit_available,
        tax_id=_tax_id(currency),
    )
    monthly, annual = prices[(currency, "monthly")], prices[(currency, "annual")]
    assert_invariants(p, credit_available, monthly, n)
    assert p.next_renewal_date == next_first(today)
    assert p.effective == p.period_start == today
    if plan == "annual":
        # The purchase: annual × devices, charged to the card, never paid from credit;
        # the grant: 12 × monthly × devices.
        purchase = p.lines[0]
        assert purchase.amount == annual * n and not purchase.creditable
        assert p.credit_granted == monthly * 12 * n
        assert p.total >= purchase.amount
    else:
        assert p.credit_granted.is_zero and all(line.creditable for line in p.lines)


@EXAMPLES
@given(
    currency=currencies,
    n=devices,
    m=devices,
    today=days,
    prices=price_tables(),
    credit=credit_minor,
)
def test_change_invariants(currency, n, m, today, prices, credit):
    assume(m != n)
    credit_available = Money.from_minor(credit, currency)
    p = preview_change(
        currency=currency,
        current_devices=n,
        new_devices=m,
        today=today,
        prices=prices,
        credit_available=credit_available,
    )
    assert_invariants(p, credit_available, prices[(currency, "monthly")], m)
    assert p.next_renewal_date == next_first(today)


@EXAMPLES
@given(currency=currencies, plan=plans, n=devices, first=days, prices=price_tables())
def test_the_1st_bills_exactly_a_whole_month(currency, plan, n, first, prices):
    first = first.replace(day=1)
    p = preview_activation(
        currency=currency,
        plan=plan,
        devices=n,
        today=first,
        prices=prices,
        tax_id=_tax_id(currency),
    )
    month = p.lines[-1]
    assert month.days == month.days_in_period == remaining_days(first)[1]
    assert month.amount == prices[(currency, "monthly")] * n
    assert "days" not in month.formula("en_US")


@EXAMPLES
@given(
    currency=currencies,
    n=small_devices,
    m=small_devices,
    today=days,
    prices=price_tables(),
)
def test_an_increase_costs_the_same_as_activating_the_difference(currency, n, m, today, prices):
    assume(m > n)
    change = preview_change(
        currency=currency, current_devices=n, new_devices=m, today=today, prices=prices
    )
    activation = preview_activation(
        currency=currency,
        plan="monthly",
        devices=m - n,
        today=today,
        prices=prices,
        tax_id=_tax_id(currency),
    )
    assert change.total == activation.total
    assert [line.amount for line in change.lines] == [line.amount for line in activation.lines]
    assert change.effective == today


@EXAMPLES
@given(
    currency=currencies,
    n=small_devices,
    m=small_devices,
    today=days,
    credit=credit_minor,
)
def test_a_decrease_never_charges_and_waits_for_the_next_1st(currency, n, m, today, credit):
    assume(m < n)
    available = Money.from_minor(credit, currency)
    p = preview_change(
        currency=currency,
        current_devices=n,
        new_devices=m,
        today=today,
        credit_available=available,
    )
    assert p.total.is_zero and p.credit_applied.is_zero and p.lines == ()
    assert p.effective == next_first(today) > today
    assert p.credit_remaining == available


@EXAMPLES
@given(currency=currencies, n=devices, first=days, credit=credit_minor, prices=price_tables())
def test_renewal_invariants(currency, n, first, credit, prices):
    first = first.replace(day=1)
    available = Money.from_minor(credit, currency)
    p = preview_renewal(
        currency=currency, devices=n, period_start=first, prices=prices, credit_available=available
    )
    monthly = prices[(currency, "monthly")]
    assert_invariants(p, available, monthly, n)
    assert p.subtotal == monthly * n
    assert p.credit_applied == min(available, p.subtotal)
    assert p.next_renewal_date == next_first(first)


@EXAMPLES
@given(
    instant=st.datetimes(
        min_value=datetime(2024, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)
    ),
    zone=st.sampled_from(["America/Sao_Paulo", "America/Manaus", "UTC", "America/New_York"]),
)
def test_billing_today_is_the_date_on_the_billing_zones_wall_clock(instant, zone):
    today = billing_today(instant, zone)
    assert today == instant.astimezone(ZoneInfo(zone)).date()
    # Whatever offset the caller's datetime carries, the same instant is the same day.
    elsewhere = instant.astimezone(ZoneInfo("Asia/Kolkata"))
    assert billing_today(elsewhere, zone) == today
    assert abs(today - instant.date()) <= timedelta(days=1)
