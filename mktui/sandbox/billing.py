"""Subscribe, change devices and preview: the rules come from :mod:`mktui.core.pricing`.

This module never computes an amount itself; it asks pricing for a preview,
compares its total with the client's ``expected_total`` (so nothing is charged
that the admin did not see), records the invoice and charges it.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from typing import Any

from mktui.core import pricing
from mktui.core.dates import format_month
from mktui.core.money import Money
from mktui.sandbox import cards, invoices, ledger
from mktui.sandbox.errors import ApiFailure, conflict, invalid, not_found
from mktui.sandbox.views import preview_view, quote_of


def account(conn: sqlite3.Connection, account_id: str) -> sqlite3.Row:
    """The caller's account row."""
    row = conn.execute("SELECT * FROM accounts WHERE id = ?", (account_id,)).fetchone()
    if row is None:
        raise not_found("account")
    return row


def subscription(conn: sqlite3.Connection, account_id: str) -> sqlite3.Row | None:
    """The account's subscription row, or None."""
    return conn.execute(
        "SELECT * FROM subscriptions WHERE account_id = ?", (account_id,)
    ).fetchone()


def today_of(acct: sqlite3.Row, now: datetime) -> date:
    """The account's calendar date at ``now``, in its billing time zone."""
    return pricing.billing_today(now, acct["billing_timezone"])


def _priced(call: Any, **kwargs: Any) -> Any:
    """Call a pricing function; its refusals become 422 naming the field."""
    try:
        return call(**kwargs)
    except pricing.PricingError as exc:
        raise invalid(exc.field, exc.sentence) from None


def _credit(acct: sqlite3.Row, currency: str) -> Money:
    return Money.from_minor(acct["credit_balance"], currency)


def _check_in_use(acct: sqlite3.Row, devices: int) -> None:
    if devices < acct["devices_in_use"]:
        raise invalid(
            "devices",
            f"{acct['devices_in_use']} devices are in use; remove some from MKController "
            "before lowering the quota below that.",
        )


def preview(conn: sqlite3.Connection, account_id: str, body: Any, now: datetime) -> Any:
    """The pricing preview for a new subscription or a change of devices."""
    acct = account(conn, account_id)
    today = today_of(acct, now)
    if body.at is not None:
        if body.at < today:
            raise invalid("at", f"Preview a date from today ({today.isoformat()}) on.")
        if (body.at - today).days > 366:
            raise invalid("at", "Preview a date within the next year.")
        today = body.at
    sub = subscription(conn, account_id)
    if body.devices is None:
        raise invalid(
            "devices",
            "Say how many devices to preview"
            + (" (or a plan to switch to)." if sub is not None else "."),
        )
    if sub is None:
        if body.currency is None:
            raise invalid("currency", "Choose a currency (BRL or USD) for the new subscription.")
        if body.plan is None:
            raise invalid("plan", "Choose a plan (monthly or annual) for the new subscription.")
        return _priced(
            pricing.preview_activation,
            currency=body.currency,
            plan=body.plan,
            devices=body.devices,
            today=today,
            tax_id=body.tax_id,
        )
    if body.currency not in (None, sub["currency"]) or body.plan not in (None, sub["plan"]):
        raise invalid(
            "currency" if body.currency not in (None, sub["currency"]) else "plan",
            "The subscription exists: only the number of devices can change here.",
        )
    _check_in_use(acct, body.devices)
    return _change_quote(acct, sub, body.devices, today)


def _change_quote(acct: sqlite3.Row, sub: sqlite3.Row, devices: int, today: date) -> Any:
    """The price of a change of devices; on an annual plan whose next 1st is its anniversary,
    that renewal is the new annual purchase (api.md, Additions), not a month."""
    from mktui.core import pricing_lifecycle

    quote = _priced(
        pricing.preview_change,
        currency=sub["currency"],
        current_devices=sub["devices"],
        new_devices=devices,
        today=today,
        credit_available=_credit(acct, sub["currency"]),
    )
    yearly = sub["plan"] == "annual" and sub["scheduled_plan"] is None and sub["annual_since"]
    renews_on = (
        pricing_lifecycle.annual_renewal_date(date.fromisoformat(sub["annual_since"]))
        if yearly
        else None
    )
    return pricing_lifecycle.with_yearly_renewal(quote, renews_on=renews_on, devices=devices)


def check_expected(expected: int, expected_quote: str | None, quote: Any) -> None:
    """409 ``price_changed`` (with the new preview) unless the write matches what was previewed.

    ``expected_total`` alone missed a preview taken at 23:59:59 and paid after
    midnight on the annual plan: the card total stayed, the credit drawn moved.
    ``expected_quote`` locks all of it; a client that sends none is held to the total.
    """
    if quote.total.minor != expected:
        message = (
            f"The amount due is now {quote.total.format('en_US')} (expected_total "
            f"{quote.total.minor}), not what was previewed; review the new preview and "
            "confirm again."
        )
        field = "expected_total"
    elif expected_quote is not None and expected_quote != quote_of(quote):
        message = (
            "The charge is no longer what was previewed (the credit drawn, the period or the "
            "prices changed); review the new preview and confirm again."
        )
        field = "expected_quote"
    else:
        return
    raise ApiFailure(
        409, "price_changed", message, field=field, extra={"preview": preview_view(quote)}
    )


def _check_expected(body: Any, quote: Any) -> None:
    check_expected(body.expected_total, getattr(body, "expected_quote", None), quote)


def record_invoice_rows(
    conn: sqlite3.Connection,
    invoice: sqlite3.Row,
    quote: Any,
    at: datetime,
    *,
    what: str | None = None,
    credit: bool = True,
) -> None:
    """Ledger rows of an issued invoice: the card charge, then credit granted and used.

    *what* names the charge when the invoice's kind alone does not (a plan switch).
    With ``credit=False`` only the charge is written: a declined annual purchase
    grants nothing until it is paid (:func:`invoices.grant_withheld_credit`).
    """
    account_id, number = invoice["account_id"], invoice["number"]
    what = (
        what
        or {
            "activation": "Subscription activated",
            "change": "Devices added",
            "renewal": f"Renewal for {format_month(date.fromisoformat(invoice['period_start']))}",
        }[invoice["kind"]]
    )
    rows = (
        ("charge", f"{what}, invoice {number}", quote.total),
        ("credit_grant", f"Annual plan credit, invoice {number}", quote.credit_granted),
        ("credit_use", f"Credit applied to invoice {number}", quote.credit_applied),
    )
    for kind, description, amount in rows if credit else rows[:1]:
        if amount.minor:
            ledger.add(
                conn, account_id, kind, description, amount.minor, at=at, invoice_id=invoice["id"]
            )


def _void(conn: sqlite3.Connection, invoice_id: str) -> tuple[int, Any]:
    conn.execute("UPDATE invoices SET status = 'void' WHERE id = ?", (invoice_id,))
    return 402, invoices.failure_body(conn, invoice_id)


def subscribe(
    conn: sqlite3.Connection, account_id: str, body: Any, now: datetime
) -> tuple[int, Any]:
    """Activate: charge the pro-rated first invoice; active at once, or 402 creating nothing."""
    from mktui.sandbox.views import invoice_view, subscription_view

    acct = account(conn, account_id)
    if subscription(conn, account_id) is not None or acct["status"] != "inactive":
        raise conflict(
            "conflict", "This account already has a subscription; change its devices instead."
        )
    if acct["currency"] is not None and body.currency != acct["currency"]:
        raise invalid(
            "currency",
            f"This account is billed in {acct['currency']}; the currency never changes "
            "after the first invoice.",
        )
    method = invoices.payment_method(conn, account_id, body.payment_method_id)
    today = today_of(acct, now)
    quote = _priced(
        pricing.preview_activation,
        currency=body.currency,
        plan=body.plan,
        devices=body.devices,
        today=today,
        tax_id=body.tax_id,
    )
    tax_id = _priced(pricing.check_tax_id_for_currency, currency=body.currency, tax_id=body.tax_id)
    _check_expected(body, quote)
    invoice = invoices.issue(conn, account_id, "activation", quote, issued_at=now, due_date=today)
    if invoices.charge(conn, invoice, method, at=now, today=today) != cards.SUCCEEDS:
        return _void(conn, invoice["id"])
    conn.execute(
        "INSERT INTO subscriptions (account_id, plan, currency, devices, current_period_start, "
        "current_period_end, annual_since) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            account_id,
            body.plan,
            body.currency,
            body.devices,
            quote.period_start.isoformat(),
            quote.period_end.isoformat(),
            today.isoformat() if body.plan == "annual" else None,
        ),
    )
    conn.execute(
        "UPDATE accounts SET status = 'active', currency = ?, tax_id = ?, "
        "default_payment_method_id = coalesce(default_payment_method_id, ?) WHERE id = ?",
        (body.currency, tax_id, method["id"], account_id),
    )
    record_invoice_rows(conn, invoice, quote, now)
    invoices.record_payment(conn, invoice, method, at=now)
    return 200, {
        "subscription": subscription_view(
            subscription(conn, account_id), account(conn, account_id)
        ),
        "invoice": invoice_view(invoices.get(conn, account_id, invoice["id"])),
    }


def _cancel_scheduled(conn: sqlite3.Connection, account_id: str, expected: int) -> tuple[int, Any]:
    """Back to the current number while a decrease is scheduled: the decrease is dropped."""
    from mktui.sandbox.views import subscription_view

    if expected != 0:
        raise ApiFailure(
            409,
            "price_changed",
            "Keeping the current number of devices charges nothing (expected_total 0); "
            "review and confirm again.",
            field="expected_total",
        )
    conn.execute(
        "UPDATE subscriptions SET scheduled_devices = NULL WHERE account_id = ?", (account_id,)
    )
    sub = subscription(conn, account_id)
    return 200, {"subscription": subscription_view(sub, account(conn, account_id)), "invoice": None}


def change_devices(
    conn: sqlite3.Connection, account_id: str, body: Any, now: datetime
) -> tuple[int, Any]:
    """More devices: a pro-rated invoice charged now; fewer: scheduled for the next 1st."""
    from mktui.sandbox.views import invoice_view, subscription_view

    acct = account(conn, account_id)
    sub = subscription(conn, account_id)
    if sub is None:
        raise not_found("subscription")
    if acct["status"] == "suspended":
        raise conflict("conflict", "The account is suspended; pay the overdue invoices first.")
    _check_in_use(acct, body.devices)
    if body.devices == sub["devices"] and sub["scheduled_devices"] is not None:
        return _cancel_scheduled(conn, account_id, body.expected_total)
    today = today_of(acct, now)
    quote = _change_quote(acct, sub, body.devices, today)
    _check_expected(body, quote)
    invoice_row = None
    if body.devices > sub["devices"]:
        method = None
        if quote.total.minor:
            method = invoices.payment_method(conn, account_id, None)
        invoice_row = invoices.issue(
            conn, account_id, "change", quote, issued_at=now, due_date=today
        )
        if invoices.charge(conn, invoice_row, method, at=now, today=today) != cards.SUCCEEDS:
            return _void(conn, invoice_row["id"])
        record_invoice_rows(conn, invoice_row, quote, now)
        invoices.record_payment(conn, invoice_row, method, at=now)
        conn.execute(
            "UPDATE subscriptions SET devices = ?, scheduled_devices = NULL WHERE account_id = ?",
            (body.devices, account_id),
        )
    else:
        conn.execute(
            "UPDATE subscriptions SET scheduled_devices = ? WHERE account_id = ?",
            (body.devices, account_id),
        )
    return 200, {
        "subscription": subscription_view(
            subscription(conn, account_id), account(conn, account_id)
        ),
        "invoice": None
        if invoice_row is None
        else invoice_view(invoices.get(conn, account_id, invoice_row["id"])),
    }
