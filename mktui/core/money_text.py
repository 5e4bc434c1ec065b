"""Wire amounts as people read them: the currency's usual locale, Babel formatting.

Shared by the console's widgets and the command line, so an amount reads the
same in both. Pure: imports neither Textual nor httpx (Babel loads only when
an amount is first formatted, inside :meth:`mktui.core.money.Money.format`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mktui.core.money import Money

# Brazilian reais read best the Brazilian way (R$ 1.234,56), dollars the US way.
_CURRENCY_LOCALES = {"BRL": "pt_BR", "USD": "en_US"}


def locale_for(currency: str | None, preferred: str | None = None) -> str:
    """The locale to format ``currency`` in: the profile's choice, else the currency's own."""
    if preferred:
        return preferred
    return _CURRENCY_LOCALES.get(currency or "", "en_US")


def money(amount_minor: int, currency: str) -> Money:
    """A wire amount (integer minor units) as :class:`Money`."""
    from mktui.core.money import Money

    return Money.from_minor(amount_minor, currency)


def format_money(value: Money, locale: str | None = None) -> str:
    """``value`` formatted for people, e.g. ``R$ 1.234,56``."""
    return value.format(locale=locale_for(value.currency, locale))


def format_minor(amount_minor: int, currency: str, locale: str | None = None) -> str:
    """A wire amount formatted for people."""
    return format_money(money(amount_minor, currency), locale)
