"""A card typed in to pay something: attached first, and kept only if that charge goes through.

The billing API charges saved cards only, so a new card is attached before the
charge. If the charge is declined (or otherwise definitely does not happen) the
card is removed again: a card that just failed must not stay on the account —
still less as the default that renewals charge — and trying the same card again
would otherwise save it twice. It is made the default only after a success.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mktui.api.errors import ApiError, ErrorKind
from mktui.core.i18n import N_, _

if TYPE_CHECKING:
    from mktui.api.client import BillingClient
    from mktui.api.models import NewPaymentMethod, PaymentMethod


async def attach_for_charge(
    client: BillingClient, card: NewPaymentMethod, *, idempotency_key: str
) -> PaymentMethod:
    """Attach ``card`` without making it the default (that waits for the charge to succeed)."""
    return await client.add_payment_method(
        card.model_copy(update={"make_default": False}), idempotency_key=idempotency_key
    )


NOT_SAVED = N_("The new card was not saved.")
"""What :func:`forget_card` says when the card is gone (its msgid: compare with ``_(NOT_SAVED)``)."""


async def forget_card(client: BillingClient, method_id: str) -> str:
    """Remove a card attached for a charge that did not happen; a sentence saying what became of it."""
    try:
        await client.remove_payment_method(method_id)
    except ApiError as error:
        if error.kind is ErrorKind.CONFLICT:
            # The account had no card, so the server made this one the default, and the
            # default cannot be removed while invoices are open.
            return _(
                "The new card stayed on the account as its default card (the account has no "
                "other): add a card that works under Payment methods (m), make it the default, "
                "then remove this one."
            )
        return _("The new card may still be listed under Payment methods (m); remove it there.")
    return _(NOT_SAVED)


async def make_default_after_charge(client: BillingClient, method_id: str) -> str | None:
    """Make a card that just paid the default; a warning sentence if that failed, else None."""
    try:
        await client.set_default_payment_method(method_id)
    except ApiError:
        return _(
            "The payment went through, but the new card could not be made the default: "
            "set it under Payment methods (m) so renewals charge it."
        )
    return None
