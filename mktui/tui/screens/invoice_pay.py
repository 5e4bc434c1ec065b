"""Pay an invoice with another card: a saved one, or a new one typed here.

The dialog only chooses; the Invoices area then confirms the amount and card
and pays. A new card's number and CVC leave the form inside the returned
:class:`NewPaymentMethod` (``SecretStr``) and the form is cleared as the
dialog closes.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, OptionList, Static

from mktui.core.card_brands import card_label
from mktui.core.i18n import N_, _
from mktui.tui.screens.base import ConsoleModal
from mktui.tui.services.invoice_payments import PayChoice
from mktui.tui.widgets.card_form import CardForm
from mktui.tui.widgets.method_options import NEW_CARD, MethodChoice, fill_methods

if TYPE_CHECKING:
    from mktui.api.models import PaymentMethod


class PayWithModal(MethodChoice, ConsoleModal):
    """Choose the card to pay with; dismisses with a :class:`PayChoice` or None.

    ``what`` is the dialog's title, already in the admin's language
    ("Pay invoice MK-0001 with"): the caller words it whole, since where the
    invoice's number goes in the sentence depends on the language.
    """

    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="paywith.cancel"),
        Binding("ctrl+n", "choose", N_("Continue"), id="paywith.continue"),
    ]

    def __init__(self, what: str, methods: list[PaymentMethod], today: date) -> None:
        super().__init__(classes="dialog")
        self._what = what
        self._methods = methods
        self._today = today

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog--box", id="paywith-box"):
            yield Static(Content(self._what), classes="dialog--title")
            with VerticalScroll(id="paywith-scroll"):
                yield OptionList(id="paywith-methods")
                yield CardForm(today=self._today, id="paywith-card")
            with Horizontal(classes="dialog--buttons"):
                yield Button(_("Continue"), variant="primary", id="paywith-continue", compact=True)
                yield Button(_("Cancel"), id="paywith-cancel", compact=True)

    def on_mount(self) -> None:
        options = self.query_one("#paywith-methods", OptionList)
        # Another card than the default: highlight the first saved one that is not it.
        others = [m for m in self._methods if not m.is_default]
        fill_methods(options, self._methods, others[0].id if others else NEW_CARD)
        self._chosen_changed()
        options.focus()

    @on(OptionList.OptionSelected, "#paywith-methods")
    def _selected(self) -> None:
        if self.chosen == NEW_CARD:
            self.query_one("#card-holder").focus()
        else:
            self.action_choose()

    @on(Button.Pressed, "#paywith-continue")
    def action_choose(self) -> None:
        """Hand the choice back (a new card only once every field checks out)."""
        if self.chosen != NEW_CARD:
            method = next(m for m in self._methods if m.id == self.chosen)
            self.dismiss(PayChoice(card_label(method), method_id=method.id))
            return
        form = self.query_one(CardForm)
        card = form.collect()
        if card is None:
            return
        described = form.describe()
        form.clear_secrets()
        self.dismiss(PayChoice(described, card=card))

    @on(Button.Pressed, "#paywith-cancel")
    def action_cancel(self) -> None:
        """Pay nothing."""
        self.query_one(CardForm).clear_secrets()
        self.dismiss(None)
