"""A change of the subscription that moves money behind a quote: the shared money steps.

A change of devices and a switch of plan go the same way (api.md, Additions,
"The quote"): the server's preview is fetched and its ``quote`` remembered;
the confirmed change is sent back with ``expected_total`` and
``expected_quote`` under one Idempotency-Key per intent; a declined card or a
price that changed meanwhile changes nothing and is worded for the admin.
:class:`QuotedChanges` holds those steps once; :class:`DeviceChanges` and
:class:`PlanChanges` say only what differs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from mktui.api.errors import ApiError, ErrorKind
from mktui.core.i18n import _
from mktui.tui.services.intent import Intent
from mktui.tui.widgets.money import format_money
from mktui.tui.widgets.text import safe_text

if TYPE_CHECKING:
    from mktui.api.client import BillingClient
    from mktui.api.models import PreviewRequest, SubscriptionResult
    from mktui.core import pricing
    from mktui.tui.services.subscription_change import SubscriptionData

Send = Callable[[int, "str | None", str], Awaitable["SubscriptionResult"]]
"""``send(expected_total, expected_quote, idempotency_key)``: the PATCH of one change."""


@dataclass(frozen=True)
class ChangeOutcome:
    """What a change ended in: made (``changed``) or refused, in a sentence for the admin."""

    changed: bool
    sentence: str
    fresh: pricing.Preview | None = None
    """The server's new preview, when the price changed before the change was made."""


def invoice_sentence(number: str) -> str:
    """``Invoice INV-2026-0042.``: the invoice a change was billed on (the server's number)."""
    return _("Invoice {number}.").format(number=safe_text(number, limit=40))


class QuotedChanges:
    """The server's preview and its quote, the default card now, and the guarded PATCH."""

    def __init__(self, intent: Intent | None = None) -> None:
        self.intent = intent if intent is not None else Intent()

    async def quoted_preview(
        self, client: BillingClient, request: PreviewRequest
    ) -> pricing.Preview:
        """The server's own price, checked that it adds up, with its quote.

        Raises ``ApiError`` as sent, or UNEXPECTED for a preview that does not add
        up (never shown, never charged). The quote locks everything this preview
        showed (not only its total): send() gives it back as expected_quote.
        """
        return await client.priced_preview(request)

    async def with_default_card(
        self, client: BillingClient, data: SubscriptionData
    ) -> SubscriptionData:
        """``data`` with the default card as the server knows it now.

        A charge's confirmation must name the card the server will charge, even
        if the default was changed elsewhere since the area loaded.
        """
        methods = await client.payment_methods()
        return replace(data, default_method=next((m for m in methods if m.is_default), None))

    async def send(
        self,
        what: Hashable,
        server: pricing.Preview,
        call: Send,
        *,
        card: str | None,
        unchanged: str,
        again: Callable[[], Awaitable[pricing.Preview]],
    ) -> SubscriptionResult | ChangeOutcome:
        """Send the change confirmed at ``server``'s total and quote: the result, or why not.

        A decline or a new price changes nothing and comes back as a
        :class:`ChangeOutcome` (``unchanged`` says what stays; ``again`` fetches
        the new preview). Other failures (a lost answer, a session that ended)
        are raised with the intent kept, so confirming again sends the same key.
        """
        quote = server.quote
        key = self.intent.key((what, server.total.minor, quote))
        try:
            result = await call(server.total.minor, quote, key)
        except ApiError as error:
            if error.kind is ErrorKind.PAYMENT_FAILED:
                self.intent.end()
                declined = _("{card} was declined: {why}").format(
                    card=card, why=safe_text(error.message)
                )
                return ChangeOutcome(False, f"{declined} {unchanged}")
            if error.kind is ErrorKind.PRICE_CHANGED:
                self.intent.end()
                fresh = await again()
                return ChangeOutcome(
                    False,
                    _(
                        "The price changed before the change was made: it is now "
                        "{amount}. Nothing was charged. Review the new "
                        "preview and press Enter to confirm again."
                    ).format(amount=format_money(fresh.total)),
                    fresh,
                )
            raise
        self.intent.end()
        return result
