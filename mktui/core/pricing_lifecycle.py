"""The rest of a subscription's life, priced: plan switches, the yearly renewal, the credit runway.

api.md, Additions, "Subscription lifecycle":

- monthly → annual is charged now like an annual purchase (``annual ×
  devices``, ``12 × monthly × devices`` granted as credit); the month already
  paid stays paid, so there is no usage line; effective at once.
- annual → monthly charges nothing; renewals are monthly from the next 1st,
  and the credit left is still drawn first.
- An annual subscription renews yearly on the first 1st on or after its
  purchase date plus twelve months: that renewal is a new annual purchase
  plus the month's usage, drawn from the credit (the old balance and the new
  grant).

Pure like :mod:`mktui.core.pricing`, whose helpers it shares: the console
previews with these functions and the sandbox charges with them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from mktui.core.billing_calendar import check_billing_date, month_end, next_first
from mktui.core.i18n import _, format_month, ngettext
from mktui.core.money import Money
from mktui.core.pricing import ANNUAL_LINE, YEARLY_RENEWAL_USAGE_LINE, _assemble, _usage_line
from mktui.core.pricing_inputs import (
    SANDBOX_PRICES,
    check_credit,
    check_devices,
    unit_price,
)
from mktui.core.pricing_types import (
    PLANS,
    Preview,
    PreviewLine,
    PriceTable,
    PricingError,
    check_currency,
)
from mktui.core.words import plan_word

__all__ = [
    "CreditRunway",
    "add_months",
    "annual_renewal_date",
    "credit_runway",
    "preview_plan_switch",
    "preview_yearly_renewal",
    "with_yearly_renewal",
]

MAX_RUNWAY_MONTHS = 1200
"""Beyond a hundred years the runway is not given a month."""


def add_months(day: date, months: int) -> date:
    """*day* moved by *months* calendar months; a day the target month lacks becomes its last."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    first = date(year, month + 1, 1)
    return first.replace(day=min(day.day, month_end(first).day))


def annual_renewal_date(purchased: date) -> date:
    """The 1st an annual plan bought on *purchased* renews: the first 1st on or after a year later.

    Bought 1 Jan 2027 → 1 Jan 2028; bought 17 Mar 2027 → 1 Apr 2028;
    bought 29 Feb 2028 → 1 Mar 2029.
    """
    purchased = check_billing_date(purchased, "purchased")
    year_later = add_months(purchased, 12)
    return year_later if year_later.day == 1 else next_first(year_later)


def _annual_line(annual: Money, devices: int) -> PreviewLine:
    return PreviewLine(
        description=ANNUAL_LINE,
        quantity=devices,
        unit_amount=annual,
        days=None,
        days_in_period=None,
        amount=annual * devices,
        creditable=False,
        label=ANNUAL_LINE,
    )


def _check_plan(plan: object, name: str) -> str:
    if plan not in PLANS:
        raise PricingError(
            name,
            _("Plan {plan!r} is not offered; choose monthly or annual.").format(
                plan=str(plan)[:12]
            ),
        )
    return str(plan)


def preview_plan_switch(
    *,
    currency: str,
    current_plan: str,
    new_plan: str,
    devices: int,
    today: date,
    prices: PriceTable = SANDBOX_PRICES,
    credit_available: Money | None = None,
) -> Preview:
    """A switch between monthly and annual decided on *today*.

    Monthly → annual: ``annual × devices`` now, ``12 × monthly × devices``
    granted; the current month is already paid, so nothing is drawn yet and
    the next renewal (the next 1st) is drawn from the credit. Annual →
    monthly: nothing now; effective on the next 1st, whose monthly renewal
    still draws on the credit left.
    """
    currency = check_currency(currency)
    current_plan = _check_plan(current_plan, "current_plan")
    new_plan = _check_plan(new_plan, "plan")
    devices = check_devices(devices)
    today = check_billing_date(today)
    monthly = unit_price(prices, currency, "monthly")
    credit = check_credit(credit_available, currency)
    if new_plan == current_plan:
        raise PricingError(
            "plan",
            _("The subscription is already on the {plan} plan.").format(plan=plan_word(new_plan)),
        )
    if new_plan == "annual":
        annual = unit_price(prices, currency, "annual")
        return _assemble(
            currency=currency,
            lines=[_annual_line(annual, devices)],
            credit_available=credit,
            credit_granted=monthly * 12 * devices,
            period_start=today,
            period_end=annual_renewal_date(today) - timedelta(days=1),
            effective=today,
            next_renewal_date=next_first(today),
            renewal_devices=devices,
            monthly=monthly,
        )
    starts = next_first(today)
    return _assemble(
        currency=currency,
        lines=[],
        credit_available=credit,
        credit_granted=Money.zero(currency),
        period_start=starts,
        period_end=month_end(starts),
        effective=starts,
        next_renewal_date=starts,
        renewal_devices=devices,
        monthly=monthly,
    )


def preview_yearly_renewal(
    *,
    currency: str,
    devices: int,
    period_start: date,
    prices: PriceTable = SANDBOX_PRICES,
    credit_available: Money | None = None,
) -> Preview:
    """The anniversary renewal of an annual plan on *period_start* (a 1st).

    A new annual purchase (``annual × devices`` to the card, ``12 × monthly ×
    devices`` granted) and the month's usage, drawn from the credit left plus
    the new grant — the same invoice as buying the annual plan on a 1st.
    """
    currency = check_currency(currency)
    devices = check_devices(devices)
    period_start = check_billing_date(period_start, "period_start")
    if period_start.day != 1:
        raise PricingError("period_start", _("A renewal period starts on the 1st of a month."))
    monthly = unit_price(prices, currency, "monthly")
    annual = unit_price(prices, currency, "annual")
    credit = check_credit(credit_available, currency)
    return _assemble(
        currency=currency,
        lines=[
            _annual_line(annual, devices),
            _usage_line(YEARLY_RENEWAL_USAGE_LINE, monthly, devices, period_start),
        ],
        credit_available=credit,
        credit_granted=monthly * 12 * devices,
        period_start=period_start,
        period_end=month_end(period_start),
        effective=period_start,
        next_renewal_date=next_first(period_start),
        renewal_devices=devices,
        monthly=monthly,
    )


def with_yearly_renewal(
    preview: Preview,
    *,
    renews_on: date | None,
    devices: int,
    prices: PriceTable = SANDBOX_PRICES,
) -> Preview:
    """*preview* with its next renewal priced as the annual purchase it is on the anniversary.

    A change of devices is previewed with a monthly renewal; when that renewal
    falls on or after *renews_on* (an annual plan's anniversary 1st) it is a
    new annual purchase at *devices* instead, drawn from the credit left
    after this change. Anything else is returned as it is.
    """
    if renews_on is None or preview.next_renewal_date < renews_on:
        return preview
    yearly = preview_yearly_renewal(
        currency=preview.currency,
        devices=devices,
        period_start=preview.next_renewal_date,
        prices=prices,
        credit_available=preview.credit_remaining,
    )
    return replace(preview, next_renewal_amount=yearly.total)


@dataclass(frozen=True, slots=True)
class CreditRunway:
    """How far the credit goes at today's price and device count.

    ``months`` whole renewals are paid by credit alone, from ``first_month``
    to ``last_month`` (None when it pays none); ``leftover`` is drawn by the
    renewal after that, which the card completes.
    """

    months: int
    first_month: date
    last_month: date | None
    leftover: Money

    def sentence(self, devices: int) -> str:
        """``lasts until Mar 2028 at 7 devices``, for people."""
        if self.months > MAX_RUNWAY_MONTHS:
            return ngettext(
                "lasts more than {years} years at {n} device",
                "lasts more than {years} years at {n} devices",
                devices,
            ).format(years=MAX_RUNWAY_MONTHS // 12, n=devices)
        if self.last_month is None:
            if self.leftover.is_zero:
                return _("no credit left")
            return ngettext(
                "covers part of {month} at {n} device",
                "covers part of {month} at {n} devices",
                devices,
            ).format(month=format_month(self.first_month), n=devices)
        return ngettext(
            "lasts until {month} at {n} device", "lasts until {month} at {n} devices", devices
        ).format(month=format_month(self.last_month), n=devices)


def credit_runway(
    *,
    credit: Money,
    currency: str,
    devices: int,
    today: date,
    prices: PriceTable = SANDBOX_PRICES,
) -> CreditRunway:
    """The monthly renewals from the next 1st that *credit* pays in full at *devices*."""
    currency = check_currency(currency)
    devices = check_devices(devices)
    today = check_billing_date(today)
    credit = check_credit(credit, currency)
    month = unit_price(prices, currency, "monthly") * devices
    first = next_first(today)
    if month.is_zero:
        raise PricingError("prices", _("The monthly price is zero: credit is never drawn."))
    months = credit.minor // month.minor
    leftover = Money.from_minor(credit.minor - months * month.minor, currency)
    # A runway past the calendar's end (a huge credit at a tiny price) has no month to name.
    last = add_months(first, months - 1) if 0 < months <= MAX_RUNWAY_MONTHS else None
    return CreditRunway(months=months, first_month=first, last_month=last, leftover=leftover)
