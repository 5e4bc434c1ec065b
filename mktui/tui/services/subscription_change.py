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
        return None, "Type the new total number of devices." if complete else ""
    if not (raw.isascii() and raw.isdigit()):  # "1e9" or "1_000" is refused, never read as 19
        return None, f'Type a whole number of devices, like 12; "{raw}" is not one.'
    devices = int(raw)
    in_use = data.account.devices_in_use
    if devices < 1:
        return None, "Keep at least 1 device."
    if devices > pricing.MAX_DEVICES:
        return None, f"At most {pricing.MAX_DEVICES:,} devices per subscription.".replace(",", " ")
    if devices < in_use:
        return None, (
            f"{count(in_use, 'device')} {'is' if in_use == 1 else 'are'} in use; "
            "remove some from MKController before going below that."
        )
    if devices == sub.devices:
        if data.scheduled is not None:
            return None, (
                f"You have {count(devices, 'device')} now. To keep them, press x to cancel the "
                f"decrease to {data.scheduled} scheduled for {format_date(data.next_first)}."
            )
        return (
            None,
            f"The subscription already has {count(devices, 'device')}; type another number.",
        )
    if devices == data.scheduled:
        return None, (
            f"A decrease to {count(devices, 'device')} is already scheduled for "
            f"{format_date(data.next_first)}."
        )
    return devices, ""


def change_confirmation(
    data: SubscriptionData, devices: int, server: pricing.Preview, differences: list[str]
) -> tuple[str, list[str], str]:
    """``(title, lines, confirm label)`` stating exactly what the change charges and changes."""
    sub = data.subscription
    assert sub is not None
    renewal = (
        f"Next renewal: {format_money(server.next_renewal_amount)} on "
        f"{format_date(server.next_renewal_date)}."
    )
    if devices < sub.devices:
        lines = [
            f"Nothing is charged now; from {format_date(server.effective)} you will have "
            f"{count(devices, 'device')}.",
            f"Until then you keep {count(sub.devices, 'device')}. {renewal}",
        ]
        title, label = "Confirm fewer devices", f"Schedule {count(devices, 'device')}"
    else:
        total = format_money(server.total)
        if server.total.minor:
            charge = f"Charge {total} now to {data.card}."
        else:
            charge = "Nothing is charged to a card: the credit balance pays it."
        credit = (
            f"; {format_money(server.credit_applied)} of credit applied"
            if server.credit_applied.minor
            else ""
        )
        lines = [charge, f"Devices: {sub.devices} → {devices} from today{credit}.", renewal]
        title = "Confirm more devices"
        label = (
            f"Pay {total}"
            if server.total.minor
            else f"Add {count(devices - sub.devices, 'device')}"
        )
    if differences:
        lines += ["", "The server's figures are the ones used:", *differences]
    lines += ["", "Press y to confirm; Escape cancels and changes nothing."]
    return title, lines, label


def cancel_confirmation(data: SubscriptionData) -> list[str]:
    """The sentence behind "cancel the scheduled decrease" (no preview exists for it)."""
    sub = data.subscription
    assert sub is not None and data.scheduled is not None
    return [
        f"Keep {count(sub.devices, 'device')}: the decrease to {data.scheduled} scheduled for "
        f"{format_date(data.next_first)} is cancelled.",
        f"Nothing is charged now; the next renewal bills {count(sub.devices, 'device')} as it does today.",
        "",
        "Press y to confirm; Escape keeps the decrease.",
    ]
