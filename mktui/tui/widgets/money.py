"""Money on screen: formatted by :mod:`mktui.core.money` in the currency's usual locale."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

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
    return Money.from_minor(amount_minor, currency)


def format_money(value: Money, locale: str | None = None) -> str:
    """``value`` formatted for people, e.g. ``R$ 1.234,56``."""
    return value.format(locale=locale_for(value.currency, locale))


def format_minor(amount_minor: int, currency: str, locale: str | None = None) -> str:
    """A wire amount formatted for people."""
    return format_money(money(amount_minor, currency), locale)


class MoneyDisplay(Static):
    """One amount, right-aligned; ``—`` while unknown."""

    DEFAULT_CSS = """
    MoneyDisplay { width: auto; height: 1; }
    MoneyDisplay.-negative { color: $error; }
    MoneyDisplay.-emphasis { text-style: bold; }
    """

    def __init__(self, value: Money | None = None, *, locale: str | None = None, **kwargs) -> None:
        super().__init__("—", **kwargs)
        self._locale = locale
        self.value = value
        if value is not None:
            self.show(value)

    def show(self, value: Money | None) -> None:
        """Display ``value`` (``None`` shows a dash)."""
        self.value = value
        if value is None:
            self.update("—")
            return
        self.update(Content(format_money(value, self._locale)))
