"""The rest of the subscription's life from the Subscription area: switch plan, cancel, resume.

:class:`PlanChanges` sends a switch of plan the way :class:`DeviceChanges`
sends a change of devices (the shared steps are
:class:`mktui.tui.services.quoted_change.QuotedChanges`), and cancels or
resumes with one Idempotency-Key per intent. The sentences of each
confirmation live here too (api.md, Additions, "Subscription lifecycle").
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from mktui.api.models import PreviewRequest
from mktui.core.money import Money
from mktui.core.words import count
from mktui.tui.services.quoted_change import ChangeOutcome, QuotedChanges
from mktui.tui.widgets.money import format_money
from mktui.tui.widgets.preview_panel import format_date
from mktui.tui.widgets.text import safe_text

if TYPE_CHECKING:
    from mktui.api.client import BillingClient
    from mktui.api.models import Subscription
    from mktui.core import pricing
    from mktui.tui.services.subscription_change import SubscriptionData

_OTHER = {"monthly": "annual", "annual": "monthly"}


def target_plan(sub: Subscription) -> str:
    """The plan ``p`` switches to: the other one, or back to the current while a switch waits."""
    if sub.scheduled_plan is not None and sub.scheduled_plan != sub.plan:
        return sub.plan
    return _OTHER[sub.plan]


def is_undo(sub: Subscription) -> bool:
    """Whether ``p`` drops a scheduled switch to monthly (nothing is charged)."""
    return sub.scheduled_plan is not None and sub.scheduled_plan != sub.plan


def switch_label(sub: Subscription) -> str:
    """What the key does now, for the palette and the hint: ``Switch to annual``."""
    if is_undo(sub):
        return f"Keep the {sub.plan} plan"
    return f"Switch to {target_plan(sub)}"


def local_switch_preview(data: SubscriptionData) -> pricing.Preview | None:
    """The switch priced here (None when it only drops a scheduled switch: nothing to price).

    Raises :class:`pricing.PricingError` as the rules do.
    """
    from mktui.core import pricing_lifecycle

    sub = data.subscription
    assert sub is not None
    if is_undo(sub):
        return None
    return pricing_lifecycle.preview_plan_switch(
        currency=sub.currency,
        current_plan=sub.plan,
        new_plan=target_plan(sub),
        devices=sub.devices,
        today=data.today,
        prices=data.prices,
        credit_available=Money.from_minor(data.account.credit_balance, sub.currency),
    )


def switch_confirmation(
    data: SubscriptionData, server: pricing.Preview, found: list[str]
) -> tuple[str, list[str], str]:
    """``(title, lines, confirm label)``: the amount, the card and what the switch changes."""
    sub = data.subscription
    assert sub is not None
    plan = target_plan(sub)
    renewal = (
        f"Next renewal: {format_money(server.next_renewal_amount)} on "
        f"{format_date(server.next_renewal_date)}."
        if server.next_renewal_amount.minor
        else f"Next renewal on {format_date(server.next_renewal_date)}: paid from the credit."
    )
    if is_undo(sub):
        title, label = f"Keep the {plan} plan", f"Keep {plan}"
        lines = [
            f"The switch to monthly scheduled for {format_date(server.effective)} is dropped; "
            f"the subscription stays {plan}.",
            "Nothing is charged now.",
            renewal,
        ]
    elif plan == "annual":
        total = format_money(server.total)
        charge = (
            f"Charge {total} now to {data.card}."
            if server.total.minor
            else "Nothing is charged to a card: the credit balance pays it."
        )
        lines = [
            charge,
            f"Annual plan for {count(sub.devices, 'device')} from today; "
            f"{format_money(server.credit_granted)} of credit is granted and each monthly "
            "renewal draws on it. This month stays paid.",
            f"It renews as a new annual purchase on {format_date(_renews(server))}.",
            renewal,
        ]
        title = "Confirm the annual plan"
        label = f"Pay {total}" if server.total.minor else "Switch to annual"
    else:
        credit = Money.from_minor(data.account.credit_balance, sub.currency)
        lines = [
            f"Nothing is charged now; from {format_date(server.effective)} renewals are monthly "
            f"for {count(sub.devices, 'device')}.",
            renewal,
        ]
        if credit.minor:
            lines.append(f"The credit left ({format_money(credit)}) is still drawn first.")
        title, label = "Confirm the monthly plan", "Switch to monthly"
    if found:
        lines += ["", "The server's figures are the ones used:", *found]
    lines += ["", "Press y to confirm; Escape cancels and changes nothing."]
    return title, lines, label


def _renews(server: pricing.Preview) -> date:
    """The anniversary of an annual purchase: the day after its period ends."""
    return server.period_end + timedelta(days=1)


def cancel_confirmation_lines(data: SubscriptionData) -> list[str]:
    """What a cancellation does, before it is asked: the end date, the quota, the credit, debts."""
    sub = data.subscription
    assert sub is not None
    ends = format_date(data.next_first)
    lines = [
        f"The subscription ends on {ends}: no renewal is charged that day and the account "
        "becomes inactive (you can subscribe again later).",
        f"Until then you keep the quota of {count(sub.devices, 'device')}; nothing is refunded.",
    ]
    credit = Money.from_minor(data.account.credit_balance, sub.currency)
    if credit.minor:
        what = "The annual credit left" if sub.plan == "annual" else "The credit left"
        lines.append(
            f"{what} ({format_money(credit)}) is not refunded: it stays on the account and is "
            "drawn first by any later invoice."
        )
    if data.account.status in ("past_due", "suspended"):
        lines.append(
            "Overdue invoices stay payable after the cancellation: pay them in Invoices (i)."
        )
    lines += [
        f"Until {ends} you can resume it here (r).",
        "",
        "Press y to confirm; Escape keeps the subscription.",
    ]
    return lines


def resume_confirmation_lines(data: SubscriptionData) -> list[str]:
    """What resuming does: renewals as before, from the 1st the cancellation would have ended it."""
    sub = data.subscription
    assert sub is not None and sub.cancel_at is not None
    return [
        f"The cancellation on {format_date(sub.cancel_at)} is undone: the subscription renews "
        f"on {format_date(sub.cancel_at)} as usual ({sub.plan}, {count(sub.devices, 'device')}).",
        "Nothing is charged now.",
        "",
        "Press y to confirm; Escape leaves the cancellation as it is.",
    ]


class PlanChanges(QuotedChanges):
    """Switch monthly ↔ annual; cancel at the next 1st and resume."""

    async def server_preview(self, client: BillingClient, plan: str) -> pricing.Preview:
        """The server's own price of switching to ``plan`` (raises ``ApiError`` as sent)."""
        return await self.quoted_preview(client, PreviewRequest(plan=plan))

    async def switch(
        self, client: BillingClient, data: SubscriptionData, server: pricing.Preview
    ) -> ChangeOutcome:
        """Send the switch confirmed at ``server``'s total and quote; a decline or new price changes nothing."""
        sub = data.subscription
        assert sub is not None
        plan = target_plan(sub)

        async def send(total: int, quote: str | None, key: str):
            return await client.change_plan(
                plan, expected_total=total, expected_quote=quote, idempotency_key=key
            )

        result = await self.send(
            ("plan", plan),
            server,
            send,
            card=data.card,
            unchanged=f"Nothing changed: the subscription stays {sub.plan}.",
            again=lambda: self.server_preview(client, plan),
        )
        if isinstance(result, ChangeOutcome):
            return result
        if is_undo(sub):
            done = f"The subscription stays {plan}; nothing was charged."
        elif plan == "annual":
            done = "The subscription is annual from today"
            done += (
                f"; paid {format_money(server.total)} with {data.card}."
                if server.total.minor
                else "."
            )
            done += f" {format_money(server.credit_granted)} of credit granted."
        else:
            done = (
                f"From {format_date(server.effective)} renewals are monthly; nothing was charged."
            )
        if result.invoice is not None:
            done += f" Invoice {safe_text(result.invoice.number, limit=40)}."
        return ChangeOutcome(True, done)

    async def cancel(self, client: BillingClient) -> str:
        """Cancel at the next 1st; the sentence saying when it ends."""
        key = self.intent.key(("cancel",))
        sub = await client.cancel_subscription(idempotency_key=key)
        self.intent.end()
        ends = format_date(sub.cancel_at) if sub.cancel_at else "the next 1st"
        return f"The subscription ends on {ends}; until then nothing changes. Press r to resume."

    async def resume(self, client: BillingClient) -> str:
        """Undo the scheduled cancellation; the sentence saying renewals go on."""
        key = self.intent.key(("resume",))
        sub = await client.resume_subscription(idempotency_key=key)
        self.intent.end()
        return (
            f"The cancellation is undone: the subscription renews on "
            f"{format_date(next_renewal_of(sub))} as usual."
        )


def next_renewal_of(sub: Subscription) -> date:
    """The next renewal of ``sub``: the 1st after its current period."""
    return sub.current_period_end + timedelta(days=1)
