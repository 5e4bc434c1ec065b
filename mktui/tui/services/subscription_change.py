"""Changing the number of devices: what the Subscription area loads, checks and says.

The screen (:mod:`mktui.tui.screens.subscription`) stays about widgets; the
figures it needs, the check of the typed number and the confirmation
sentences live here, so each reads on its own.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from mktui.core import pricing
from mktui.core.card_brands import card_label
from mktui.core.i18n import _, ngettext
from mktui.core.money import Money
from mktui.core.words import count
from mktui.tui.services import server_clock
from mktui.tui.services.financial_data import price_table
from mktui.tui.widgets.money import format_money
from mktui.tui.widgets.preview_panel import format_date

if TYPE_CHECKING:
    from mktui.api.client import BillingClient
    from mktui.api.models import Account, PaymentMethod, Subscription


@dataclass(frozen=True)
class SubscriptionData:
    """The account, its subscription, the server's prices and the card charged for an increase."""

    account: Account
    subscription: Subscription | None
    prices: pricing.PriceTable
    default_method: PaymentMethod | None

    taken: float = field(default_factory=server_clock.monotonic)
    """When ``account.now`` was read, on the monotonic clock (see services.server_clock)."""

    @property
    def today(self) -> date:
        """The server's today in the account's billing time zone (every preview uses it)."""
        from mktui.core import pricing

        return pricing.billing_today(
            server_clock.server_now(self.account.now, self.taken), self.account.billing_timezone
        )
        return pricing.billing_today(self.account.now, self.account.billing_timezone)

    @property
    def scheduled(self) -> int | None:
        """The number of devices waiting for the next 1st, when a decrease is scheduled."""
        sub = self.subscription
        if sub is None or sub.scheduled_devices in (None, sub.devices):
            return None
        return sub.scheduled_devices

    @property
    def next_first(self) -> date:
        """When a decrease takes effect."""
        return pricing.next_first(self.today)

    @property
    def card(self) -> str | None:
        """``Visa •••• 4242``: the default card, charged for an increase; or None."""
        return card_label(self.default_method) if self.default_method else None

    def local_preview(self, devices: int) -> pricing.Preview:
        """The change to ``devices`` priced here (raises :class:`pricing.PricingError`)."""
        sub = self.subscription
        assert sub is not None
        from mktui.core import pricing_lifecycle

        preview = pricing.preview_change(
            currency=sub.currency,
            current_devices=sub.devices,
            new_devices=devices,
            today=self.today,
            prices=self.prices,
            credit_available=Money.from_minor(self.account.credit_balance, sub.currency),
        )
        # On an annual plan's anniversary the next renewal is a new annual purchase.
        renews_on = sub.annual_renewal_date if sub.scheduled_plan in (None, "annual") else None
        return pricing_lifecycle.with_yearly_renewal(
            preview, renews_on=renews_on, devices=devices, prices=self.prices
        )


async def load_subscription(client: BillingClient) -> SubscriptionData:
    """Fetch the account, subscription, prices and cards concurrently."""
    account, subscription, prices, methods = await asyncio.gather(
        client.account(), client.subscription(), client.prices(), client.payment_methods()
    )
    return SubscriptionData(
        account=account,
        subscription=subscription,
        prices=price_table(prices),
        default_method=next((m for m in methods if m.is_default), None),
    )


def check_devices(raw: str, data: SubscriptionData, *, complete: bool) -> tuple[int | None, str]:
    """The typed new total as a number, or ``(None, sentence)`` saying what to fix.

    While typing (``complete=False``) an empty field is not an error yet.
    """
    sub = data.subscription
    assert sub is not None
    raw = raw.strip()
    if not raw:
        return None, _("Type the new total number of devices.") if complete else ""
    if not (raw.isascii() and raw.isdigit()):  # "1e9" or "1_000" is refused, never read as 19
        return None, _('Type a whole number of devices, like 12; "{typed}" is not one.').format(
            typed=raw
        )
    devices = int(raw)
    in_use = data.account.devices_in_use
    if devices < 1:
        return None, _("Keep at least 1 device.")
    if devices > pricing.MAX_DEVICES:
        return None, _("At most {n} devices per subscription.").format(
            n=f"{pricing.MAX_DEVICES:,}".replace(",", " ")
        )
    if devices < in_use:
        return None, ngettext(
            "{n} device is in use; remove some from MKController before going below that.",
            "{n} devices are in use; remove some from MKController before going below that.",
            in_use,
        ).format(n=in_use)
    if devices == sub.devices:
        if data.scheduled is not None:
            return None, _(
                "You have {devices} now. To keep them, press x to cancel the "
                "decrease to {scheduled} scheduled for {date}."
            ).format(
                devices=count(devices, "device"),
                scheduled=data.scheduled,
                date=format_date(data.next_first),
            )
        return (
            None,
            _("The subscription already has {devices}; type another number.").format(
                devices=count(devices, "device")
            ),
        )
    if devices == data.scheduled:
        return None, _("A decrease to {devices} is already scheduled for {date}.").format(
            devices=count(devices, "device"), date=format_date(data.next_first)
        )
    return devices, ""


def change_confirmation(
    data: SubscriptionData, devices: int, server: pricing.Preview, differences: list[str]
) -> tuple[str, list[str], str]:
    """``(title, lines, confirm label)`` stating exactly what the change charges and changes."""
    sub = data.subscription
    assert sub is not None
    renewal = _("Next renewal: {amount} on {date}.").format(
        amount=format_money(server.next_renewal_amount),
        date=format_date(server.next_renewal_date),
    )
    if devices < sub.devices:
        lines = [
            _("Nothing is charged now; from {date} you will have {devices}.").format(
                date=format_date(server.effective), devices=count(devices, "device")
            ),
            _("Until then you keep {devices}.").format(devices=count(sub.devices, "device"))
            + " "
            + renewal,
        ]
        title = _("Confirm fewer devices")
        label = _("Schedule {devices}").format(devices=count(devices, "device"))
    else:
        total = format_money(server.total)
        if server.total.minor:
            charge = _("Charge {total} now to {card}.").format(total=total, card=data.card)
        else:
            charge = _("Nothing is charged to a card: the credit balance pays it.")
        if server.credit_applied.minor:
            change = _(
                "Devices: {before} → {after} from today; {credit} of credit applied."
            ).format(before=sub.devices, after=devices, credit=format_money(server.credit_applied))
        else:
            change = _("Devices: {before} → {after} from today.").format(
                before=sub.devices, after=devices
            )
        lines = [charge, change, renewal]
        title = _("Confirm more devices")
        label = (
            _("Pay {amount}").format(amount=total)
            if server.total.minor
            else _("Add {devices}").format(devices=count(devices - sub.devices, "device"))
        )
    if differences:
        lines += ["", _("The server's figures are the ones used:"), *differences]
    lines += ["", _("Press y to confirm; Escape cancels and changes nothing.")]
    return title, lines, label


def cancel_confirmation(data: SubscriptionData) -> list[str]:
    """The sentence behind "cancel the scheduled decrease" (no preview exists for it)."""
    sub = data.subscription
    assert sub is not None and data.scheduled is not None
    devices = count(sub.devices, "device")
    return [
        _("Keep {devices}: the decrease to {scheduled} scheduled for {date} is cancelled.").format(
            devices=devices, scheduled=data.scheduled, date=format_date(data.next_first)
        ),
        _("Nothing is charged now; the next renewal bills {devices} as it does today.").format(
            devices=devices
        ),
        "",
        _("Press y to confirm; Escape keeps the decrease."),
    ]
