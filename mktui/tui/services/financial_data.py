"""What the Financial hub shows, gathered from the billing API in one go."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from mktui.core.money import Money
from mktui.tui.services import renewal_outlook, server_clock

if TYPE_CHECKING:
    from mktui.api.client import BillingClient
    from mktui.api.models import Account, Invoice, PaymentMethod, Price, Subscription
    from mktui.core import pricing

_PAGES_CAP = 20  # 20 pages × 200 invoices: more than any account holds unpaid (older servers)


@dataclass(frozen=True)
class FinancialData:
    """The hub's figures. Amounts are wire integers in the account's currency."""

    account: Account
    subscription: Subscription | None
    methods: list[PaymentMethod]
    open_total: int
    open_count: int
    overdue_total: int
    overdue_count: int
    renewal: pricing.Preview | None
    runway: str | None = None
    """How long the credit lasts (``lasts until Mar 2028 at 7 devices``), when there is credit."""

    taken: float = field(default_factory=server_clock.monotonic)
    """When ``account.now`` was read, on the monotonic clock (see services.server_clock)."""

    @property
    def default_method(self) -> PaymentMethod | None:
        """The card charged on each 1st, if any."""
        return next((m for m in self.methods if m.is_default), None)

    @property
    def today(self) -> date:
        """The server's today in the account's billing time zone."""
        # Imported here: the pricing rules take 26 ms (-X importtime, zoneinfo and the tables);
        # they are first needed after the first frame, once data arrives.
        from mktui.core import pricing

        return pricing.billing_today(
            server_clock.server_now(self.account.now, self.taken), self.account.billing_timezone
        )


async def _unpaid(client: BillingClient, status: str) -> list[Invoice]:
    """Every unpaid invoice of ``status``: only for a server whose account has no summary."""
    invoices: list[Invoice] = []
    cursor = None
    for _ in range(_PAGES_CAP):
        page = await client.invoices(status, limit=200, cursor=cursor)
        invoices.extend(page.data)
        cursor = page.next_cursor
        if cursor is None:
            break
    return invoices


def price_table(prices: list[Price]) -> pricing.PriceTable:
    """The server's price list as :data:`mktui.core.pricing.PriceTable` (previews use the server's prices)."""
    return {(p.currency, p.plan): Money.from_minor(p.unit_amount, p.currency) for p in prices}


async def load_financial(client: BillingClient) -> FinancialData:
    """Fetch the account (with its unpaid summary), subscription, cards and prices concurrently."""
    # Imported here: the pricing rules take 26 ms (-X importtime, zoneinfo and the tables);
    # they are first needed after the first frame, once data arrives.
    from mktui.core import pricing

    account, prices, subscription, methods = await asyncio.gather(
        client.account(),
        client.prices(),
        client.subscription(),
        client.payment_methods(),
    )
    # The account carries its open and overdue summary, counted by the server (api.md,
    # Additions): no invoice list is downloaded. A server from before it still gets counted.
    if account.open is not None and account.overdue is not None:
        open_count, open_total = account.open.count, account.open.total
        overdue_count, overdue_total = account.overdue.count, account.overdue.total
    else:
        open_, overdue = await asyncio.gather(_unpaid(client, "open"), _unpaid(client, "past_due"))
        open_count, open_total = len(open_), sum(inv.amount_due for inv in open_)
        overdue_count, overdue_total = len(overdue), sum(inv.amount_due for inv in overdue)
    today = pricing.billing_today(account.now, account.billing_timezone)
    table = price_table(prices)
    renewal = renewal_outlook.next_renewal(account, subscription, table, today)
    runway = renewal_outlook.runway(account, subscription, table, today)
    return FinancialData(
        account=account,
        subscription=subscription,
        methods=list(methods),
        open_total=open_total,
        open_count=open_count,
        overdue_total=overdue_total,
        overdue_count=overdue_count,
        renewal=renewal,
        runway=runway,
    )
