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
from mktui.core.i18n import _
from mktui.core.money import Money
from mktui.core.words import count, plan_word
from mktui.tui.services.quoted_change import ChangeOutcome, QuotedChanges, invoice_sentence
from mktui.tui.widgets.money import format_money
from mktui.tui.widgets.preview_panel import format_date

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
        return _("Keep the {plan} plan").format(plan=plan_word(sub.plan))
    return _switch_to(target_plan(sub))


def _switch_to(plan: str) -> str:
    return _("Switch to {plan}").format(plan=plan_word(plan))


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
        _("Next renewal: {amount} on {date}.").format(
            amount=format_money(server.next_renewal_amount),
            date=format_date(server.next_renewal_date),
        )
        if server.next_renewal_amount.minor
        else _("Next renewal on {date}: paid from the credit.").format(
            date=format_date(server.next_renewal_date)
        )
    )
    devices = count(sub.devices, "device")
    if is_undo(sub):
        title = _("Keep the {plan} plan").format(plan=plan_word(plan))
        label = _("Keep {plan}").format(plan=plan_word(plan))
        lines = [
            _(
                "The switch to monthly scheduled for {date} is dropped; "
                "the subscription stays {plan}."
            ).format(date=format_date(server.effective), plan=plan_word(plan)),
            _("Nothing is charged now."),
            renewal,
        ]
    elif plan == "annual":
        total = format_money(server.total)
        charge = (
            _("Charge {total} now to {card}.").format(total=total, card=data.card)
            if server.total.minor
            else _("Nothing is charged to a card: the credit balance pays it.")
        )
        lines = [
            charge,
            _(
                "Annual plan for {devices} from today; {credit} of credit is granted "
                "and each monthly renewal draws on it. This month stays paid."
            ).format(devices=devices, credit=format_money(server.credit_granted)),
            _("It renews as a new annual purchase on {date}.").format(
                date=format_date(_renews(server))
            ),
            renewal,
        ]
        title = _("Confirm the annual plan")
        label = _("Pay {amount}").format(amount=total) if server.total.minor else _switch_to(plan)
    else:
        credit = Money.from_minor(data.account.credit_balance, sub.currency)
        lines = [
            _("Nothing is charged now; from {date} renewals are monthly for {devices}.").format(
                date=format_date(server.effective), devices=devices
            ),
            renewal,
        ]
        if credit.minor:
            lines.append(
                _("The credit left ({amount}) is still drawn first.").format(
                    amount=format_money(credit)
                )
            )
        title, label = _("Confirm the monthly plan"), _switch_to(plan)
    if found:
        lines += ["", _("The server's figures are the ones used:"), *found]
    lines += ["", _("Press y to confirm; Escape cancels and changes nothing.")]
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
        _(
            "The subscription ends on {date}: no renewal is charged that day and the account "
            "becomes inactive (you can subscribe again later)."
        ).format(date=ends),
        _("Until then you keep the quota of {devices}; nothing is refunded.").format(
            devices=count(sub.devices, "device")
        ),
    ]
    credit = Money.from_minor(data.account.credit_balance, sub.currency)
    if credit.minor:
        if sub.plan == "annual":
            kept = _(
                "The annual credit left ({amount}) is not refunded: it stays on the account "
                "and is drawn first by any later invoice."
            )
        else:
            kept = _(
                "The credit left ({amount}) is not refunded: it stays on the account "
                "and is drawn first by any later invoice."
            )
        lines.append(kept.format(amount=format_money(credit)))
    if data.account.status in ("past_due", "suspended"):
        lines.append(
            _("Overdue invoices stay payable after the cancellation: pay them in Invoices (i).")
        )
    lines += [
        _("Until {date} you can resume it here (r).").format(date=ends),
        "",
        _("Press y to confirm; Escape keeps the subscription."),
    ]
    return lines


def resume_confirmation_lines(data: SubscriptionData) -> list[str]:
    """What resuming does: renewals as before, from the 1st the cancellation would have ended it."""
    sub = data.subscription
    assert sub is not None and sub.cancel_at is not None
    return [
        _(
            "The cancellation on {date} is undone: the subscription renews "
            "on {date} as usual ({plan}, {devices})."
        ).format(
            date=format_date(sub.cancel_at),
            plan=plan_word(sub.plan),
            devices=count(sub.devices, "device"),
        ),
        _("Nothing is charged now."),
        "",
        _("Press y to confirm; Escape leaves the cancellation as it is."),
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
            unchanged=_("Nothing changed: the subscription stays {plan}.").format(
                plan=plan_word(sub.plan)
            ),
            again=lambda: self.server_preview(client, plan),
        )
        if isinstance(result, ChangeOutcome):
            return result
        if is_undo(sub):
            done = _("The subscription stays {plan}; nothing was charged.").format(
                plan=plan_word(plan)
            )
        elif plan == "annual":
            done = (
                _("The subscription is annual from today; paid {amount} with {card}.").format(
                    amount=format_money(server.total), card=data.card
                )
                if server.total.minor
                else _("The subscription is annual from today.")
            )
            done += " " + _("{amount} of credit granted.").format(
                amount=format_money(server.credit_granted)
            )
        else:
            done = _("From {date} renewals are monthly; nothing was charged.").format(
                date=format_date(server.effective)
            )
        if result.invoice is not None:
            done += " " + invoice_sentence(result.invoice.number)
        return ChangeOutcome(True, done)

    async def cancel(self, client: BillingClient) -> str:
        """Cancel at the next 1st; the sentence saying when it ends."""
        key = self.intent.key(("cancel",))
        sub = await client.cancel_subscription(idempotency_key=key)
        self.intent.end()
        ends = format_date(sub.cancel_at) if sub.cancel_at else _("the next 1st")
        return _(
            "The subscription ends on {date}; until then nothing changes. Press r to resume."
        ).format(date=ends)

    async def resume(self, client: BillingClient) -> str:
        """Undo the scheduled cancellation; the sentence saying renewals go on."""
        key = self.intent.key(("resume",))
        sub = await client.resume_subscription(idempotency_key=key)
        self.intent.end()
        return _("The cancellation is undone: the subscription renews on {date} as usual.").format(
            date=format_date(next_renewal_of(sub))
        )


def next_renewal_of(sub: Subscription) -> date:
    """The next renewal of ``sub``: the 1st after its current period."""
    return sub.current_period_end + timedelta(days=1)
