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
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Any

from mktui import taxid
from mktui.money import SUPPORTED_CURRENCIES, Money

MAX_DEVICES = 100_000
"""The most devices one subscription may hold (the wire refuses more too)."""

PLANS: tuple[str, ...] = ("monthly", "annual")

PriceTable = Mapping[tuple[str, str], Money]
"""``{(currency, plan): unit price}``; monthly is per device per month, annual per device per year."""

SANDBOX_PRICES: PriceTable = MappingProxyType(
    {
        ("BRL", "monthly"): Money("12.90", "BRL"),
        ("BRL", "annual"): Money("129.00", "BRL"),
        ("USD", "monthly"): Money("2.90", "USD"),
        ("USD", "annual"): Money("29.00", "USD"),
    }
)


def price_table(rows: Iterable[tuple[str, str, int]]) -> PriceTable:
    """A :data:`PriceTable` from ``(currency, plan, unit_amount in minor units)`` rows.

    That is the shape of ``GET /v1/prices``; plain tuples keep this module free
    of ``mktui.api.models``.
    """
    table: dict[tuple[str, str], Money] = {}
    for currency, plan, minor in rows:
        code = _check_currency(currency)
        if plan not in PLANS:
            raise PricingError("plan", f"Plan {str(plan)[:12]!r} is not offered.")
        table[(code, plan)] = Money.from_minor(minor, code)
    return MappingProxyType(table)


class PricingError(ValueError):
    """An input no price can be computed for; ``field`` names it, the message says what to do."""

    def __init__(self, field: str, sentence: str) -> None:
        super().__init__(sentence)
        self.field = field
        self.sentence = sentence


# ---------------------------------------------------------------- dates
def billing_today(now: datetime, timezone: str) -> date:
    """The calendar date *now* falls on in the billing time zone *timezone*.

    *now* must be aware (the account's ``now`` from the server); a naive
    datetime would silently mean the machine's zone, so it is refused.
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not isinstance(now, datetime):
        raise PricingError("now", "The current time must be a datetime with a time zone.")
    if now.tzinfo is None or now.utcoffset() is None:
        raise PricingError(
            "now", "The current time has no time zone; use the server's aware 'now'."
        )
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise PricingError(
            "timezone",
            f"Billing time zone {str(timezone)[:40]!r} is unknown; use one like America/Sao_Paulo.",
        ) from None
    return now.astimezone(zone).date()


def _check_today(today: object, name: str = "today") -> date:
    # A datetime is a date too; refusing it keeps a machine-local or UTC
    # timestamp from being billed as if it were the billing zone's date.
    if isinstance(today, datetime) or not isinstance(today, date):
        raise PricingError(
            name, f"'{name}' must be a calendar date in the billing time zone (see billing_today)."
        )
    return today


def remaining_days(today: date) -> tuple[int, int]:
    """``(R, D)``: the days left in *today*'s month counting today, and the days in that month."""
    days_in_month = month_end(today).day
    return days_in_month - today.day + 1, days_in_month


def next_first(today: date) -> date:
    """The 1st of the month after *today*'s month (the next renewal date)."""
    today = _check_today(today)
    return (today.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_end(today: date) -> date:
    """The last day of *today*'s month."""
    return next_first(today) - timedelta(days=1)


# ---------------------------------------------------------------- the preview
@dataclass(frozen=True, slots=True)
class PreviewLine:
    """One invoice line. ``days``/``days_in_period`` are ``None`` for a line not billed by days.

    ``creditable`` is False for the annual purchase itself: credit pays usage,
    never the purchase that grants it.
    """

    description: str
    quantity: int
    unit_amount: Money
    days: int | None
    days_in_period: int | None
    amount: Money
    creditable: bool = True

    @property
    def is_pro_rated(self) -> bool:
        """True when the line bills part of its period."""
        return self.days is not None and self.days != self.days_in_period

    def formula(self, locale: str = "pt_BR") -> str:
        """How the amount was reached, for people.

        ``10 devices × R$ 12,90 × 5/30 days = R$ 21,50``; a whole period reads
        ``10 devices × R$ 12,90 = R$ 129,00``.
        """
        noun = "device" if self.quantity == 1 else "devices"
        parts = [f"{self.quantity} {noun}", self.unit_amount.format(locale)]
        if self.is_pro_rated:
            parts.append(f"{self.days}/{self.days_in_period} days")
        return " × ".join(parts) + f" = {self.amount.format(locale)}"

    def to_wire_dict(self) -> dict[str, Any]:
        """The line as api.md's ``Line``: amounts in integer minor units."""
        return {
            "description": self.description,
            "quantity": self.quantity,
            "unit_amount": self.unit_amount.minor,
            "days": self.days,
            "days_in_period": self.days_in_period,
            "amount": self.amount.minor,
        }


@dataclass(frozen=True, slots=True)
class Preview:
    """What an action would charge now, what it grants and what the next renewal costs.

    ``total`` is what the card is charged now (``subtotal − credit_applied``);
    ``credit_remaining`` is the credit left after this invoice (not on the wire).
    """

    currency: str
    lines: tuple[PreviewLine, ...]
    subtotal: Money
    credit_applied: Money
    credit_granted: Money
    total: Money
    period_start: date
    period_end: date
    next_renewal_date: date
    next_renewal_amount: Money
    effective: date
    credit_remaining: Money | None = None

    def formulas(self, locale: str = "pt_BR") -> list[str]:
        """Each line's :meth:`PreviewLine.formula`, in order."""
        return [line.formula(locale) for line in self.lines]

    @classmethod
    def from_wire_dict(cls, data: Mapping[str, Any]) -> Preview:
        """A preview from the wire's fields (a server answer's ``model_dump()`` or JSON).

        Lets the console show a server preview with the same formulas as its own.
        Amounts must be ints (minor units); dates may be ``date`` or ISO strings.
        ``credit_remaining`` is not on the wire and stays ``None``.
        """
        currency = _check_currency(data["currency"])

        def money(value: Any) -> Money:
            return Money.from_minor(value, currency)

        def day(value: Any) -> date:
            return value if isinstance(value, date) else date.fromisoformat(value)

        lines = tuple(
            PreviewLine(
                description=str(line["description"]),
                quantity=int(line["quantity"]),
                unit_amount=money(line["unit_amount"]),
                days=line.get("days"),
                days_in_period=line.get("days_in_period"),
                amount=money(line["amount"]),
            )
            for line in data["lines"]
        )
        return cls(
            currency=currency,
            lines=lines,
            subtotal=money(data["subtotal"]),
            credit_applied=money(data["credit_applied"]),
            credit_granted=money(data.get("credit_granted", 0)),
            total=money(data["total"]),
            period_start=day(data["period_start"]),
            period_end=day(data["period_end"]),
            next_renewal_date=day(data["next_renewal_date"]),
            next_renewal_amount=money(data["next_renewal_amount"]),
            effective=day(data["effective"]),
        )

    def to_wire_dict(self) -> dict[str, Any]:
        """The preview as api.md's ``Preview`` (+ ``credit_granted``): ints and ISO dates."""
        return {
            "currency": self.currency,
            "lines": [line.to_wire_dict() for line in self.lines],
            "subtotal": self.subtotal.minor,
            "credit_applied": self.credit_applied.minor,
            "credit_granted": self.credit_granted.minor,
            "total": self.total.minor,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "next_renewal_date": self.next_renewal_date.isoformat(),
            "next_renewal_amount": self.next_renewal_amount.minor,
            "effective": self.effective.isoformat(),
        }


# ---------------------------------------------------------------- checks
def _check_currency(currency: object) -> str:
    code = currency.strip().upper() if isinstance(currency, str) else None
    if code not in SUPPORTED_CURRENCIES:
        choices = " or ".join(SUPPORTED_CURRENCIES)
        raise PricingError(
            "currency", f"Currency {str(currency)[:12]!r} is not offered; choose {choices}."
        )
    return code


def _check_devices(devices: object, name: str = "devices") -> int:
    if isinstance(devices, bool) or not isinstance(devices, int):
        raise PricingError(name, "The number of devices must be a whole number.")
    if devices < 1:
        raise PricingError(name, "The number of devices must be at least 1.")
    if devices > MAX_DEVICES:
        raise PricingError(
            name,
            f"The number of devices cannot be more than {MAX_DEVICES:,}; "
            "contact MKController for a larger plan.",
        )
    return devices


def _price(prices: PriceTable, currency: str, plan: object) -> Money:
    if plan not in PLANS:
        raise PricingError(
            "plan", f"Plan {str(plan)[:12]!r} is not offered; choose monthly or annual."
        )
    price = prices.get((currency, plan))  # type: ignore[arg-type]
    if price is None:
        raise PricingError("plan", f"There is no {plan} price for {currency}; refresh the prices.")
    if not isinstance(price, Money) or price.currency != currency or price.amount < 0:
        raise PricingError("prices", f"The {plan} {currency} price is not a valid amount.")
    try:
        price.minor  # noqa: B018 - a price must be whole minor units, or lines could not round-trip
    except ValueError:
        raise PricingError(
            "prices", f"The {plan} {currency} price has digits below the cent."
        ) from None
    return price


def _check_credit(credit: Money | None, currency: str) -> Money:
    if credit is None:
        return Money.zero(currency)
    if not isinstance(credit, Money) or credit.currency != currency:
        raise PricingError("credit_available", f"The credit balance must be a {currency} amount.")
    if credit.amount < 0 or credit.quantize() != credit:
        raise PricingError(
            "credit_available", "The credit balance must be zero or more, in whole cents."
        )
    return credit


def check_tax_id_for_currency(currency: str, tax_id: str | None) -> str | None:
    """The compact CPF/CNPJ for *currency*: BRL requires a valid one, USD refuses one.

    Returns ``None`` for USD (an empty or blank *tax_id* counts as none).
    """
    currency = _check_currency(currency)
    if tax_id is not None and not isinstance(tax_id, str):
        raise PricingError("tax_id", "CPF or CNPJ must be given as text.")
    given = tax_id if tax_id is not None and tax_id.strip() else None
    if currency != "BRL":
        if given is not None:
            raise PricingError(
                "tax_id", f"CPF or CNPJ does not apply to {currency} billing; leave it empty."
            )
        return None
    if given is None:
        raise PricingError(
            "tax_id",
            "CPF or CNPJ is required for BRL billing (for the fiscal documents); type it.",
        )
    try:
        return taxid.validate(given).compact
    except taxid.TaxIdError as error:
        raise PricingError("tax_id", error.sentence) from None


# ---------------------------------------------------------------- arithmetic
def _pro_rated(unit: Money, quantity: int, days: int, days_in_period: int) -> Money:
    """``unit × quantity × days / days_in_period`` rounded half up to the minor unit, exactly."""
    numerator = unit.minor * quantity * days
    minor = (2 * numerator + days_in_period) // (2 * days_in_period)
    return Money.from_minor(minor, unit.currency)


def _usage_line(description: str, unit: Money, quantity: int, today: date) -> PreviewLine:
    days, days_in_month = remaining_days(today)
    return PreviewLine(
        description=f"{description}, {today.isoformat()} to {month_end(today).isoformat()}",
        quantity=quantity,
        unit_amount=unit,
        days=days,
        days_in_period=days_in_month,
        amount=_pro_rated(unit, quantity, days, days_in_month),
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
    currency = _check_currency(currency)
    devices = _check_devices(devices)
    today = _check_today(today)
    unit = _price(prices, currency, plan)
    monthly = _price(prices, currency, "monthly")
    credit = _check_credit(credit_available, currency)
    check_tax_id_for_currency(currency, tax_id)

    lines: list[PreviewLine] = []
    granted = Money.zero(currency)
    if plan == "annual":
        lines.append(
            PreviewLine(
                description="Annual plan (grants 12 months of credit)",
                quantity=devices,
                unit_amount=unit,
                days=None,
                days_in_period=None,
                amount=unit * devices,
                creditable=False,
            )
        )
        granted = monthly * 12 * devices
    usage = "First month (from credit)" if plan == "annual" else "Monthly plan"
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
    currency = _check_currency(currency)
    current = _check_devices(current_devices, "current_devices")
    new = _check_devices(new_devices)
    if new <= current:
        raise PricingError(
            "devices",
            f"An increase must go above the current {current} devices; "
            "to lower the number, schedule a decrease.",
        )
    today = _check_today(today)
    monthly = _price(prices, currency, "monthly")
    credit = _check_credit(credit_available, currency)
    return _assemble(
        currency=currency,
        lines=[_usage_line("Added devices", monthly, new - current, today)],
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
    currency = _check_currency(currency)
    current = _check_devices(current_devices, "current_devices")
    new = _check_devices(new_devices)
    if new >= current:
        raise PricingError(
            "devices",
            f"A decrease must go below the current {current} devices; "
            "to add devices, preview an increase.",
        )
    today = _check_today(today)
    monthly = _price(prices, currency, "monthly")
    credit = _check_credit(credit_available, currency)
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
    current = _check_devices(current_devices, "current_devices")
    new = _check_devices(new_devices)
    if new == current:
        raise PricingError(
            "devices", f"The subscription already has {current} devices; choose another number."
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
    currency = _check_currency(currency)
    devices = _check_devices(devices)
    period_start = _check_today(period_start, "period_start")
    if period_start.day != 1:
        raise PricingError("period_start", "A renewal period starts on the 1st of a month.")
    monthly = _price(prices, currency, "monthly")
    credit = _check_credit(credit_available, currency)
    return _assemble(
        currency=currency,
        lines=[_usage_line("Monthly plan", monthly, devices, period_start)],
        credit_available=credit,
        credit_granted=Money.zero(currency),
        period_start=period_start,
        period_end=month_end(period_start),
        effective=period_start,
        next_renewal_date=next_first(period_start),
        renewal_devices=devices,
        monthly=monthly,
    )
