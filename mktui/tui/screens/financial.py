"""The Financial hub: the account at a glance, and a key to everything else."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.widgets import Label, Static
from textual.worker import Worker

from mktui.core.card_brands import card_label
from mktui.core.i18n import N_, _, ngettext, pgettext
from mktui.core.words import plan_name
from mktui.tui.screens.area import AreaScreen
from mktui.tui.services.financial_data import FinancialData, load_financial
from mktui.tui.widgets.account_bar import AccountBar
from mktui.tui.widgets.money import MoneyDisplay, format_minor, format_money, money
from mktui.tui.widgets.preview_panel import format_date
from mktui.tui.widgets.status_badge import StatusBadge
from mktui.tui.widgets.text import literal

if TYPE_CHECKING:
    from mktui.api.models import Account

_LOADING = N_("Loading the account…")


def _rows() -> tuple[tuple[str, str], ...]:
    """The hub's rows: (key, label in the language in use)."""
    return (
        ("plan", _("Plan")),
        ("devices", _("Devices")),
        ("next-due", _("Next due")),
        ("credit", _("Credit balance")),
        ("runway", _("Credit runway")),
        ("card", _("Default card")),
        ("billing", _("Billed to")),
        # "Open" as in unpaid, not the verb of the key that opens an invoice.
        ("open", pgettext("invoices", "Open")),
        ("overdue", _("Overdue")),
    )


class FinancialScreen(AreaScreen):
    """Account name and status, plan, devices, next due date and amount, credit, card, totals."""

    MODE = "financial"
    TITLE_TEXT = N_("Financial")
    BINDINGS = [
        Binding(
            "s",
            "subscribe",
            N_("Subscribe"),
            id="financial.subscribe",
            tooltip=N_("Activate the subscription: currency, devices, plan, then pay"),
        ),
        Binding(
            "b",
            "billing_details",
            N_("Billing details"),
            id="financial.billing-details",
            tooltip=N_("The legal name, CPF/CNPJ and address invoices are issued to"),
        ),
    ]

    data: FinancialData | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical(id="fin-body"):
            yield Static("", id="fin-banner")
            with Grid(id="fin-heading"):
                yield Static("", id="fin-name")
                yield StatusBadge(id="fin-status")
            with Grid(id="fin-grid"):
                for key, label in _rows():
                    # The runway rows show only while there is credit to run out.
                    extra = " -runway" if key == "runway" else ""
                    yield Label(label, classes="fin--label" + extra)
                    if key == "credit":
                        yield MoneyDisplay(id="fin-credit", classes="fin--value")
                    else:
                        yield Static("—", id=f"fin-{key}", classes="fin--value" + extra)
            yield Static(_(_LOADING), id="fin-next-step")

    def on_mount(self) -> None:
        # Paint the frame first: the client (and the sandbox) would compete with it for the GIL.
        self.call_after_refresh(self.load)

    def action_refresh(self) -> None:
        """Load the account again."""
        self.load()

    @work(exclusive=True, group="financial-load", exit_on_error=False)
    async def load(self) -> None:
        """Sign in if needed (the sandbox starts here, off the first frame), then fetch the hub."""
        # A line of text, not Textual's animated loading overlay: the overlay repaints the
        # screen many times a second while the client and the data load, on the start-up path.
        self._say(_(_LOADING))
        client = await self.console.session.ready_client()
        data = await load_financial(client)
        # Babel loads its locale data on first use: do that off the UI thread.
        await asyncio.to_thread(format_minor, 0, data.account.currency or "USD")
        self.console.session.account = data.account
        self.show(data)

    def worker_failed(self, worker: Worker) -> None:
        """The figures could not be loaded (the error itself is shown by the app)."""
        self._say(
            _("The account could not be loaded. Press r to try again.")
            if self.data is None
            else _("These figures may be out of date: the refresh failed. Press r to try again.")
        )

    def _say(self, text: str) -> None:
        self.query_one("#fin-next-step", Static).update(Content(text))

    def show(self, data: FinancialData) -> None:
        """Fill the hub from ``data``."""
        could = self._keys_allowed()
        self.data = data
        account = data.account
        self.query_one(AccountBar).show_account(account.name, account.status)
        self.query_one("#fin-name", Static).update(literal(account.name, limit=120))
        self.query_one("#fin-status", StatusBadge).set_status(account.status)
        currency = account.currency or (data.subscription.currency if data.subscription else None)

        def cash(amount: int) -> str:
            return format_minor(amount, currency) if currency else "—"

        def put(key: str, text: str, *, warn: bool = False) -> None:
            widget = self.query_one(f"#fin-{key}", Static)
            widget.update(Content(text))
            widget.set_class(warn, "-warn")

        sub = data.subscription
        banner = self.query_one("#fin-banner", Static)
        banner.display = sub is not None and sub.cancel_at is not None
        if sub is not None and sub.cancel_at is not None:
            banner.update(
                Content(
                    _("Cancels on {date} — r on Subscription (u) resumes").format(
                        date=format_date(sub.cancel_at)
                    )
                )
            )
        if sub is None:
            put("plan", _("No subscription yet"))
            put("devices", _("{n} in use · no quota").format(n=account.devices_in_use))
            put("next-due", "—")
        else:
            put("plan", f"{plan_name(sub.plan)} · {sub.currency}")
            devices = _("{n} in use of {quota}").format(
                n=account.devices_in_use, quota=account.device_quota
            )
            if sub.scheduled_devices is not None and sub.scheduled_devices != sub.devices:
                devices += " · " + _("{n} from the next 1st").format(n=sub.scheduled_devices)
            put("devices", devices, warn=account.devices_in_use > account.device_quota)
            if sub.cancel_at is not None:
                put(
                    "next-due",
                    _("none: the subscription ends on {date}").format(
                        date=format_date(sub.cancel_at)
                    ),
                )
            elif data.renewal is not None:
                renewal = data.renewal
                from_credit = (
                    " " + _("(paid from credit)")
                    if renewal.total.is_zero and renewal.credit_applied.minor
                    else ""
                )
                put(
                    "next-due",
                    f"{format_date(renewal.period_start)} · {format_money(renewal.total)}{from_credit}",
                )
        for widget in self.query(".-runway"):
            widget.display = data.runway is not None
        if data.runway is not None:
            put("runway", data.runway)
        credit = self.query_one("#fin-credit", MoneyDisplay)
        credit.show(money(account.credit_balance, currency) if currency else None)
        method = data.default_method
        if method is not None:
            put(
                "card",
                _("{card}  exp {month:02d}/{year:02d}").format(
                    card=card_label(method), month=method.exp_month, year=method.exp_year % 100
                ),
            )
        elif _renews(data):
            # A subscription that renews with no card to charge: say so where the card shows.
            covered = data.renewal is not None and data.renewal.total.is_zero
            put(
                "card",
                _("None · needed when the credit ends · m")
                if covered
                else _("None · renewals will fail · m"),
                warn=True,
            )
        else:
            put("card", _("None saved"))
        # Imported here, like the form: the tax id rules are not needed for the first frame.
        from mktui.tui.screens.billing_details import billing_summary

        put("billing", billing_summary(account))
        put("open", _unpaid(cash(data.open_total), data.open_count))
        put(
            "overdue",
            _unpaid(cash(data.overdue_total), data.overdue_count),
            warn=data.overdue_count > 0,
        )
        self._say(_next_step(data))
        if self._keys_allowed() != could:
            # Only then: the footer rebuilds all its keys on every refresh of the bindings.
            self.refresh_bindings()

    def _keys_allowed(self) -> tuple[bool | None, ...]:
        """Which of the hub's own keys are offered now (the footer is rebuilt when it changes)."""
        return tuple(self.check_action(a, ()) for a in ("subscribe", "billing_details"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "subscribe":
            return self.data is not None and self.data.account.status == "inactive"
        if action == "billing_details":
            return self.data is not None
        return True

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        """Refresh, and Subscribe while the account is inactive."""
        commands = super().palette_commands()
        if self.check_action("billing_details", ()):
            commands.append(
                (
                    _("financial: Billing details"),
                    _("View and edit the legal name, CPF/CNPJ and address (b)"),
                    self.action_billing_details,
                )
            )
        if self.check_action("subscribe", ()):
            commands.append(
                (
                    _("subscription: Subscribe"),
                    _("Activate the subscription (s)"),
                    self.action_subscribe,
                )
            )
        return commands

    def action_subscribe(self) -> None:
        """Open the Subscribe flow (inactive accounts only)."""
        if self.data is None or self.data.account.status != "inactive":
            return
        # Imported here: Subscribe brings the payment page and the API models (pydantic,
        # ~380 ms): never in the first frame (tests/tui/test_first_frame_imports.py).
        from mktui.tui.screens.subscribe import SubscribeScreen

        self.app.push_screen(
            SubscribeScreen(self.data.account, self.data.taken), callback=self._after_subscribe
        )

    def action_billing_details(self) -> None:
        """Open the billing details form (legal name, CPF/CNPJ, address)."""
        if self.data is None:
            return
        # Imported here: the form brings the tax id and address rules, after the first frame.
        from mktui.tui.screens.billing_details import BillingDetailsModal

        self.app.push_screen(BillingDetailsModal(self.data.account), callback=self._after_details)

    def _after_details(self, account: Account | None) -> None:
        if account is not None:
            self.notify(
                _("Billing details saved: the next invoices and receipts use them."),
                title=_("Billing details"),
                markup=False,
            )
            self.load()

    def _after_subscribe(self, subscribed: bool | None) -> None:
        if subscribed:
            self.load()


def _unpaid(total: str, n: int) -> str:
    if n == 0:
        return pgettext("invoices", "none")
    return f"{total} · " + ngettext("{n} invoice", "{n} invoices", n).format(n=n)


def _next_step(data: FinancialData) -> str:
    status = data.account.status
    if status == "inactive":
        return _(
            "Not subscribed yet. Press s to subscribe: choose devices and plan, see the price, pay."
        )
    if data.overdue_count:
        return _(
            "An invoice is overdue: press i to see it. Paying it makes the account active again."
        )
    if status == "suspended":
        return _("The account is suspended. Pay the overdue invoices to restore it.")
    if data.default_method is None and _renews(data):
        return _(
            "No card is saved to pay the renewals on each 1st: press m and add one "
            "(it becomes the default)."
        )
    return _("All paid. Press i for invoices and receipts, m for payment methods.")


def _renews(data: FinancialData) -> bool:
    """Whether the subscription renews on the next 1st (so a card will be charged)."""
    sub = data.subscription
    return sub is not None and sub.cancel_at is None and data.account.status != "inactive"
