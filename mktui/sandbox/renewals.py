"""What the test clock runs when it moves: renewals on each 1st, then suspensions.

For every subscribed account, events are taken in time order between the old
and the new clock: at local midnight of each 1st a renewal invoice for the
month (scheduled device decreases take effect first; credit is drawn first;
the rest is charged to the default card), and at local midnight of the 31st
day after the oldest past-due invoice's due date the account is suspended.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from mktui.core import pricing
from mktui.core.money import Money
from mktui.sandbox import billing, cards, invoices

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


def renew(conn: sqlite3.Connection, account_id: str, period_start: date, at: datetime) -> None:
    """Issue and charge the renewal invoice of the month starting ``period_start``."""
    sub = billing.subscription(conn, account_id)
    if sub["scheduled_devices"] is not None:
        conn.execute(
            "UPDATE subscriptions SET devices = scheduled_devices, scheduled_devices = NULL "
            "WHERE account_id = ?",
            (account_id,),
        )
        sub = billing.subscription(conn, account_id)
    acct = billing.account(conn, account_id)
    quote = pricing.preview_renewal(
        currency=sub["currency"],
        devices=sub["devices"],
        period_start=period_start,
        credit_available=Money.from_minor(acct["credit_balance"], sub["currency"]),
    )
    invoice = invoices.issue(
        conn, account_id, "renewal", quote, issued_at=at, due_date=period_start
    )
    billing.record_invoice_rows(conn, invoice, quote, at)
    conn.execute(
        "UPDATE subscriptions SET current_period_start = ?, current_period_end = ? WHERE account_id = ?",
        (quote.period_start.isoformat(), quote.period_end.isoformat(), account_id),
    )
    method = None
    if acct["default_payment_method_id"] is not None:
        method = invoices.payment_method(conn, account_id, acct["default_payment_method_id"])
    if invoices.charge(conn, invoice, method, at=at, today=period_start) == cards.SUCCEEDS:
        invoices.record_payment(conn, invoice, method, at=at)
        return
    conn.execute("UPDATE invoices SET status = 'past_due' WHERE id = ?", (invoice["id"],))
    conn.execute(
        "UPDATE accounts SET status = 'past_due' WHERE id = ? AND status = 'active'", (account_id,)
    )


def _next_event(conn: sqlite3.Connection, account_id: str, after: datetime) -> tuple[datetime, str]:
    """The account's next event not yet run at ``after``: (when, "renew" | "suspend")."""
    acct = billing.account(conn, account_id)
    tz = acct["billing_timezone"]
    # From the subscription's own period, not from ``after``: a renewal falling on the
    # same instant as a suspension is still due after it.
    period_start = date.fromisoformat(
        billing.subscription(conn, account_id)["current_period_start"]
    )
    renewal = _midnight(pricing.next_first(period_start), tz)
    oldest = _oldest_past_due(conn, account_id)
    if acct["status"] == "past_due" and oldest is not None:
        suspension = _midnight(oldest + timedelta(days=SUSPEND_AFTER_DAYS + 1), tz)
        # Already overdue (e.g. a clock moved before this rule ran): suspend right away.
        suspension = max(suspension, after)
        if suspension <= renewal:
            return suspension, "suspend"
    return renewal, "renew"


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
            if what == "suspend":
                conn.execute(
                    "UPDATE accounts SET status = 'suspended' WHERE id = ? AND status = 'past_due'",
                    (account_id,),
                )
            else:
                tz = billing.account(conn, account_id)["billing_timezone"]
                renew(conn, account_id, pricing.billing_today(when, tz), when)
            cursor = when
