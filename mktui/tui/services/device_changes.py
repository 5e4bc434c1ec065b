"""The Subscription area's money steps: the server's preview, the PATCH, and what each ended in.

:class:`DeviceChanges` is owned by the Subscription screen and keeps its
confirm intent (one Idempotency-Key per confirmation: a second press after a
lost answer sends the same key). It talks to the server and words the
outcome; the screen shows it, asks the confirmation and keeps the admin's input.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from mktui.api.errors import ApiError, ErrorKind
from mktui.api.models import ChangeDevicesRequest, PreviewRequest
from mktui.core.words import count
from mktui.tui.services.intent import Intent
from mktui.tui.widgets.money import format_money
from mktui.tui.widgets.preview_panel import format_date
from mktui.tui.widgets.text import safe_text

if TYPE_CHECKING:
    from mktui.api.client import BillingClient
    from mktui.core import pricing
    from mktui.tui.services.subscription_change import SubscriptionData


@dataclass(frozen=True)
class ChangeOutcome:
    """What a change ended in: made (``changed``) or refused, in a sentence for the admin."""

    changed: bool
    sentence: str
    fresh: pricing.Preview | None = None
    """The server's new preview, when the price changed before the change was made."""


class DeviceChanges:
    """Change the number of devices, or keep it (cancel a scheduled decrease)."""

    def __init__(self, intent: Intent | None = None) -> None:
        self.intent = intent if intent is not None else Intent()

    async def server_preview(self, client: BillingClient, devices: int) -> pricing.Preview:
        """The server's own price of going to ``devices``, checked that it adds up.

        Raises ``ApiError`` as sent, or UNEXPECTED for a preview that does not add up.
        Its ``quote`` locks everything it showed (not only its total): change()
        sends it back as expected_quote.
        """
        return await client.priced_preview(PreviewRequest(devices=devices))

    async def with_default_card(
        self, client: BillingClient, data: SubscriptionData
    ) -> SubscriptionData:
        """``data`` with the default card as the server knows it now.

        A charge's confirmation must name the card the server will charge, even
        if the default was changed elsewhere since the area loaded.
        """
        methods = await client.payment_methods()
        return replace(data, default_method=next((m for m in methods if m.is_default), None))

    async def change(
        self, client: BillingClient, data: SubscriptionData, devices: int, server: pricing.Preview
    ) -> ChangeOutcome:
        """Send the change confirmed at ``server``'s total; a decline or a new price changes nothing.

        Other failures (a lost answer, a session that ended) are raised with the
        intent kept, so confirming again sends the same request.
        """
        assert data.subscription is not None
        current = data.subscription.devices
        quote = server.quote
        key = self.intent.key(("devices", devices, server.total.minor, quote))
        try:
            result = await client.change_devices(
                ChangeDevicesRequest(
                    devices=devices, expected_total=server.total.minor, expected_quote=quote
                ),
                idempotency_key=key,
            )
        except ApiError as error:
            if error.kind is ErrorKind.PAYMENT_FAILED:
                self.intent.end()
                return ChangeOutcome(
                    False,
                    f"{data.card} was declined: {safe_text(error.message)} "
                    f"Nothing changed: you still have {count(current, 'device')}.",
                )
            if error.kind is ErrorKind.PRICE_CHANGED:
                self.intent.end()
                fresh = await self.server_preview(client, devices)
                return ChangeOutcome(
                    False,
                    f"The price changed before the change was made: it is now "
                    f"{format_money(fresh.total)}. Nothing was charged. Review the new "
                    "preview and press Enter to confirm again.",
                    fresh,
                )
            raise
        self.intent.end()
        if devices > current:
            done = f"You now have {count(result.subscription.devices, 'device')}"
            done += (
                f"; paid {format_money(server.total)} with {data.card}."
                if server.total.minor
                else "."
            )
        else:
            done = (
                f"From {format_date(server.effective)} you will have {count(devices, 'device')}; "
                "nothing was charged."
            )
        if result.invoice is not None:
            done += f" Invoice {safe_text(result.invoice.number, limit=40)}."
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
        return (
            f"The decrease is cancelled: you keep {count(current, 'device')}. Nothing was charged."
        )
