"""Subscribe, step 2: the server's preview, a card, and Pay behind a confirmation.

One Idempotency-Key per Pay intent: it is kept while the card and the amount
stay the same (so a double press or a retry after a dropped connection sends
the same payment once) and replaced when the admin changes either, or when the
server gave a definite answer (paid, declined, price changed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, OptionList, Static

from mktui.api.errors import ApiError, ErrorKind
from mktui.api.models import PreviewRequest, SubscribeRequest
from mktui.core import pricing
from mktui.core.i18n import N_, _
from mktui.core.words import count, plan_word
from mktui.tui.screens.base import ConsoleScreen
from mktui.tui.screens.dialogs import ConfirmModal
from mktui.tui.services.areas import AREAS
from mktui.tui.services.intent import Intent
from mktui.tui.services.new_card import (
    NOT_SAVED,
    attach_for_charge,
    forget_card,
    make_default_after_charge,
)
from mktui.tui.widgets.account_bar import AccountBar
from mktui.tui.widgets.card_form import CardForm
from mktui.tui.widgets.key_hints import KeyHints
from mktui.tui.widgets.method_options import NEW_CARD, MethodChoice, describe_method, fill_methods
from mktui.tui.widgets.money import format_money
from mktui.tui.widgets.preview_panel import PreviewPanel, differences, format_date
from mktui.tui.widgets.status_line import StatusLine
from mktui.tui.widgets.text import safe_text

if TYPE_CHECKING:
    from mktui.api import models
    from mktui.api.client import BillingClient
    from mktui.tui.services.subscription_choice import SubscriptionChoice

__all__ = ["NEW_CARD", "PaymentScreen", "describe_method"]


_CARD_FIELDS = frozenset({"holder_name", "number", "exp_month", "exp_year", "cvc"})
"""The fields of the new-card form a server refusal can point at."""

_DEFINITE = frozenset(
    {ErrorKind.PAYMENT_FAILED, ErrorKind.CONFLICT, ErrorKind.VALIDATION, ErrorKind.NOT_FOUND}
)
"""Answers after which nothing was charged for sure (unlike a lost answer or a 5xx)."""


_LIST_HINT = N_("↑↓ Enter: choose how to pay")
"""Shown over the list of saved cards, where the payment page starts."""


class PaymentScreen(MethodChoice, ConsoleScreen):
    """Pick a saved card or enter a new one; Pay charges the server's previewed total."""

    BINDINGS = [
        Binding(
            "escape",
            "back",
            N_("Back"),
            id="payment.back",
            tooltip=N_("Back to the subscription choice"),
        ),
        Binding(
            "ctrl+y",
            "pay",
            N_("Pay"),
            id="payment.pay",
            tooltip=N_("Pay the total shown, after a confirmation"),
        ),
        # The area keys do nothing on this page (it is a step, not an area): say so, not silence.
        *(
            Binding(key, f"area_key('{mode}')", title, id=f"payment.area.{mode}", show=False)
            for mode, (title, key, _target) in AREAS.items()
        ),
    ]

    def __init__(
        self,
        account: models.Account,
        choice: SubscriptionChoice,
        local: pricing.Preview,
        server: pricing.Preview,
    ) -> None:
        super().__init__()
        self.account = account
        self.choice = choice
        self.local = local
        self.server = server
        """The server's checked preview; its ``quote`` is sent back as ``expected_quote``."""
        self.methods: list[models.PaymentMethod] = []
        self._intent = Intent()
        self._attached: dict[str, bool] = {}
        """Cards typed in here and attached, not yet charged: id → made the default on success."""
        self._unknown: set[str] = set()
        """Those of them whose charge had an unknown outcome: never removed by this page."""

    def compose(self) -> ComposeResult:
        today = pricing.billing_today(self.account.now, self.account.billing_timezone)
        yield AccountBar(N_("Subscribe · Payment"), id="account-bar")
        with Horizontal(id="pay-columns"):
            # The form scrolls; the outcome line and Pay stay pinned under it, so a long
            # decline message never pushes Pay below the fold of a 24-line terminal.
            with Vertical(id="pay-left"):
                with VerticalScroll(id="pay-form"):
                    yield Static(_("Pay with"), classes="flow--title")
                    yield Static(Content(_(_LIST_HINT)), id="pay-hint")
                    yield OptionList(id="pay-methods", compact=True)
                    yield CardForm(today=today, make_default=True, id="pay-card")
                yield StatusLine(id="pay-status")
                with Horizontal(id="pay-buttons"):
                    yield Button(
                        compact=True, label=self._pay_label(), variant="success", id="pay-submit"
                    )
                    yield Button(compact=True, label=_("Back"), id="pay-back")
            with VerticalScroll(id="pay-preview"):
                yield PreviewPanel(_("The server's preview"), id="pay-preview-panel")
        yield KeyHints()

    def _pay_label(self) -> Content:
        return Content(_("Pay {amount}").format(amount=format_money(self.server.total)))

    def on_mount(self) -> None:
        self.query_one(AccountBar).show_account(self.account.name, self.account.status)
        self._show_preview()
        self.query_one("#pay-form").loading = True
        self.load_methods()

    def _show_preview(self) -> None:
        panel = self.query_one(PreviewPanel)
        panel.show(self.server)
        found = differences(self.local, self.server)
        if found:
            panel.set_note(
                _("Differs from the price computed here:") + " " + " ".join(found), differs=True
            )
        else:
            panel.set_note(_("Matches the price computed here, line by line."))
        self.query_one("#pay-submit", Button).label = self._pay_label()

    @work(exclusive=True, group="payment-methods", exit_on_error=False)
    async def load_methods(self, select: str | None = None, focus: str | None = None) -> None:
        """The saved cards, then a "new card" row; the default (or ``select``) is highlighted."""
        form = self.query_one("#pay-form")
        try:
            client = await self.console.session.ready_client()
            self.methods = list(await client.payment_methods())
        finally:
            form.loading = False
        options = self.query_one("#pay-methods", OptionList)
        fill_methods(options, self.methods, select)
        self._chosen_changed()
        # With no saved card the list holds only "A new card": start in its form.
        # Otherwise start on the list, with a line saying how to choose from it.
        self.query_one("#pay-hint").display = bool(self.methods)
        if focus is None:
            focus = "#pay-methods" if self.methods else "#card-holder"
        self.query_one(focus).focus()

    # ------------------------------------------------------------------ choosing
    @on(OptionList.OptionSelected, "#pay-methods")
    def _method_selected(self) -> None:
        if self.chosen == NEW_CARD:
            self.query_one("#card-holder").focus()
        else:
            self.query_one("#pay-submit", Button).focus()

    def _intent_key(self, fingerprint: tuple[object, ...]) -> str:
        """The Idempotency-Key of this Pay intent: the same until card or amount changes."""
        return self._intent.key(fingerprint)

    def _end_intent(self) -> None:
        self._intent.end()

    # ------------------------------------------------------------------ paying
    @on(Button.Pressed, "#pay-submit")
    def action_pay(self) -> None:
        """Check the card, then confirm and pay in a worker (ignored while one runs)."""
        if self.busy:
            return
        self.set_status("")
        if self.chosen == NEW_CARD:
            card = self.query_one(CardForm).collect()
            if card is None:
                return
            described = self.query_one(CardForm).describe()
            # A new card's intent is its brand, last 4, expiry and holder (never the number).
            intent = (described, card.exp_month, card.exp_year, card.holder_name)
            method_id = None
        else:
            card = None
            method = next(m for m in self.methods if m.id == self.chosen)
            described = describe_method(method)
            method_id = method.id
            intent = (method.id,)
        self.begin_money()
        self.query_one("#pay-submit", Button).disabled = True
        self.pay(card, method_id, described, intent)

    @work(exclusive=True, group="pay", exit_on_error=False)
    async def pay(
        self,
        card: models.NewPaymentMethod | None,
        method_id: str | None,
        described: str,
        intent: tuple[object, ...],
    ) -> None:
        """Confirm the amount and card, attach a new card if needed, then subscribe."""
        try:
            total = format_money(self.server.total)
            lines = [
                _("Charge {total} now to {card}.").format(total=total, card=described),
                _("Subscription: {devices}, {plan}, {currency}.").format(
                    devices=count(self.choice.devices, "device"),
                    plan=plan_word(self.choice.plan),
                    currency=self.choice.currency,
                ),
                _("Next renewal: {amount} on {date}.").format(
                    amount=format_money(self.server.next_renewal_amount),
                    date=format_date(self.server.next_renewal_date),
                ),
            ]
            if self.server.credit_granted.minor:
                lines.append(
                    _("Credit granted: {amount}, drawn by every invoice before the card.").format(
                        amount=format_money(self.server.credit_granted)
                    )
                )
            lines += [
                "",
                _("Press y or choose Pay to charge the card; Escape cancels."),
            ]
            confirmed = await self.app.push_screen_wait(
                ConfirmModal(
                    _("Confirm payment"),
                    lines,
                    confirm_label=_("Pay {amount}").format(amount=total),
                )
            )
            if not confirmed:
                return
            await self._charge(card, method_id, described, intent)
        finally:
            self.end_money()
            if self.is_attached:  # after a successful payment the screen is already gone
                self.query_one("#pay-submit", Button).disabled = False

    async def _charge(
        self,
        card: models.NewPaymentMethod | None,
        method_id: str | None,
        described: str,
        intent: tuple[object, ...],
    ) -> None:
        client = await self.console.session.ready_client()
        key = self._intent_key((*intent, self.server.total.minor, self.server.quote))
        try:
            if card is not None:
                wants_default = card.make_default
                try:
                    added = await attach_for_charge(client, card, idempotency_key=f"{key}-card")
                finally:
                    card = None
                    self.query_one(CardForm).clear_secrets()
                method_id = added.id
                self._attached[method_id] = wants_default
            assert method_id is not None
            result = await client.subscribe(
                SubscribeRequest(
                    currency=self.choice.currency,
                    plan=self.choice.plan,
                    devices=self.choice.devices,
                    tax_id=self.choice.tax_id,
                    payment_method_id=method_id,
                    expected_total=self.server.total.minor,
                    expected_quote=self.server.quote,
                ),
                idempotency_key=key,
            )
        except ApiError as error:
            if error.kind is ErrorKind.PRICE_CHANGED:
                self._end_intent()
                await self._refetch_preview()
                if method_id in self._attached:
                    # The card is fine and saved: Pay again uses it, without retyping.
                    self.load_methods(select=method_id)
                return
            if error.kind not in _DEFINITE:
                # Unknown outcome (a lost answer, a 5xx): the key is kept, so Pay again sends
                # the same request; a card attached for it stays for good (it may have paid).
                if method_id in self._attached:
                    self._unknown.add(method_id)
                raise
            # A definite refusal: nothing was charged now, so the next Pay is a new intent,
            # and a card attached for this charge goes again.
            self._end_intent()
            forgotten = await self._forget(client, method_id)
            if error.kind is ErrorKind.PAYMENT_FAILED:
                sentences = [
                    _("{card} was declined: {why}").format(
                        card=described, why=safe_text(error.message)
                    ),
                    _("Nothing was charged."),
                    forgotten,
                    _("Choose another card or enter a new one."),
                ]
                self.set_status(" ".join(filter(None, sentences)))
                self.load_methods(select=NEW_CARD, focus="#card-number")
                return
            if (
                error.kind is ErrorKind.VALIDATION
                and error.field in _CARD_FIELDS
                and self.chosen == NEW_CARD
            ):
                marked = self.query_one(CardForm).mark(error.field, safe_text(error.message))
                self.load_methods(select=NEW_CARD, focus=marked)
                return
            if forgotten:
                self.set_status(forgotten)
            raise
        self._end_intent()
        if self._attached.pop(method_id, False):
            warning = await make_default_after_charge(client, method_id)
            if warning:
                self.notify(warning, severity="warning", markup=False)
        self._unknown.discard(method_id)
        for other in list(self._attached):  # typed in earlier here, and paid nothing
            await self._forget(client, other)
        devices = result.subscription.devices
        self.notify(
            _("Subscription active: {devices}, paid {amount} with {card}.").format(
                devices=count(devices, "device"),
                amount=format_money(self.server.total),
                card=described,
            ),
            title=_("Paid"),
            markup=False,
        )
        await self._close(True)

    async def _forget(self, client: BillingClient, method_id: str | None) -> str:
        """Remove a card attached here that paid nothing; what became of it ("" if not ours).

        A card whose charge once had an unknown outcome is kept: it may be the one that paid.
        """
        if method_id is None or method_id not in self._attached or method_id in self._unknown:
            return ""
        del self._attached[method_id]
        return await forget_card(client, method_id)

    async def _close(self, result: bool) -> None:
        """Leave the page, closing first what opened over it meanwhile (dismiss pops the top)."""
        while self.app.screen is not self and self in self.app.screen_stack:
            await self.app.pop_screen()
        self.dismiss(result)

    async def _refetch_preview(self) -> None:
        client = await self.console.session.ready_client()
        self.server = await client.priced_preview(
            PreviewRequest(
                currency=self.choice.currency,
                plan=self.choice.plan,
                devices=self.choice.devices,
                tax_id=self.choice.tax_id,
            )
        )
        self._show_preview()
        self.set_status(
            _(
                "The price changed before the charge: it is now {amount}. "
                "Nothing was charged. Review the new preview and press Pay again."
            ).format(amount=format_money(self.server.total))
        )

    def set_status(self, text: str, *, ok: bool = False) -> None:
        """The line above the buttons: a decline, a price change (literal text)."""
        self.query_one("#pay-status", StatusLine).say(text, ok=ok)

    def action_area_key(self, mode: str) -> None:
        """An area key pressed here: the page stays; a sentence says how to get there."""
        title, key, _target = AREAS[mode]
        first = (
            _("wait for the payment's answer (shown here)")
            if self.busy
            else _("pay, or press Escape to go back")
        )
        self.notify(
            _(
                "This is the payment step of Subscribe: {first}, before opening {area} ({key})."
            ).format(first=first, area=_(title), key=key),
            title=_("Not from here"),
            severity="warning",
            markup=False,
        )

    @on(Button.Pressed, "#pay-back")
    def action_back(self) -> None:
        """Back to the subscription choice (which keeps what was typed)."""
        if not self.busy:
            self._leave()

    @work(exclusive=True, group="pay", exit_on_error=False)
    async def _leave(self) -> None:
        """Remove the cards attached here that paid nothing, then go back.

        Not a card whose charge had an unknown outcome (its answer was lost): it
        may be the one the subscription was just paid with.
        """
        if set(self._attached) - self._unknown:
            # No second Back or Pay while the cards go (quitting asks first, too).
            self.begin_money(N_("removing the cards typed in here"))
            try:
                client = await self.console.session.ready_client()
                for method_id in list(self._attached):
                    sentence = await self._forget(client, method_id)
                    if sentence not in ("", _(NOT_SAVED)):
                        self.notify(sentence, severity="warning", markup=False)
            finally:
                self.end_money()
        await self._close(False)
