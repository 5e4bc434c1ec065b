"""What comes next for a subscription: the next renewal's preview and how long the credit lasts.

Shared by Financial and History. The next renewal of an annual plan on its
anniversary is a new annual purchase (:func:`preview_yearly_renewal`), any
other a month drawn from the credit first; a subscription that ends on the
next 1st has none. The runway is :func:`credit_runway` at the number of
devices the next renewals bill.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from mktui.core.money import Money

if TYPE_CHECKING:
    from mktui.api.models import Account, Subscription
    from mktui.core import pricing


def billed_devices(sub: Subscription) -> int:
    """The devices the next renewals bill: a scheduled decrease, or the quota."""
    return sub.scheduled_devices or sub.devices


def next_renewal(
    account: Account, sub: Subscription | None, prices: pricing.PriceTable, today: date
) -> pricing.Preview | None:
    """The next 1st's renewal as the server will bill it, or None when none comes."""
    # Imported here: the pricing rules take 26 ms (-X importtime); needed once data arrives.
    from mktui.core import pricing, pricing_lifecycle

    if sub is None or sub.status == "canceled" or sub.cancel_at is not None:
        return None
    first = pricing.next_first(today)
    credit = Money.from_minor(account.credit_balance, sub.currency)
    yearly = (
        sub.plan == "annual"
        and sub.scheduled_plan in (None, "annual")
        and sub.annual_renewal_date is not None
        and sub.annual_renewal_date <= first
    )
    if yearly:
        return pricing_lifecycle.preview_yearly_renewal(
            currency=sub.currency,
            devices=billed_devices(sub),
            period_start=first,
            prices=prices,
            credit_available=credit,
        )
    return pricing.preview_renewal(
        currency=sub.currency,
        devices=billed_devices(sub),
        period_start=first,
        prices=prices,
        credit_available=credit,
    )


def runway(
    account: Account, sub: Subscription | None, prices: pricing.PriceTable, today: date
) -> str | None:
    """``lasts until Mar 2028 at 7 devices``, or None without a subscription or credit."""
    from mktui.core import pricing, pricing_lifecycle

    if sub is None or account.credit_balance <= 0 or sub.cancel_at is not None:
        return None
    try:
        found = pricing_lifecycle.credit_runway(
            credit=Money.from_minor(account.credit_balance, sub.currency),
            currency=sub.currency,
            devices=billed_devices(sub),
            today=today,
            prices=prices,
        )
    except pricing.PricingError:
        return None  # a price list without this plan: say nothing rather than guess
    return found.sentence(billed_devices(sub))
