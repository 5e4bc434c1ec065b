"""Rows to contract bodies: each view returns the JSON dict of one models.py resource."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import date, datetime
from typing import Any

from mktui.sandbox.nfse import view as nfse_view


def account_view(
    acct: sqlite3.Row,
    sub: sqlite3.Row | None,
    now: datetime,
    unpaid: dict[str, dict[str, int]] | None = None,
) -> dict[str, Any]:
    """``Account``: the account, its quota and credit, its unpaid summary and the server's now.

    ``unpaid`` is :func:`mktui.sandbox.invoices.unpaid_summary` (``open`` and ``overdue``).
    """
    return {
        "id": acct["id"],
        "name": acct["name"],
        "email": acct["email"],
        "status": acct["status"],
        "plan": sub["plan"] if sub else None,
        "currency": acct["currency"],
        "tax_id": acct["tax_id"],
        "billing_timezone": acct["billing_timezone"],
        "device_quota": sub["devices"] if sub else 0,
        "devices_in_use": acct["devices_in_use"],
        "credit_balance": acct["credit_balance"],
        "default_payment_method_id": acct["default_payment_method_id"],
        "address": json.loads(acct["address"]) if acct["address"] else None,
        "now": now.isoformat(),
        **(unpaid or {}),
    }


_SUB_STATUS = {
    "active": "active",
    "past_due": "past_due",
    "suspended": "suspended",
    "inactive": "canceled",
}


def subscription_view(sub: sqlite3.Row, acct: sqlite3.Row) -> dict[str, Any]:
    """``Subscription``: its status follows the account's."""
    return {
        "plan": sub["plan"],
        "currency": sub["currency"],
        "devices": sub["devices"],
        "scheduled_devices": sub["scheduled_devices"],
        "current_period_start": sub["current_period_start"],
        "current_period_end": sub["current_period_end"],
        "status": _SUB_STATUS[acct["status"]],
        "cancel_at": sub["cancel_at"],
        "scheduled_plan": sub["scheduled_plan"],
        "annual_renewal_date": _annual_renewal(sub),
    }


def _annual_renewal(sub: sqlite3.Row) -> str | None:
    """The anniversary 1st of an annual plan that is not being switched or canceled."""
    from mktui.core.pricing_lifecycle import annual_renewal_date

    if sub["plan"] != "annual" or sub["annual_since"] is None:
        return None
    if sub["scheduled_plan"] not in (None, "annual") or sub["cancel_at"] is not None:
        return None  # no anniversary purchase comes: the plan ends or turns monthly first
    return annual_renewal_date(date.fromisoformat(sub["annual_since"])).isoformat()


def invoice_view(row: sqlite3.Row) -> dict[str, Any]:
    """``Invoice``: ``amount_due`` is the total until it is paid (0 once paid or void)."""
    unpaid = row["status"] in ("open", "past_due")
    return {
        "id": row["id"],
        "number": row["number"],
        "status": row["status"],
        "period_start": row["period_start"],
        "period_end": row["period_end"],
        "issued_at": row["issued_at"],
        "due_date": row["due_date"],
        "lines": json.loads(row["lines"]),
        "subtotal": row["subtotal"],
        "credit_applied": row["credit_applied"],
        "credit_granted": row["credit_granted"],
        "total": row["total"],
        "amount_due": row["total"] if unpaid else 0,
        "currency": row["currency"],
        "attempts": row["attempts"],
        "last_failure": (
            {"code": row["failure_code"], "message": row["failure_message"]}
            if row["failure_code"]
            else None
        ),
        "paid_at": row["paid_at"],
        "paid_with": _paid_with(row),
        "nfse": nfse_view(row),
    }


def _paid_with(row: sqlite3.Row) -> dict[str, Any] | None:
    """``PaidWith``: the card's brand and last 4, or ``{method: pix, txid}``; None for credit."""
    if row["paid_method"] == "pix":
        return {"method": "pix", "txid": row["paid_txid"]}
    if row["paid_brand"]:
        return {"brand": row["paid_brand"], "last4": row["paid_last4"]}
    return None


def payment_method_view(row: sqlite3.Row, default_id: str | None) -> dict[str, Any]:
    """``PaymentMethod``: brand, last 4 and expiry only."""
    return {
        "id": row["id"],
        "brand": row["brand"],
        "last4": row["last4"],
        "exp_month": row["exp_month"],
        "exp_year": row["exp_year"],
        "holder_name": row["holder_name"],
        "is_default": row["id"] == default_id,
    }


def contact_view(row: sqlite3.Row) -> dict[str, Any]:
    """``FinancialContact``."""
    return {"id": row["id"], "name": row["name"], "email": row["email"]}


def ledger_view(row: sqlite3.Row) -> dict[str, Any]:
    """``LedgerEntry``."""
    return {
        "id": row["id"],
        "at": row["at"],
        "kind": row["kind"],
        "description": row["description"],
        "amount": row["amount"],
        "balance_after": row["balance_after"],
        "invoice_id": row["invoice_id"],
    }


def quote_of(preview: Any) -> str:
    """The ``quote`` of a preview: a digest of everything the charge depends on.

    Lines (prices, quantities, days), subtotal, credit applied and granted, the
    period, ``effective`` (the billing date) and the next renewal: if any of
    them differs between the preview and the write, so does the quote.
    """
    canonical = json.dumps(preview.to_wire_dict(), sort_keys=True, separators=(",", ":"))
    return "q1_" + hashlib.sha256(canonical.encode()).hexdigest()[:40]


def preview_view(quote: Any) -> dict[str, Any]:
    """``Preview`` from a :class:`mktui.core.pricing.Preview` (pricing owns its wire form),
    with its ``quote``."""
    return quote.to_wire_dict() | {"quote": quote_of(quote)}
