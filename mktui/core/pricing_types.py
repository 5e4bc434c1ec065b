"""The values pricing works with: its error, an invoice line and a preview.

:mod:`mktui.core.pricing` computes them (the rules); this module only holds them,
renders a line's formula for people and converts a preview to and from the
wire's shape (integer minor units, ISO dates). No IO, no Textual, no httpx,
and not ``mktui.api.models`` either: the sandbox gets plain ints and strings.
Import them from :mod:`mktui.core.pricing`, which re-exports every name here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from mktui.core.money import SUPPORTED_CURRENCIES, Money

PLANS: tuple[str, ...] = ("monthly", "annual")

PriceTable = Mapping[tuple[str, str], Money]
"""``{(currency, plan): unit price}``; monthly is per device per month, annual per device per year."""


class PricingError(ValueError):
    """An input no price can be computed for; ``field`` names it, the message says what to do."""

    def __init__(self, field: str, sentence: str) -> None:
        super().__init__(sentence)
        self.field = field
        self.sentence = sentence


def check_currency(currency: object) -> str:
    """The upper-case code of a currency MKController bills in, or :class:`PricingError`."""
    code = currency.strip().upper() if isinstance(currency, str) else None
    if code not in SUPPORTED_CURRENCIES:
        choices = " or ".join(SUPPORTED_CURRENCIES)
        raise PricingError(
            "currency", f"Currency {str(currency)[:12]!r} is not offered; choose {choices}."
        )
    return code


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
        from mktui.core.i18n import _, ngettext

        devices = ngettext("{n} device", "{n} devices", self.quantity).format(n=self.quantity)
        parts = [devices, self.unit_amount.format(locale)]
        if self.is_pro_rated:
            parts.append(
                _("{days}/{period} days").format(days=self.days, period=self.days_in_period)
            )
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
        currency = check_currency(data["currency"])

        def money(value: Any) -> Money:
            return Money.from_minor(value, currency)

        def day(value: Any) -> date:
            return value if isinstance(value, date) else date.fromisoformat(value)

        def count(value: Any, *, optional: bool = False) -> int | None:
            if optional and value is None:
                return None
            if isinstance(value, bool) or not isinstance(value, int):
                raise PricingError(
                    "preview",
                    "The server's preview has a count that is not a whole number; fetch it again.",
                )
            return value

        lines = tuple(
            PreviewLine(
                description=str(line["description"]),
                quantity=count(line["quantity"]),
                unit_amount=money(line["unit_amount"]),
                days=count(line.get("days"), optional=True),
                days_in_period=count(line.get("days_in_period"), optional=True),
                amount=money(line["amount"]),
            )
            for line in data["lines"]
        )
        preview = cls(
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
        # What the console shows must be what is charged: the lines, the
        # credit and the total have to agree before anyone sees them.
        zero = Money.zero(currency)
        if (
            sum((line.amount for line in lines), zero) != preview.subtotal
            or preview.subtotal - preview.credit_applied != preview.total
            or min(preview.total, preview.credit_applied, *(line.amount for line in lines), zero)
            < zero
        ):
            raise PricingError(
                "preview",
                "The server's preview does not add up (its lines, credit and total disagree); "
                "fetch it again before paying.",
            )
        return preview

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
