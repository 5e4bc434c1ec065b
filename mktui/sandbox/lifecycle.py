"""The rest of a subscription's life on the sandbox: cancel, resume, switch plan.

api.md, Additions, "Subscription lifecycle". The amounts come from
:mod:`mktui.core.pricing_lifecycle`; this module records them and moves the
subscription. A cancellation only sets ``cancel_at`` (the next 1st): the
renewal job ends the subscription on that 1st instead of renewing it
(:mod:`mktui.sandbox.renewals`).
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from typing import Any

from mktui.core import pricing, pricing_lifecycle
from mktui.core.money import Money
from mktui.sandbox import billing, cards, invoices
from mktui.sandbox.errors import conflict, invalid, not_found


def _views(conn: sqlite3.Connection, account_id: str, invoice_id: str | None) -> dict[str, Any]:
    from mktui.sandbox.views import invoice_view, subscription_view

    return {
        "subscription": subscription_view(
            billing.subscription(conn, account_id), billing.account(conn, account_id)
        ),
        "invoice": None
        if invoice_id is None
        else invoice_view(invoices.get(conn, account_id, invoice_id)),
    }


def _current(conn: sqlite3.Connection, account_id: str) -> tuple[sqlite3.Row, sqlite3.Row]:
    acct = billing.account(conn, account_id)
    sub = billing.subscription(conn, account_id)
    if sub is None:
        raise not_found("subscription")
    return acct, sub


def plan_after_next_first(sub: sqlite3.Row) -> str:
    """The plan the next renewal bills: a scheduled switch, or the current plan."""
    return sub["scheduled_plan"] or sub["plan"]


def _switch_quote(
    acct: sqlite3.Row, sub: sqlite3.Row, plan: str, today: date
) -> pricing.Preview | None:
    """The preview of switching to *plan*; None when it undoes a scheduled switch (nothing moves)."""
    if sub["scheduled_plan"] is not None and plan == sub["plan"]:
        return None
    if plan == plan_after_next_first(sub):
        raise invalid("plan", f"The subscription is already on the {plan} plan.")
    return billing._priced(
        pricing_lifecycle.preview_plan_switch,
        currency=sub["currency"],
        current_plan=sub["plan"],
        new_plan=plan,
        devices=sub["devices"],
        today=today,
        credit_available=billing._credit(acct, sub["currency"]),
    )


def _kept_plan_preview(sub: sqlite3.Row, acct: sqlite3.Row, today: date) -> pricing.Preview:
    """Staying on the current plan while a switch is scheduled: nothing charged, renewals as now."""
    starts = pricing.next_first(today)
    quote = billing._priced(
        pricing.preview_renewal,
        currency=sub["currency"],
        devices=sub["scheduled_devices"] or sub["devices"],
        period_start=starts,
        credit_available=billing._credit(acct, sub["currency"]),
    )
    zero = Money.zero(quote.currency)
    return pricing.Preview(
        currency=quote.currency,
        lines=(),
        subtotal=zero,
        credit_applied=zero,
        credit_granted=zero,
        total=zero,
        period_start=starts,
        period_end=quote.period_end,
        next_renewal_date=starts,
        next_renewal_amount=quote.total,
        effective=starts,
    )


def preview(conn: sqlite3.Connection, account_id: str, body: Any, now: datetime) -> Any:
    """``POST /v1/subscription/preview``: a plan switch here, everything else in :mod:`billing`."""
    sub = billing.subscription(conn, account_id)
    if sub is None or body.plan is None or (body.plan == sub["plan"] and body.devices is not None):
        return billing.preview(conn, account_id, body, now)
    if body.devices is not None and body.devices != sub["devices"]:
        raise invalid("devices", "Change the plan or the number of devices, one at a time.")
    if body.currency not in (None, sub["currency"]):
        raise invalid("currency", "The currency never changes after the first invoice.")
    acct = billing.account(conn, account_id)
    today = billing.today_of(acct, now)
    if body.at is not None:
        if body.at < today:
            raise invalid("at", f"Preview a date from today ({today.isoformat()}) on.")
        if (body.at - today).days > 366:
            raise invalid("at", "Preview a date within the next year.")
        today = body.at
    quote = _switch_quote(acct, sub, body.plan, today)
    return _kept_plan_preview(sub, acct, today) if quote is None else quote


def _refuse_while_ending(sub: sqlite3.Row) -> None:
    if sub["cancel_at"] is not None:
        raise conflict(
            "conflict",
            f"The subscription is canceled from {sub['cancel_at']}; resume it before changing it.",
        )


def change_plan(
    conn: sqlite3.Connection, account_id: str, body: Any, now: datetime
) -> tuple[int, Any]:
    """``PATCH /v1/subscription {plan}``: to annual charged now; to monthly from the next 1st."""
    acct, sub = _current(conn, account_id)
    if acct["status"] == "suspended":
        raise conflict("conflict", "The account is suspended; pay the overdue invoices first.")
    _refuse_while_ending(sub)
    today = billing.today_of(acct, now)
    quote = _switch_quote(acct, sub, body.plan, today)
    if quote is None:  # back to the current plan: the scheduled switch is dropped
        billing._check_expected(body.expected_total, _kept_plan_preview(sub, acct, today))
        conn.execute(
            "UPDATE subscriptions SET scheduled_plan = NULL WHERE account_id = ?", (account_id,)
        )
        return 200, _views(conn, account_id, None)
    billing._check_expected(body.expected_total, quote)
    if body.plan == "monthly":
        conn.execute(
            "UPDATE subscriptions SET scheduled_plan = 'monthly' WHERE account_id = ?",
            (account_id,),
        )
        return 200, _views(conn, account_id, None)
    method = invoices.payment_method(conn, account_id, None)
    invoice = invoices.issue(conn, account_id, "change", quote, issued_at=now, due_date=today)
    if invoices.charge(conn, invoice, method, at=now, today=today) != cards.SUCCEEDS:
        return billing._void(conn, invoice["id"])
    billing.record_invoice_rows(conn, invoice, quote, now, what="Switched to the annual plan")
    invoices.record_payment(conn, invoice, method, at=now)
    conn.execute(
        "UPDATE subscriptions SET plan = 'annual', scheduled_plan = NULL, annual_since = ? "
        "WHERE account_id = ?",
        (today.isoformat(), account_id),
    )
    return 200, _views(conn, account_id, invoice["id"])


def cancel(conn: sqlite3.Connection, account_id: str, now: datetime) -> tuple[int, Any]:
    """``POST /v1/subscription/cancel``: ends on the next 1st; nothing refunded, quota kept until then."""
    acct, sub = _current(conn, account_id)
    if sub["cancel_at"] is None:
        ends = pricing.next_first(billing.today_of(acct, now))
        conn.execute(
            "UPDATE subscriptions SET cancel_at = ? WHERE account_id = ?",
            (ends.isoformat(), account_id),
        )
    return 200, _views(conn, account_id, None)["subscription"]


def resume(conn: sqlite3.Connection, account_id: str) -> tuple[int, Any]:
    """``POST /v1/subscription/resume``: the scheduled cancellation is undone; renewals as before."""
    _, sub = _current(conn, account_id)
    if sub["cancel_at"] is None:
        raise conflict("conflict", "The subscription is not canceled; there is nothing to resume.")
    conn.execute("UPDATE subscriptions SET cancel_at = NULL WHERE account_id = ?", (account_id,))
    return 200, _views(conn, account_id, None)["subscription"]


def end(conn: sqlite3.Connection, account_id: str) -> None:
    """The canceled subscription's last day has passed: no renewal; the account is inactive.

    The credit balance stays on the account and is drawn first by any later
    invoice; the currency stays too (it never changes after the first invoice).
    """
    conn.execute("DELETE FROM subscriptions WHERE account_id = ?", (account_id,))
    conn.execute("UPDATE accounts SET status = 'inactive' WHERE id = ?", (account_id,))
