"""Plan switches, yearly renewals and the credit runway, for every date, count, price and credit."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import assume, given

from mktui.core.money import Money
from mktui.core.pricing import PricingError
from mktui.core.pricing_lifecycle import (
    MAX_RUNWAY_MONTHS,
    add_months,
    annual_renewal_date,
    credit_runway,
    preview_plan_switch,
    preview_yearly_renewal,
)
from tests.test_pricing_properties import (
    EXAMPLES,
    assert_invariants,
    credit_minor,
    currencies,
    days,
    devices,
    price_tables,
)


@EXAMPLES
@given(currency=currencies, n=devices, today=days, prices=price_tables(), credit=credit_minor)
def test_monthly_to_annual_is_an_annual_purchase_now(currency, n, today, prices, credit):
    available = Money.from_minor(credit, currency)
    p = preview_plan_switch(
        currency=currency,
        current_plan="monthly",
        new_plan="annual",
        devices=n,
        today=today,
        prices=prices,
        credit_available=available,
    )
    monthly, annual = prices[(currency, "monthly")], prices[(currency, "annual")]
    assert_invariants(p, available, monthly, n)
    # Independently, in integer centavos: the card pays the purchase, credit never does.
    assert p.total.minor == annual.minor * n
    assert p.credit_granted.minor == 12 * monthly.minor * n
    assert p.credit_applied.is_zero and p.effective == today == p.period_start
    # The renewal after it: the next 1st, drawn from the old credit plus the grant.
    expected_next = max(monthly.minor * n - credit - 12 * monthly.minor * n, 0)
    assert p.next_renewal_amount.minor == expected_next
    assert p.period_end < annual_renewal_date(today)


@EXAMPLES
@given(currency=currencies, n=devices, today=days, prices=price_tables(), credit=credit_minor)
def test_annual_to_monthly_charges_nothing_and_waits_for_the_next_1st(
    currency, n, today, prices, credit
):
    available = Money.from_minor(credit, currency)
    p = preview_plan_switch(
        currency=currency,
        current_plan="annual",
        new_plan="monthly",
        devices=n,
        today=today,
        prices=prices,
        credit_available=available,
    )
    monthly = prices[(currency, "monthly")]
    assert_invariants(p, available, monthly, n)
    assert p.total.is_zero and not p.lines
    assert p.effective.day == 1 and p.effective > today
    assert p.next_renewal_amount.minor == max(monthly.minor * n - credit, 0)


@EXAMPLES
@given(currency=currencies, n=devices, first=days, prices=price_tables(), credit=credit_minor)
def test_the_yearly_renewal_is_a_purchase_plus_a_month_from_credit(
    currency, n, first, prices, credit
):
    first = first.replace(day=1)
    available = Money.from_minor(credit, currency)
    p = preview_yearly_renewal(
        currency=currency, devices=n, period_start=first, prices=prices, credit_available=available
    )
    monthly, annual = prices[(currency, "monthly")], prices[(currency, "annual")]
    assert_invariants(p, available, monthly, n)
    month = monthly.minor * n
    grant = 12 * month
    assert p.subtotal.minor == annual.minor * n + month
    assert p.credit_applied.minor == month  # the grant alone covers the month
    assert p.total.minor == annual.minor * n
    assert p.credit_remaining.minor == credit + grant - month


@given(day=days)
def test_the_anniversary_is_the_first_1st_on_or_after_a_year(day):
    renews = annual_renewal_date(day)
    assert renews.day == 1
    year_later = add_months(day, 12)
    assert year_later <= renews and (renews - year_later).days < 31
    assert renews.year in (day.year + 1, day.year + 2)


def test_the_examples_of_the_contract():
    assert annual_renewal_date(date(2027, 1, 1)) == date(2028, 1, 1)
    assert annual_renewal_date(date(2027, 3, 17)) == date(2028, 4, 1)
    assert annual_renewal_date(date(2028, 2, 29)) == date(2029, 3, 1)
    assert annual_renewal_date(date(2027, 12, 31)) == date(2029, 1, 1)


@EXAMPLES
@given(currency=currencies, n=devices, today=days, prices=price_tables(), credit=credit_minor)
def test_the_runway_is_whole_months_of_credit(currency, n, today, prices, credit):
    month = prices[(currency, "monthly")].minor * n
    assume(month > 0)
    runway = credit_runway(
        credit=Money.from_minor(credit, currency),
        currency=currency,
        devices=n,
        today=today,
        prices=prices,
    )
    assert runway.months * month <= credit < (runway.months + 1) * month
    assert runway.leftover.minor == credit - runway.months * month
    if 0 < runway.months <= MAX_RUNWAY_MONTHS:
        assert runway.last_month == add_months(runway.first_month, runway.months - 1)
    else:
        assert runway.last_month is None
    assert runway.sentence(n)


def test_the_runway_sentence():
    runway = credit_runway(
        credit=Money("1083.60", "BRL"), currency="BRL", devices=7, today=date(2027, 3, 10)
    )
    # 7 × 12,90 = 90,30 a month; 1083,60 is 12 months: Apr 2027 to Mar 2028.
    assert runway.months == 12
    assert runway.sentence(7) == "lasts until Mar 2028 at 7 devices"
    none = credit_runway(
        credit=Money("0", "BRL"), currency="BRL", devices=7, today=date(2027, 3, 10)
    )
    assert none.sentence(7) == "no credit left"


def test_refusals_name_the_field():
    with pytest.raises(PricingError) as error:
        preview_plan_switch(
            currency="BRL",
            current_plan="annual",
            new_plan="annual",
            devices=1,
            today=date(2027, 1, 5),
        )
    assert error.value.field == "plan"
    with pytest.raises(PricingError) as error:
        preview_yearly_renewal(currency="BRL", devices=1, period_start=date(2027, 1, 5))
    assert error.value.field == "period_start"
