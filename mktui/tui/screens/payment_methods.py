"""Payment methods: the saved cards; add one, make one the default, remove one.

Only brand, last 4 and expiry are ever shown. A new card's number and CVC
live in the card form until Save, go out inside a ``NewPaymentMethod``
(``SecretStr``) and are cleared from the widgets as soon as it was sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Checkbox

from mktui.api.errors import ApiError, ErrorKind
from mktui.core import pricing
from mktui.core.card_brands import card_label
from mktui.core.i18n import N_, _
from mktui.tui.screens.dialogs import ConfirmModal
from mktui.tui.screens.records import FormModal, RecordsScreen, Row
from mktui.tui.services.intent import Intent
from mktui.tui.widgets.card_form import CardForm
from mktui.tui.widgets.text import safe_text
from mktui.tui.widgets.toggles import GlyphCheckbox

if TYPE_CHECKING:
    from mktui.api import models
    from mktui.api.client import BillingClient


def expiry_state(method: models.PaymentMethod, today: date) -> str:
    """``expired``, ``expires this month`` or ``""``: cards that will not pay the next 1st.

    In the language in use (the words are shown beside the expiry).
    """
    if (method.exp_year, method.exp_month) < (today.year, today.month):
        return _("expired")
    if (method.exp_year, method.exp_month) == (today.year, today.month):
        return _("expires this month")
    return ""


class PaymentMethodsScreen(RecordsScreen):
    """The saved cards: ``a`` adds, ``d`` makes the default, ``x`` removes after a confirmation."""

    MODE = "payment_methods"
    TITLE_TEXT = N_("Payment methods")
    LIST_TITLE = N_("Saved cards")
    COLUMNS = (N_("Card"), N_("Expires"), N_("Holder"), N_("Default"))
    SHARED_WITH_OTHER_AREAS = True  # every payment confirmation names the default card
    BINDINGS = [
        Binding("a", "add", N_("Add"), id="payment_methods.add", tooltip=N_("Save a new card")),
        Binding(
            "d",
            "make_default",
            N_("Default"),
            id="payment_methods.default",
            tooltip=N_("Charge the selected card on each 1st"),
        ),
        Binding(
            "e",
            "update_expiry",
            N_("Update expiry"),
            id="payment_methods.update-expiry",
            tooltip=N_("Type the selected card's new expiry (a reissued card)"),
        ),
        Binding(
            "x,delete",
            "remove",
            N_("Remove"),
            id="payment_methods.remove",
            tooltip=N_("Remove the selected card, after a confirmation"),
        ),
    ]

    methods: list[models.PaymentMethod] = []
    today: date | None = None

    async def fetch(self, client: BillingClient) -> None:
        account = await client.account()
        self.console.session.account = account
        self.today = pricing.billing_today(account.now, account.billing_timezone)
        self.methods = list(await client.payment_methods())

    def rows(self) -> Iterable[Row]:
        for method in self.methods:
            state = expiry_state(method, self.today) if self.today else ""
            expires = f"{method.exp_month:02d}/{method.exp_year}"
            yield (
                method.id,
                (
                    Text(card_label(method)),
                    Text(
                        f"{expires} · {state}" if state else expires, style="bold" if state else ""
                    ),
                    Text(safe_text(method.holder_name, limit=40)),
                    Text(_("default") if method.is_default else "", style="bold"),
                ),
            )

    def after_load(self) -> None:
        if not self.methods:
            self.set_note(_("No saved cards. Press a to add one."))
            return
        late = [m for m in self.methods if self.today and expiry_state(m, self.today)]
        self.set_note(
            _(
                "The default card is charged on each 1st. "
                "Replace the cards marked expired or expiring: add a new one with a."
            )
            if late
            else _("The default card is charged on each 1st.")
        )

    @property
    def selected(self) -> models.PaymentMethod | None:
        """The highlighted card."""
        key = self.selected_key
        return next((m for m in self.methods if m.id == key), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("make_default", "remove", "update_expiry"):
            return None if self.selected is None else True
        return True

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (_("payment methods: Add"), _("Save a new card (a)"), self.action_add)
        ]
        if self.selected is not None:
            commands += [
                (
                    _("payment methods: Set default"),
                    _("Make the selected card the default (d)"),
                    self.action_make_default,
                ),
                (
                    _("payment methods: Update expiry"),
                    _("Type the selected card's new expiry (e)"),
                    self.action_update_expiry,
                ),
                (
                    _("payment methods: Remove"),
                    _("Remove the selected card (x)"),
                    self.action_remove,
                ),
            ]
        return commands

    # ------------------------------------------------------------------ actions
    def action_add(self) -> None:
        """Open the card form."""
        if self.today is None:
            return
        self.app.push_screen(AddCardModal(self.today, first=not self.methods), callback=self._added)

    async def _added(self, method: models.PaymentMethod | None) -> None:
        if method is not None:
            self.notify(_("Saved {card}.").format(card=card_label(method)), markup=False)
            await self.changed(method.id)

    def action_update_expiry(self) -> None:
        """Open the new-expiry form for the highlighted card."""
        method = self.selected
        if method is None or self.today is None:
            return
        from mktui.tui.screens.card_expiry import ExpiryModal

        self.app.push_screen(ExpiryModal(method, self.today), callback=self._expiry_updated)

    async def _expiry_updated(self, method: models.PaymentMethod | None) -> None:
        if method is not None:
            self.notify(
                _("{card} now expires {month:02d}/{year:02d}.").format(
                    card=card_label(method), month=method.exp_month, year=method.exp_year % 100
                ),
                markup=False,
            )
            await self.changed(method.id)

    def action_make_default(self) -> None:
        """Make the highlighted card the one renewals and retries charge."""
        method = self.selected
        if method is None:
            return
        if method.is_default:
            self.notify(
                _("{card} is already the default card.").format(card=card_label(method)),
                markup=False,
            )
            return
        self.change(
            lambda client: client.set_default_payment_method(method.id),
            done=_("{card} is now the default card.").format(card=card_label(method)),
            select=method.id,
        )

    def action_remove(self) -> None:
        """Remove the highlighted card after a confirmation naming it."""
        method = self.selected
        if method is None:
            return
        name = card_label(method)
        lines = [
            _("Remove {card} (expires {month:02d}/{year})?").format(
                card=name, month=method.exp_month, year=method.exp_year
            )
        ]
        if method.is_default:
            # The server makes the most recently added remaining card the default (the list
            # is in the order cards were added): say which before, and confirm it after.
            others = [m for m in self.methods if m.id != method.id]
            lines.append(
                _("It is the default card: {card} becomes the default.").format(
                    card=card_label(others[-1])
                )
                if others
                else _(
                    "It is the default card and no other is saved: add one so renewals are paid."
                )
            )
        lines += ["", _("Press y or choose Remove to remove it; Escape keeps it.")]

        async def remove(client: BillingClient) -> None:
            promoted = await client.remove_payment_method(method.id)
            if promoted is not None:
                self.notify(
                    _("{card} is now the default card.").format(card=card_label(promoted)),
                    title=_("Default card"),
                    markup=False,
                )

        self.change(
            remove,
            done=_("Removed {card}.").format(card=name),
            confirm=ConfirmModal(
                _("Remove this card?"),
                lines,
                confirm_label=_("Remove {card}").format(card=name),
            ),
            explain=lambda error: _explain_remove(error, name),
        )


def _explain_remove(error: Exception, name: str) -> Exception | None:
    """The server's 409 for the default card with open invoices, as what to do about it."""
    if isinstance(error, ApiError) and error.kind is ErrorKind.CONFLICT:
        return ApiError(
            ErrorKind.CONFLICT,
            _(
                "{card} was not removed: it is the default card and invoices are still open. "
                "Make another card the default first (select it and press d), or pay the open "
                "invoices (press i), then remove it."
            ).format(card=name),
            code=error.code,
            status=error.status,
        )
    return None


class AddCardModal(FormModal):
    """Add payment method: the card form, "make default", Save."""

    TITLE_TEXT = N_("Add payment method")

    def __init__(self, today: date, *, first: bool = False) -> None:
        super().__init__(id="add-card")
        self.today = today
        self.first = first
        self._intent = Intent()

    def compose_fields(self) -> ComposeResult:
        yield CardForm(today=self.today, id="add-card-form")
        yield GlyphCheckbox(
            _("Make this the default card"), value=self.first, id="add-card-default", compact=True
        )

    def on_mount(self) -> None:
        self.query_one("#card-holder").focus()

    async def save(self, box: Vertical) -> None:
        form = self.query_one(CardForm)
        form.make_default = self.query_one("#add-card-default", Checkbox).value
        card = form.collect()
        if card is None:
            return  # the bad fields are marked; everything typed stays
        # One key per intent: Save again after a lost answer (the same card retyped) sends the
        # same key, so the server answers the first request instead of saving the card twice.
        intent = (
            form.describe(),
            card.exp_month,
            card.exp_year,
            card.holder_name,
            card.make_default,
        )
        key = self._intent.key(intent)
        box.loading = True
        client = await self.console.session.ready_client()
        try:
            method = await client.add_payment_method(card, idempotency_key=key)
        except ApiError as error:
            if error.kind is ErrorKind.VALIDATION and error.field:
                self._intent.end()  # a definite answer: nothing was saved
                form.mark(error.field, safe_text(error.message))
                return
            form.mark("number", _("Type the card number and security code again to retry."))
            raise
        finally:
            card = None
            form.clear_secrets()
        self.dismiss(method)
