"""What the test clock runs when it moves: renewals on each 1st, then suspensions.

For every subscribed account, events are taken in time order between the old
and the new clock: at local midnight of each 1st a renewal invoice for the
month (scheduled device decreases and plan switches take effect first;
credit is drawn first; the rest is charged to the default card; an annual
plan's anniversary is a new annual purchase), or the end of a canceled
subscription (no invoice, the account inactive), and at local midnight of the 31st
day after the oldest past-due invoice's due date the account is suspended.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from mktui.core import pricing, pricing_lifecycle
from mktui.core.dates import format_date
from mktui.core.money import Money
from mktui.sandbox import billing, cards, invoices, lifecycle

SUSPEND_AFTER_DAYS = 30
"""More than this many days past due suspends the account."""


def _midnight(day: date, tz: str) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=ZoneInfo(tz))


def _oldest_past_due(conn: sqlite3.Connection, account_id: str) -> date | None:
    row = conn.execute(
        "SELECT min(due_date) FROM invoices WHERE account_id = ? AND status = 'past_due'",
        (account_id,),
    ).fetchone()
    return None if row[0] is None else date.fromisoformat(row[0])


def is_yearly_renewal(sub: sqlite3.Row, period_start: date) -> bool:
    """True when the renewal on *period_start* is an annual plan's anniversary (a new purchase)."""
    return (
        sub["plan"] == "annual"
        and sub["annual_since"] is not None
        and period_start
        >= pricing_lifecycle.annual_renewal_date(date.fromisoformat(sub["annual_since"]))
    )


def renew(conn: sqlite3.Connection, account_id: str, period_start: date, at: datetime) -> None:
    """Issue and charge the renewal invoice of the month starting ``period_start``.

    Scheduled changes take effect first (fewer devices, annual → monthly); on
    an annual plan's anniversary the renewal is a new annual purchase.
    """
    conn.execute(
        "UPDATE subscriptions SET devices = coalesce(scheduled_devices, devices), "
        "scheduled_devices = NULL, plan = coalesce(scheduled_plan, plan), scheduled_plan = NULL "
        "WHERE account_id = ?",
        (account_id,),
    )
    conn.execute(
        "UPDATE subscriptions SET annual_since = NULL WHERE account_id = ? AND plan = 'monthly'",
        (account_id,),
    )
    sub = billing.subscription(conn, account_id)
    acct = billing.account(conn, account_id)
    credit = Money.from_minor(acct["credit_balance"], sub["currency"])
    what = None
    yearly = is_yearly_renewal(sub, period_start)
    if yearly:
        quote = pricing_lifecycle.preview_yearly_renewal(
            currency=sub["currency"],
            devices=sub["devices"],
            period_start=period_start,
            credit_available=credit,
        )
        what = f"Annual plan renewed from {format_date(period_start)}"
        conn.execute(
            "UPDATE subscriptions SET annual_since = ? WHERE account_id = ?",
            (period_start.isoformat(), account_id),
        )
    else:
        quote = pricing.preview_renewal(
            currency=sub["currency"],
            devices=sub["devices"],
            period_start=period_start,
            credit_available=credit,
        )
    invoice = invoices.issue(
        conn, account_id, "renewal", quote, issued_at=at, due_date=period_start
    )
    conn.execute(
        "UPDATE subscriptions SET current_period_start = ?, current_period_end = ? WHERE account_id = ?",
        (quote.period_start.isoformat(), quote.period_end.isoformat(), account_id),
    )
    method = None
    if acct["default_payment_method_id"] is not None:
        method = invoices.payment_method(conn, account_id, acct["default_payment_method_id"])
    paid = invoices.charge(conn, invoice, method, at=at, today=period_start) == cards.SUCCEEDS
    # A declined anniversary is an annual purchase not paid: its credit is granted (and
    # this month drawn from it) only when the invoice is paid, never before.
    billing.record_invoice_rows(conn, invoice, quote, at, what=what, credit=paid or not yearly)
    if paid:
        invoices.record_payment(conn, invoice, method, at=at)
        return
    conn.execute("UPDATE invoices SET status = 'past_due' WHERE id = ?", (invoice["id"],))
    conn.execute(
        "UPDATE accounts SET status = 'past_due' WHERE id = ? AND status = 'active'", (account_id,)
    )


def _next_event(conn: sqlite3.Connection, account_id: str, after: datetime) -> tuple[datetime, str]:
    """The account's next event not yet run at ``after``: (when, "renew" | "end" | "suspend")."""
    acct = billing.account(conn, account_id)
    tz = acct["billing_timezone"]
    # From the subscription's own period, not from ``after``: a renewal falling on the
    # same instant as a suspension is still due after it.
    sub = billing.subscription(conn, account_id)
    next_start = pricing.next_first(date.fromisoformat(sub["current_period_start"]))
    renewal = _midnight(next_start, tz)
    ends = sub["cancel_at"] is not None and next_start >= date.fromisoformat(sub["cancel_at"])
    oldest = _oldest_past_due(conn, account_id)
    if acct["status"] == "past_due" and oldest is not None:
        suspension = _midnight(oldest + timedelta(days=SUSPEND_AFTER_DAYS + 1), tz)
        # Already overdue (e.g. a clock moved before this rule ran): suspend right away.
        suspension = max(suspension, after)
        if suspension <= renewal:
            return suspension, "suspend"
    return renewal, "end" if ends else "renew"


def run_events(conn: sqlite3.Connection, start: datetime, end: datetime) -> None:
    """Run every renewal and suspension in ``(start, end]``, account by account, in time order."""
    accounts = [
        row[0]
        for row in conn.execute(
            "SELECT a.id FROM accounts a JOIN subscriptions s ON s.account_id = a.id ORDER BY a.seq"
        )
    ]
    for account_id in accounts:
        cursor = start
        while True:
            when, what = _next_event(conn, account_id, cursor)
            if when > end:
                break
            if what == "end":
                lifecycle.end(conn, account_id)
                break
            if what == "suspend":
                conn.execute(
                    "UPDATE accounts SET status = 'suspended' WHERE id = ? AND status = 'past_due'",
                    (account_id,),
                )
            else:
                tz = billing.account(conn, account_id)["billing_timezone"]
                renew(conn, account_id, pricing.billing_today(when, tz), when)
            cursor = when
