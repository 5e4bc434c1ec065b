"""The values pricing works with: its error, an invoice line and a preview.

:mod:`mktui.core.pricing` computes them (the rules); this module only holds them,
renders a line's formula for people, converts a preview to the wire's shape
(integer minor units, ISO dates) and checks that one adds up. Reading a
server's preview is :meth:`mktui.api.models.Preview.priced`. No IO, no Textual, no httpx,
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
        from mktui.core.i18n import _

        # "BRL or USD" ("BRL ou USD"): the list's "or" is the language's too.
        choices = _("{some} or {last}").format(
            some=", ".join(SUPPORTED_CURRENCIES[:-1]), last=SUPPORTED_CURRENCIES[-1]
        )
        raise PricingError(
            "currency",
            _("Currency {currency!r} is not offered; choose {choices}.").format(
                currency=str(currency)[:12], choices=choices
            ),
        )
    return code


@dataclass(frozen=True, slots=True)
class PreviewLine:
    """One invoice line. ``days``/``days_in_period`` are ``None`` for a line not billed by days.

    ``creditable`` is False for the annual purchase itself: credit pays usage,
    never the purchase that grants it. ``label`` and ``period`` are set only on
    a line computed here (never on a server's, nor on the wire): its English
    wording, marked for translation, and the dates it bills, so that
    :meth:`text` can say it in the language in use while ``description`` stays
    the English the sandbox sends.
    """

    description: str
    quantity: int
    unit_amount: Money
    days: int | None
    days_in_period: int | None
    amount: Money
    creditable: bool = True
    label: str | None = None
    period: tuple[date, date] | None = None

    def text(self) -> str:
        """The description for people: a line computed here in the language in use, a server's as sent."""
        if self.label is None:
            return self.description
        from mktui.core.i18n import _, format_period

        if self.period is None:
            return _(self.label)
        return f"{_(self.label)}, {format_period(*self.period)}"

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
    ``credit_remaining`` is the credit left after this invoice (not on the wire);
    ``quote`` is set only on a server's preview (:meth:`mktui.api.models.Preview.priced`).
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
    quote: str | None = None
    """The server's fingerprint of this preview, sent back as ``expected_quote`` (not local)."""

    def formulas(self, locale: str = "pt_BR") -> list[str]:
        """Each line's :meth:`PreviewLine.formula`, in order."""
        return [line.formula(locale) for line in self.lines]

    def check_adds_up(self) -> Preview:
        """This preview, once its lines, credit and total agree; else :class:`PricingError`.

        What the console shows must be what is charged: the lines sum to the
        subtotal, the subtotal less the credit applied is the total, and no
        amount is negative. Every server preview is checked by
        :meth:`mktui.api.models.Preview.priced` before anyone sees it.
        """
        zero = Money.zero(self.currency)
        amounts = [line.amount for line in self.lines]
        if (
            sum(amounts, zero) != self.subtotal
            or self.subtotal - self.credit_applied != self.total
            or min(self.total, self.credit_applied, self.credit_granted, *amounts, zero) < zero
        ):
            from mktui.core.i18n import _

            raise PricingError(
                "preview",
                _(
                    "The server's preview does not add up (its lines, credit and total disagree), "
                    "so nothing was shown or charged; fetch the preview again, and if it still "
                    "does not add up, contact MKController support."
                ),
            )
        return self

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
