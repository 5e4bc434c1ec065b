"""The Subscription area's money steps: the server's preview, the PATCH, and what each ended in.

:class:`DeviceChanges` is owned by the Subscription screen and keeps its
confirm intent (one Idempotency-Key per confirmation: a second press after a
lost answer sends the same key). It talks to the server and words the
outcome; the screen shows it, asks the confirmation and keeps the admin's input.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mktui.api.models import ChangeDevicesRequest, PreviewRequest
from mktui.core.i18n import _, ngettext
from mktui.core.money import Money
from mktui.core.words import count
from mktui.tui.services.quoted_change import ChangeOutcome, QuotedChanges, invoice_sentence
from mktui.tui.widgets.money import format_money
from mktui.tui.widgets.preview_panel import format_date

if TYPE_CHECKING:
    from mktui.api.client import BillingClient
    from mktui.core import pricing
    from mktui.tui.services.subscription_change import SubscriptionData

__all__ = [
    "GROWTH_LIMIT",
    "ChangeOutcome",
    "DeviceChanges",
    "overdue_before_adding",
    "retype_sentence",
]

GROWTH_LIMIT = 10
"""A change that multiplies the recurring amount by more than this asks for the number again.

One extra zero typed (12 → 120) is the likeliest costly slip at a keyboard; typing
the number a second time catches it before anything is charged.
"""


def overdue_before_adding(data: SubscriptionData, devices: int) -> str | None:
    """The sentence for the confirmation when devices are added while invoices are overdue.

    None when nothing is overdue or the change is not an increase (a decrease charges nothing).
    """
    sub = data.subscription
    overdue = data.account.overdue
    if sub is None or devices <= sub.devices or overdue is None or overdue.count == 0:
        return None
    total = format_money(Money.from_minor(overdue.total, sub.currency))
    return ngettext(
        "{n} invoice is overdue ({total}): the account stays past due until it is paid, "
        "whatever this change. Press o to pay it first.",
        "{n} invoices are overdue ({total}): the account stays past due until they are paid, "
        "whatever this change. Press o to pay them first.",
        overdue.count,
    ).format(n=overdue.count, total=total)


def retype_sentence(data: SubscriptionData, devices: int) -> str | None:
    """Why the new number must be typed again (more than :data:`GROWTH_LIMIT` times the amount).

    None for a change that does not multiply the recurring amount by more than the limit.
    """
    sub = data.subscription
    if sub is None or devices <= GROWTH_LIMIT * sub.devices:
        return None
    unit = data.prices.get((sub.currency, sub.plan))
    if unit is None:  # no price for the plan: say it in devices only
        return _("{before} → {after} devices is more than {limit} times as many.").format(
            before=sub.devices, after=devices, limit=GROWTH_LIMIT
        )
    before, after = format_money(unit * sub.devices), format_money(unit * devices)
    if sub.plan == "annual":
        sentence = _(
            "The yearly amount goes from {before} to {after}, more than {limit} times as much."
        )
    else:
        sentence = _(
            "The monthly amount goes from {before} to {after}, more than {limit} times as much."
        )
    return sentence.format(before=before, after=after, limit=GROWTH_LIMIT)


class DeviceChanges(QuotedChanges):
    """Change the number of devices, or keep it (cancel a scheduled decrease)."""

    async def server_preview(self, client: BillingClient, devices: int) -> pricing.Preview:
        """The server's own price of going to ``devices`` (raises ``ApiError`` as sent)."""
        return await self.quoted_preview(client, PreviewRequest(devices=devices))

    async def change(
        self, client: BillingClient, data: SubscriptionData, devices: int, server: pricing.Preview
    ) -> ChangeOutcome:
        """Send the change confirmed at ``server``'s total; a decline or a new price changes nothing.

        Other failures (a lost answer, a session that ended) are raised with the
        intent kept, so confirming again sends the same request.
        """
        assert data.subscription is not None
        current = data.subscription.devices

        async def send(total: int, quote: str | None, key: str):
            request = ChangeDevicesRequest(
                devices=devices, expected_total=total, expected_quote=quote
            )
            return await client.change_devices(request, idempotency_key=key)

        result = await self.send(
            ("devices", devices),
            server,
            send,
            card=data.card,
            unchanged=_("Nothing changed: you still have {devices}.").format(
                devices=count(current, "device")
            ),
            again=lambda: self.server_preview(client, devices),
        )
        if isinstance(result, ChangeOutcome):
            return result
        if devices > current:
            now = count(result.subscription.devices, "device")
            done = (
                _("You now have {devices}; paid {amount} with {card}.").format(
                    devices=now, amount=format_money(server.total), card=data.card
                )
                if server.total.minor
                else _("You now have {devices}.").format(devices=now)
            )
        else:
            done = _("From {date} you will have {devices}; nothing was charged.").format(
                date=format_date(server.effective), devices=count(devices, "device")
            )
        if result.invoice is not None:
            done += " " + invoice_sentence(result.invoice.number)
        return ChangeOutcome(True, done)

    async def keep(self, client: BillingClient, data: SubscriptionData) -> str:
        """Cancel the scheduled decrease (back to the current number; nothing is charged)."""
        assert data.subscription is not None
        current = data.subscription.devices
        key = self.intent.key(("keep", current, data.scheduled))
        await client.change_devices(
            ChangeDevicesRequest(devices=current, expected_total=0), idempotency_key=key
        )
        self.intent.end()
        return _("The decrease is cancelled: you keep {devices}. Nothing was charged.").format(
            devices=count(current, "device")
        )
