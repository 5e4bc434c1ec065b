"""Choosing how to pay: the saved cards as options, then "A new card".

Shared by the Subscribe payment page and the Invoices area's "pay with another
card" dialog, so a card reads the same everywhere and only brand, last 4 and
expiry are ever shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from mktui.core.card_brands import card_label
from mktui.core.i18n import _
from mktui.tui.widgets.card_form import CardForm

if TYPE_CHECKING:
    from mktui.api import models

NEW_CARD = "new-card"
"""The option id of "A new card" (the card form opens under the list)."""


def describe_method(method: models.PaymentMethod) -> str:
    """``Visa •••• 4242 · exp 12/28``: all that is ever shown of a card."""
    return _("{card} · exp {month:02d}/{year:02d}").format(
        card=card_label(method), month=method.exp_month, year=method.exp_year % 100
    )


def fill_methods(
    options: OptionList, methods: list[models.PaymentMethod], select: str | None = None
) -> None:
    """Replace ``options`` with the saved cards and "A new card"; highlight ``select`` or the default."""
    options.clear_options()
    for method in methods:
        label = describe_method(method) + ("  " + _("(default)") if method.is_default else "")
        options.add_option(Option(Content(label), id=method.id))
    options.add_option(Option(_("A new card"), id=NEW_CARD))
    target = select or next((m.id for m in methods if m.is_default), NEW_CARD)
    options.highlighted = options.get_option_index(target)


def chosen_method(options: OptionList) -> str:
    """The highlighted method's id, or :data:`NEW_CARD`."""
    option = options.highlighted_option
    return option.id if option is not None and option.id else NEW_CARD


class MethodChoice:
    """For a screen with the saved cards (its one OptionList) and the new-card form under them.

    ``chosen`` is the highlighted option; the form shows only while "A new card"
    is highlighted. (Shared by the payment page and the "pay with another card" dialog.)
    """

    def _methods_list(self) -> OptionList:
        return self.query_one(OptionList)  # type: ignore[attr-defined]

    @property
    def chosen(self) -> str:
        """The highlighted method's id, or :data:`NEW_CARD`."""
        return chosen_method(self._methods_list())

    def on_option_list_option_highlighted(self) -> None:
        self._chosen_changed()

    def _chosen_changed(self) -> None:
        self.query_one(CardForm).display = self.chosen == NEW_CARD  # type: ignore[attr-defined]
