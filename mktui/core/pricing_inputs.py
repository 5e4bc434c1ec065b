"""What pricing starts from: the prices, and the checks every input passes.

Each check answers the value to use or raises :class:`PricingError` naming the
field, with a sentence saying what to do. The previews in :mod:`mktui.core.pricing`
run them first, so bad input gets a clear error, never a wrong number. Import
from :mod:`mktui.core.pricing`, which re-exports every name here.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType

from mktui.core import taxid
from mktui.core.i18n import _
from mktui.core.money import Money
from mktui.core.pricing_types import PLANS, PriceTable, PricingError, check_currency

MAX_DEVICES = 100_000
"""The most devices one subscription may hold (the wire refuses more too)."""

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
        code = check_currency(currency)
        if plan not in PLANS:
            raise PricingError(
                "plan", _("Plan {plan!r} is not offered.").format(plan=str(plan)[:12])
            )
        table[(code, plan)] = Money.from_minor(minor, code)
    return MappingProxyType(table)


def check_devices(devices: object, name: str = "devices") -> int:
    """*devices* when it is a whole number from 1 to :data:`MAX_DEVICES`, else :class:`PricingError`."""
    if isinstance(devices, bool) or not isinstance(devices, int):
        raise PricingError(name, _("The number of devices must be a whole number."))
    if devices < 1:
        raise PricingError(name, _("The number of devices must be at least 1."))
    if devices > MAX_DEVICES:
        raise PricingError(
            name,
            _(
                "The number of devices cannot be more than {n}; "
                "contact MKController for a larger plan."
            ).format(n=f"{MAX_DEVICES:,}"),
        )
    return devices


def unit_price(prices: PriceTable, currency: str, plan: object) -> Money:
    """The unit price of *plan* in *currency* from *prices*, checked: offered, whole cents, not negative."""
    if plan not in PLANS:
        raise PricingError(
            "plan",
            _("Plan {plan!r} is not offered; choose monthly or annual.").format(
                plan=str(plan)[:12]
            ),
        )
    price = prices.get((currency, plan))  # type: ignore[arg-type]
    if price is None:
        raise PricingError(
            "plan",
            _("There is no {plan} price for {currency}; refresh the prices.").format(
                plan=plan, currency=currency
            ),
        )
    if not isinstance(price, Money) or price.currency != currency or price.amount < 0:
        raise PricingError(
            "prices",
            _("The {plan} {currency} price is not a valid amount.").format(
                plan=plan, currency=currency
            ),
        )
    try:
        price.minor  # noqa: B018 - a price must be whole minor units, or lines could not round-trip
    except ValueError:
        raise PricingError(
            "prices",
            _("The {plan} {currency} price has digits below the cent.").format(
                plan=plan, currency=currency
            ),
        ) from None
    return price


def check_credit(credit: Money | None, currency: str) -> Money:
    """The credit available (zero when None): a *currency* amount, not negative, in whole cents."""
    if credit is None:
        return Money.zero(currency)
    if not isinstance(credit, Money) or credit.currency != currency:
        raise PricingError(
            "credit_available",
            _("The credit balance must be a {currency} amount.").format(currency=currency),
        )
    if credit.amount < 0 or credit.quantize() != credit:
        raise PricingError(
            "credit_available", _("The credit balance must be zero or more, in whole cents.")
        )
    return credit


def check_tax_id_for_currency(currency: str, tax_id: str | None) -> str | None:
    """The compact CPF/CNPJ for *currency*: BRL requires a valid one, USD refuses one.

    Returns ``None`` for USD (an empty or blank *tax_id* counts as none).
    """
    currency = check_currency(currency)
    if tax_id is not None and not isinstance(tax_id, str):
        raise PricingError("tax_id", _("CPF or CNPJ must be given as text."))
    given = tax_id if tax_id is not None and tax_id.strip() else None
    if currency != "BRL":
        if given is not None:
            raise PricingError(
                "tax_id",
                _("CPF or CNPJ does not apply to {currency} billing; leave it empty.").format(
                    currency=currency
                ),
            )
        return None
    if given is None:
        raise PricingError(
            "tax_id",
            _("CPF or CNPJ is required for BRL billing (for the fiscal documents); type it."),
        )
    try:
        return taxid.validate(given).compact
    except taxid.TaxIdError as error:
        raise PricingError("tax_id", error.sentence) from None
