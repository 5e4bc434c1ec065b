"""Subscribe, step 1: currency, devices, plan and CPF/CNPJ, with the price as you type.

The preview on the right is :func:`mktui.core.pricing.preview_activation` with the
server's prices and the account's ``now`` in its billing time zone, recomputed
on every keystroke. Next fetches the server's own preview and opens the
payment page, which shows it (and names any difference).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, RadioSet, Static

from mktui.api.errors import ApiError, ErrorKind
from mktui.api.models import PreviewRequest
from mktui.core import pricing, taxid
from mktui.core.i18n import N_, _
from mktui.core.money import Money
from mktui.tui.screens.base import ConsoleScreen
from mktui.tui.screens.payment import PaymentScreen
from mktui.tui.services import server_clock
from mktui.tui.services.financial_data import price_table
from mktui.tui.services.subscription_choice import SubscriptionChoice
from mktui.tui.widgets.account_bar import AccountBar
from mktui.tui.widgets.field import LabelledField
from mktui.tui.widgets.field_input import FieldInput
from mktui.tui.widgets.key_hints import KeyHints
from mktui.tui.widgets.preview_panel import PreviewPanel
from mktui.tui.widgets.text import safe_text
from mktui.tui.widgets.toggles import GlyphRadioButton

if TYPE_CHECKING:
    from mktui.api.models import Account


class SubscribeScreen(ConsoleScreen):
    """Choose currency, devices and plan; see the price; Next goes to payment."""

    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="subscribe.back", tooltip=N_("Back to Financial")),
        Binding(
            "ctrl+n",
            "next",
            N_("Next"),
            id="subscribe.next",
            tooltip=N_("Check the server's price, then pay"),
        ),
    ]

    def __init__(self, account: Account, taken: float | None = None) -> None:
        super().__init__()
        self.account = account
        # When account.now was read: the preview's "today" is that reading plus the time since.
        self.taken = server_clock.monotonic() if taken is None else taken
        self.prices: pricing.PriceTable | None = None
        self.local: pricing.Preview | None = None

    def compose(self) -> ComposeResult:
        yield AccountBar(N_("Subscribe"), id="account-bar")
        with Horizontal(id="sub-columns"):
            with VerticalScroll(id="sub-form"):
                yield Static(_("Choose your subscription"), classes="flow--title")
                yield LabelledField(
                    _("Currency"),
                    _radios(
                        "sub-currency", ("BRL", "USD"), 1 if self.account.currency == "USD" else 0
                    ),
                    id="sub-currency-field",
                )
                yield LabelledField(
                    _("Devices"),
                    FieldInput(
                        compact=True,
                        value=str(max(self.account.devices_in_use, 1)),
                        id="sub-devices",
                        max_length=6,
                    ),
                    hint=_("{n} in use now").format(n=self.account.devices_in_use),
                    id="sub-devices-field",
                )
                yield LabelledField(
                    _("Plan"),
                    _radios("sub-plan", (_("Monthly"), _("Annual")), 0),
                    id="sub-plan-field",
                )
                yield LabelledField(
                    _("CPF or CNPJ"),
                    FieldInput(
                        compact=True, placeholder="123.456.789-09", id="sub-tax-id", max_length=20
                    ),
                    id="sub-tax-id-field",
                )
                with Horizontal(id="sub-buttons"):
                    yield Button(compact=True, label=_("Next"), variant="primary", id="sub-next")
                    yield Button(compact=True, label=_("Cancel"), id="sub-cancel")
            with VerticalScroll(id="sub-preview"):
                yield PreviewPanel(_("Price (computed here as you type)"), id="sub-preview-panel")
        yield KeyHints()

    def on_mount(self) -> None:
        self.query_one(AccountBar).show_account(self.account.name, self.account.status)
        self.query_one(PreviewPanel).show_message(_("Loading prices…"))
        self.query_one("#sub-devices", Input).focus()
        self.load_prices()

    @work(exclusive=True, group="subscribe-prices", exit_on_error=False)
    async def load_prices(self) -> None:
        """The server's price list, for the local preview."""
        client = await self.console.session.ready_client()
        self.prices = price_table(await client.prices())
        self.recompute()

    # ------------------------------------------------------------------ the form
    def choice(self, *, complete: bool) -> tuple[SubscriptionChoice | None, dict[str, str]]:
        """The form as a :class:`SubscriptionChoice`, or the errors per field."""
        errors: dict[str, str] = {}
        currency = _pressed(self.query_one("#sub-currency", RadioSet), ("BRL", "USD"))
        plan = _pressed(self.query_one("#sub-plan", RadioSet), ("monthly", "annual"))
        raw_devices = self.query_one("#sub-devices", Input).value.strip()
        devices = 0
        if not raw_devices:
            errors["devices"] = _("Enter how many devices to manage (at least 1).")
        else:
            # Only ASCII digits: "1e9", "1_000" or "²" are refused as typed, never read as a number.
            devices = int(raw_devices) if raw_devices.isascii() and raw_devices.isdigit() else -1
            if devices < 0:
                errors["devices"] = _(
                    'Devices takes a whole number like 12; "{typed}" is not one.'
                ).format(typed=raw_devices)
            elif devices < 1:
                errors["devices"] = _("Subscribe for at least 1 device.")
            elif devices > pricing.MAX_DEVICES:
                errors["devices"] = _("At most {n} devices per subscription.").format(
                    n=f"{pricing.MAX_DEVICES:,}"
                )
        tax_id = None
        raw_tax = self.query_one("#sub-tax-id", Input).value.strip()
        if currency == "BRL":
            try:
                tax_id = taxid.validate(raw_tax).compact if raw_tax else None
            except taxid.TaxIdError as error:
                still_typing = not complete and error.reason in ("length", "missing")
                if not still_typing:
                    errors["tax_id"] = error.sentence
            if tax_id is None and complete and "tax_id" not in errors:
                errors["tax_id"] = _(
                    "CPF or CNPJ is required for billing in reais (for the fiscal documents)."
                )
        if errors:
            return None, errors
        return SubscriptionChoice(currency, plan, devices, tax_id), errors

    @on(Input.Changed)
    @on(RadioSet.Changed)
    def recompute(self) -> None:
        """Re-check the form and recompute the local preview (every keystroke)."""
        currency = _pressed(self.query_one("#sub-currency", RadioSet), ("BRL", "USD"))
        self.query_one("#sub-tax-id-field").display = currency == "BRL"
        choice, errors = self.choice(complete=False)
        for name in ("devices", "tax_id"):
            self.query_one(f"#sub-{name.replace('_', '-')}-field", LabelledField).set_error(
                errors.get(name)
            )
        panel = self.query_one(PreviewPanel)
        self.local = None
        if self.prices is None:
            return
        if choice is None:
            panel.show_message(_("Fix the marked field to see the price."))
            return
        try:
            self.local = pricing.preview_activation(
                currency=choice.currency,
                plan=choice.plan,
                devices=choice.devices,
                today=pricing.billing_today(
                    server_clock.server_now(self.account.now, self.taken),
                    self.account.billing_timezone,
                ),
                prices=self.prices,
                credit_available=_credit(self.account, choice.currency),
                tax_id=choice.tax_id,
            )
        except pricing.PricingError as error:
            panel.show_message(error.sentence)
            return
        panel.show(self.local)
        panel.set_note(_("The server's own preview is fetched before you pay."))

    # ------------------------------------------------------------------ next
    @on(Input.Blurred, "#sub-tax-id")
    def _show_tax_id(self, event: Input.Blurred) -> None:
        """Leaving the field shows a valid CPF or CNPJ punctuated (529.982.247-25)."""
        try:
            shown = taxid.format(event.value) if event.value.strip() else event.value
        except taxid.TaxIdError:
            return  # left as typed: the field already says what is wrong
        if shown != event.value:
            with event.input.prevent(Input.Changed):
                event.input.value = shown

    @on(Button.Pressed, "#sub-next")
    @on(Input.Submitted)
    def action_next(self) -> None:
        """Validate everything, then fetch the server's preview and go to payment."""
        choice, errors = self.choice(complete=True)
        for name in ("devices", "tax_id"):
            self.query_one(f"#sub-{name.replace('_', '-')}-field", LabelledField).set_error(
                errors.get(name)
            )
        if choice is None:
            first = next(iter(errors))
            self.query_one(f"#sub-{first.replace('_', '-')}", Input).focus()
            return
        if self.local is None:
            self.notify(
                _("The prices are still loading; press Next again in a moment."), severity="warning"
            )
            return
        self.fetch_server_preview(choice, self.local)

    @work(exclusive=True, group="subscribe-next", exit_on_error=False)
    async def fetch_server_preview(
        self, choice: SubscriptionChoice, local: pricing.Preview
    ) -> None:
        """Ask the server what it would charge; field errors go back to the form."""
        button = self.query_one("#sub-next", Button)
        button.disabled = True
        try:
            client = await self.console.session.ready_client()
            server = await client.priced_preview(
                PreviewRequest(
                    currency=choice.currency,
                    plan=choice.plan,
                    devices=choice.devices,
                    tax_id=choice.tax_id,
                )
            )
        except ApiError as error:
            if error.kind is ErrorKind.VALIDATION and error.field in ("devices", "tax_id"):
                self.query_one(f"#sub-{error.field.replace('_', '-')}-field", LabelledField).point(
                    safe_text(error.message)
                )
                return
            raise
        finally:
            button.disabled = False
        self.app.push_screen(
            PaymentScreen(self.account, choice, local, server), callback=self._paid
        )

    def _paid(self, paid: bool | None) -> None:
        if paid:
            self.dismiss(True)

    @on(Button.Pressed, "#sub-cancel")
    def action_back(self) -> None:
        """Back to Financial; nothing was charged."""
        self.dismiss(False)


def _radios(radio_id: str, labels: tuple[str, ...], selected: int) -> RadioSet:
    return RadioSet(
        *(GlyphRadioButton(Content(label), value=i == selected) for i, label in enumerate(labels)),
        id=radio_id,
        compact=True,
    )


def _pressed(radios: RadioSet, values: tuple[str, str]) -> str:
    index = radios.pressed_index
    return values[index if 0 <= index < len(values) else 0]


def _credit(account: Account, currency: str) -> Money:
    if account.currency not in (None, currency):
        return Money.zero(currency)
    return Money.from_minor(account.credit_balance, currency)
