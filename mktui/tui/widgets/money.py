"""Money on screen: formatted by :mod:`mktui.core.money_text` in the currency's usual locale."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from mktui.core.money_text import format_minor, format_money, locale_for, money

__all__ = ["MoneyDisplay", "format_minor", "format_money", "locale_for", "money"]

if TYPE_CHECKING:
    from mktui.core.money import Money


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
