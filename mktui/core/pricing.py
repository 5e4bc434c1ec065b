"""Every amount the console previews and the sandbox charges, as pure functions.

The rules are api.md's "Billing rules": a month is billed on the 1st; a first
month or added devices on another day cost ``unit × devices × R / D`` with
``D`` the days of the month and ``R = D − day + 1`` (today counts); each line
is rounded once, ``ROUND_HALF_UP`` to the minor unit; the total is the sum of
the rounded lines minus the credit applied. An annual purchase charges
``annual × devices`` to the card and grants ``12 × monthly × devices`` of
credit, from which its pro-rated first month is drawn. Every invoice draws on
credit first — but only for usage lines: credit never pays for the annual
purchase that grants it.

Line amounts are computed in integer minor units (``(2·n + d) // (2·d)`` is
half-up rounding of ``n / d`` done exactly), so no Decimal context precision
or rounding mode can change a charge.

"Today" is a calendar date in the account's billing time zone
(:func:`billing_today`), never the machine's date. Periods are inclusive:
``period_end`` is the last day billed (2026-11-30), and the next renewal is the
following 1st. No IO, no Textual, no httpx; ``mktui.api.models`` is not
imported either — :meth:`Preview.to_wire_dict` gives the sandbox plain ints
and ISO dates with the wire's field names.

This module holds the rules (the previews); the values live in
:mod:`mktui.core.pricing_types`, the prices and input checks in
:mod:`mktui.core.pricing_inputs`, the dates in :mod:`mktui.core.billing_calendar`. Every
public name of those is importable from here too, as it always was.
"""

from __future__ import annotations

from datetime import date

from mktui.core.billing_calendar import (
    billing_today,
    check_billing_date,
    month_end,
    next_first,
    remaining_days,
)
from mktui.core.dates import format_period
from mktui.core.i18n import N_, _, ngettext
from mktui.core.money import Money
from mktui.core.pricing_inputs import (
    MAX_DEVICES,
    SANDBOX_PRICES,
    check_credit,
    check_devices,
    check_tax_id_for_currency,
    price_table,
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

# A line's wording is the server's (the sandbox sends it in English, as it is here); a
# line computed here is shown in the language in use (PreviewLine.text), so it is marked.
ANNUAL_LINE = N_("Annual plan (grants 12 months of credit)")
FIRST_MONTH_LINE = N_("First month (from credit)")
MONTHLY_LINE = N_("Monthly plan")
ADDED_DEVICES_LINE = N_("Added devices")
YEARLY_RENEWAL_USAGE_LINE = N_("Monthly plan (from credit)")

__all__ = [
    "MAX_DEVICES",
    "PLANS",
    "SANDBOX_PRICES",
    "Preview",
    "PreviewLine",
    "PriceTable",
    "PricingError",
    "billing_today",
    "check_billing_date",
    "check_credit",
    "check_currency",
    "check_devices",
    "check_tax_id_for_currency",
    "month_end",
    "next_first",
    "preview_activation",
    "preview_change",
    "preview_decrease",
    "preview_increase",
    "preview_renewal",
    "price_table",
    "remaining_days",
    "unit_price",
]


# ---------------------------------------------------------------- arithmetic
def _pro_rated(unit: Money, quantity: int, days: int, days_in_period: int) -> Money:
    """``unit × quantity × days / days_in_period`` rounded half up to the minor unit, exactly."""
    numerator = unit.minor * quantity * days
    minor = (2 * numerator + days_in_period) // (2 * days_in_period)
    return Money.from_minor(minor, unit.currency)


def _usage_line(description: str, unit: Money, quantity: int, today: date) -> PreviewLine:
    days, days_in_month = remaining_days(today)
    return PreviewLine(
        description=f"{description}, {format_period(today, month_end(today))}",
        quantity=quantity,
        unit_amount=unit,
        days=days,
        days_in_period=days_in_month,
        amount=_pro_rated(unit, quantity, days, days_in_month),
        label=description,
        period=(today, month_end(today)),
    )


def _assemble(
    *,
    currency: str,
    lines: list[PreviewLine],
    credit_available: Money,
    credit_granted: Money,
    period_start: date,
    period_end: date,
    effective: date,
    next_renewal_date: date,
    renewal_devices: int,
    monthly: Money,
) -> Preview:
    zero = Money.zero(currency)
    subtotal = sum((line.amount for line in lines), zero)
    creditable = sum((line.amount for line in lines if line.creditable), zero)
    pool = credit_available + credit_granted
    credit_applied = min(pool, creditable)
    remaining = pool - credit_applied
    renewal = max(monthly * renewal_devices - remaining, zero)
    return Preview(
        currency=currency,
        lines=tuple(lines),
        subtotal=subtotal,
        credit_applied=credit_applied,
        credit_granted=credit_granted,
        total=subtotal - credit_applied,
        period_start=period_start,
        period_end=period_end,
        next_renewal_date=next_renewal_date,
        next_renewal_amount=renewal,
        effective=effective,
        credit_remaining=remaining,
    )


# ---------------------------------------------------------------- the previews
def preview_activation(
    *,
    currency: str,
    plan: str,
    devices: int,
    today: date,
    prices: PriceTable = SANDBOX_PRICES,
    credit_available: Money | None = None,
    tax_id: str | None = None,
) -> Preview:
    """A new subscription activated on *today*.

    Monthly: the rest of this month pro rata (a whole month on the 1st).
    Annual: ``annual × devices`` charged, ``12 × monthly × devices`` granted as
    credit, and the pro-rated first month drawn from that credit. The tax id
    is checked against the currency (:func:`check_tax_id_for_currency`).
    """
    currency = check_currency(currency)
    devices = check_devices(devices)
    today = check_billing_date(today)
    unit = unit_price(prices, currency, plan)
    monthly = unit_price(prices, currency, "monthly")
    credit = check_credit(credit_available, currency)
    check_tax_id_for_currency(currency, tax_id)

    lines: list[PreviewLine] = []
    granted = Money.zero(currency)
    if plan == "annual":
        lines.append(
            PreviewLine(
                description=ANNUAL_LINE,
                quantity=devices,
                unit_amount=unit,
                days=None,
                days_in_period=None,
                amount=unit * devices,
                creditable=False,
                label=ANNUAL_LINE,
            )
        )
        granted = monthly * 12 * devices
    usage = FIRST_MONTH_LINE if plan == "annual" else MONTHLY_LINE
    lines.append(_usage_line(usage, monthly, devices, today))
    return _assemble(
        currency=currency,
        lines=lines,
        credit_available=credit,
        credit_granted=granted,
        period_start=today,
        period_end=month_end(today),
        effective=today,
        next_renewal_date=next_first(today),
        renewal_devices=devices,
        monthly=monthly,
    )


def preview_increase(
    *,
    currency: str,
    current_devices: int,
    new_devices: int,
    today: date,
    prices: PriceTable = SANDBOX_PRICES,
    credit_available: Money | None = None,
) -> Preview:
    """More devices from *today*: the added ones pro rata at the monthly price, credit first."""
    currency = check_currency(currency)
    current = check_devices(current_devices, "current_devices")
    new = check_devices(new_devices)
    if new <= current:
        raise PricingError(
            "devices",
            ngettext(
                "An increase must go above the current {n} device; "
                "to lower the number, schedule a decrease.",
                "An increase must go above the current {n} devices; "
                "to lower the number, schedule a decrease.",
                current,
            ).format(n=current),
        )
    today = check_billing_date(today)
    monthly = unit_price(prices, currency, "monthly")
    credit = check_credit(credit_available, currency)
    return _assemble(
        currency=currency,
        lines=[_usage_line(ADDED_DEVICES_LINE, monthly, new - current, today)],
        credit_available=credit,
        credit_granted=Money.zero(currency),
        period_start=today,
        period_end=month_end(today),
        effective=today,
        next_renewal_date=next_first(today),
        renewal_devices=new,
        monthly=monthly,
    )


def preview_decrease(
    *,
    currency: str,
    current_devices: int,
    new_devices: int,
    today: date,
    prices: PriceTable = SANDBOX_PRICES,
    credit_available: Money | None = None,
) -> Preview:
    """Fewer devices: nothing charged or refunded; the new number is billed from the next 1st.

    The preview's period is the first month billed at the new number.
    """
    currency = check_currency(currency)
    current = check_devices(current_devices, "current_devices")
    new = check_devices(new_devices)
    if new >= current:
        raise PricingError(
            "devices",
            ngettext(
                "A decrease must go below the current {n} device; "
                "to add devices, preview an increase.",
                "A decrease must go below the current {n} devices; "
                "to add devices, preview an increase.",
                current,
            ).format(n=current),
        )
    today = check_billing_date(today)
    monthly = unit_price(prices, currency, "monthly")
    credit = check_credit(credit_available, currency)
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
        renewal_devices=new,
        monthly=monthly,
    )


def preview_change(
    *,
    currency: str,
    current_devices: int,
    new_devices: int,
    today: date,
    prices: PriceTable = SANDBOX_PRICES,
    credit_available: Money | None = None,
) -> Preview:
    """A change of the device count: :func:`preview_increase` or :func:`preview_decrease`.

    The same number is an error: there is nothing to preview or confirm.
    """
    current = check_devices(current_devices, "current_devices")
    new = check_devices(new_devices)
    if new == current:
        raise PricingError(
            "devices",
            ngettext(
                "The subscription already has {n} device; choose another number.",
                "The subscription already has {n} devices; choose another number.",
                current,
            ).format(n=current),
        )
    preview = preview_increase if new > current else preview_decrease
    return preview(
        currency=currency,
        current_devices=current,
        new_devices=new,
        today=today,
        prices=prices,
        credit_available=credit_available,
    )


def preview_renewal(
    *,
    currency: str,
    devices: int,
    period_start: date,
    prices: PriceTable = SANDBOX_PRICES,
    credit_available: Money | None = None,
) -> Preview:
    """The renewal invoice of the month starting *period_start* (a 1st): a whole month, credit first."""
    currency = check_currency(currency)
    devices = check_devices(devices)
    period_start = check_billing_date(period_start, "period_start")
    if period_start.day != 1:
        raise PricingError("period_start", _("A renewal period starts on the 1st of a month."))
    monthly = unit_price(prices, currency, "monthly")
    credit = check_credit(credit_available, currency)
    return _assemble(
        currency=currency,
        lines=[_usage_line(MONTHLY_LINE, monthly, devices, period_start)],
        credit_available=credit,
        credit_granted=Money.zero(currency),
        period_start=period_start,
        period_end=month_end(period_start),
        effective=period_start,
        next_renewal_date=next_first(period_start),
        renewal_devices=devices,
        monthly=monthly,
    )
