"""Invoices: issue one from a pricing preview, charge it to a card, pay it.

Amounts come from :mod:`mktui.core.pricing` previews (one set of billing rules);
this module only records them, in minor units, and moves their status:
``open`` → ``paid`` on a successful charge, ``past_due`` when a renewal
charge fails, ``void`` when a checkout charge fails (checkout creates nothing).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime
from typing import Any

from mktui.sandbox import cards, ledger, nfse
from mktui.sandbox.errors import conflict, invalid, not_found
from mktui.sandbox.store import new_id


def lines_of(preview: Any) -> list[dict[str, Any]]:
    """The preview's lines as contract dicts (amounts in minor units)."""
    return [line.to_wire_dict() for line in preview.lines]


def issue(
    conn: sqlite3.Connection,
    account_id: str,
    kind: str,
    preview: Any,
    *,
    issued_at: datetime,
    due_date: date,
) -> sqlite3.Row:
    """Record an ``open`` invoice with the preview's lines and totals; the new row."""
    seq = conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM invoices").fetchone()[0]
    invoice_id = new_id("inv")
    conn.execute(
        "INSERT INTO invoices (id, account_id, number, kind, status, period_start, period_end, "
        "issued_at, due_date, lines, subtotal, credit_applied, credit_granted, total, currency) "
        "VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            invoice_id,
            account_id,
            f"MK-{seq:06d}",
            kind,
            preview.period_start.isoformat(),
            preview.period_end.isoformat(),
            issued_at.isoformat(),
            due_date.isoformat(),
            json.dumps(lines_of(preview)),
            preview.subtotal.minor,
            preview.credit_applied.minor,
            preview.credit_granted.minor,
            preview.total.minor,
            preview.currency,
        ),
    )
    return get(conn, account_id, invoice_id)


def get(conn: sqlite3.Connection, account_id: str, invoice_id: str) -> sqlite3.Row:
    """The account's invoice, or 404 (another account's invoice is not found either)."""
    row = conn.execute(
        "SELECT * FROM invoices WHERE id = ? AND account_id = ?", (invoice_id, account_id)
    ).fetchone()
    if row is None:
        raise not_found("invoice")
    return row


def payment_method(conn: sqlite3.Connection, account_id: str, pm_id: str | None) -> sqlite3.Row:
    """The named method, or the account's default one; 404 / 422 on ``payment_method_id``."""
    if pm_id is None:
        pm_id = conn.execute(
            "SELECT default_payment_method_id FROM accounts WHERE id = ?", (account_id,)
        ).fetchone()[0]
        if pm_id is None:
            raise invalid(
                "payment_method_id",
                "There is no default payment method; add a card or choose one to pay with.",
            )
    row = conn.execute(
        "SELECT * FROM payment_methods WHERE id = ? AND account_id = ?", (pm_id, account_id)
    ).fetchone()
    if row is None:
        raise not_found("payment method", field="payment_method_id")
    return row


def charge(
    conn: sqlite3.Connection,
    invoice: sqlite3.Row,
    method: sqlite3.Row | None,
    *,
    at: datetime,
    today: date,
) -> str:
    """Try to collect the invoice's total; ``succeeds`` or the failure code (recorded).

    A total of zero (all drawn from credit) is paid without a card. The caller
    writes the ledger's payment row (:func:`record_payment`) after the
    invoice's own rows, so the ledger reads in order.
    """
    if invoice["total"] == 0:
        outcome = cards.SUCCEEDS
    elif method is None:
        outcome = "processing_error"
    else:
        outcome = cards.charge_outcome(
            method["outcome"], method["exp_month"], method["exp_year"], today
        )
    if outcome != cards.SUCCEEDS:
        message = (
            cards.FAILURE_MESSAGES["no_payment_method"]
            if method is None
            else cards.FAILURE_MESSAGES[outcome]
        )
        conn.execute(
            "UPDATE invoices SET attempts = attempts + 1, failure_code = ?, failure_message = ? "
            "WHERE id = ?",
            (outcome, message, invoice["id"]),
        )
        return outcome
    paid_with = (None, None) if invoice["total"] == 0 else (method["brand"], method["last4"])
    conn.execute(
        "UPDATE invoices SET status = 'paid', paid_at = ?, paid_brand = ?, paid_last4 = ?, "
        "attempts = attempts + ?, billed_to = ? WHERE id = ?",
        (
            at.isoformat(),
            *paid_with,
            0 if invoice["total"] == 0 else 1,
            billed_to(conn, invoice["account_id"]),
            invoice["id"],
        ),
    )
    return outcome


def billed_to(conn: sqlite3.Connection, account_id: str) -> str:
    """The billing details in force now (name, tax id, email, address), as the JSON a paid invoice keeps.

    A receipt prints these, not the details edited after the payment.
    """
    row = conn.execute(
        "SELECT name, tax_id, email, address FROM accounts WHERE id = ?", (account_id,)
    ).fetchone()
    return json.dumps(
        {
            "name": row["name"],
            "tax_id": row["tax_id"],
            "email": row["email"],
            "address": json.loads(row["address"]) if row["address"] else None,
        }
    )


def grant_withheld_credit(conn: sqlite3.Connection, invoice: sqlite3.Row, *, at: datetime) -> None:
    """The credit a declined annual renewal withheld, granted (and drawn) now that it is paid.

    A no-op for every invoice whose credit rows were written when it was issued.
    """
    if not invoice["credit_granted"]:
        return
    granted = conn.execute(
        "SELECT 1 FROM ledger WHERE invoice_id = ? AND kind = 'credit_grant'", (invoice["id"],)
    ).fetchone()
    if granted is not None:
        return
    number = invoice["number"]
    ledger.add(
        conn,
        invoice["account_id"],
        "credit_grant",
        f"Annual plan credit, invoice {number}",
        invoice["credit_granted"],
        at=at,
        invoice_id=invoice["id"],
    )
    if invoice["credit_applied"]:
        ledger.add(
            conn,
            invoice["account_id"],
            "credit_use",
            f"Credit applied to invoice {number}",
            invoice["credit_applied"],
            at=at,
            invoice_id=invoice["id"],
        )


def record_payment(
    conn: sqlite3.Connection, invoice: sqlite3.Row, method: sqlite3.Row | None, *, at: datetime
) -> None:
    """The ledger's payment row for a successful card charge (none when credit paid it all).

    The NFS-e of the paid invoice is issued here too, once the account's tax id
    is recorded (an activation records it after the charge).
    """
    grant_withheld_credit(conn, invoice, at=at)
    if invoice["total"] and method is not None:
        ledger.add(
            conn,
            invoice["account_id"],
            "payment",
            f"Payment of invoice {invoice['number']} with {method['brand'].title()} ending {method['last4']}",
            invoice["total"],
            at=at,
            invoice_id=invoice["id"],
        )
    nfse.issue_if_due(conn, invoice["id"], at)


def failure_body(conn: sqlite3.Connection, invoice_id: str) -> dict[str, Any]:
    """The 402 error body for the invoice's last failed charge."""
    row = conn.execute(
        "SELECT failure_code, failure_message FROM invoices WHERE id = ?", (invoice_id,)
    ).fetchone()
    return {"error": {"code": row[0], "message": row[1], "field": None}}


def reactivate_if_settled(conn: sqlite3.Connection, account_id: str) -> None:
    """A past-due or suspended account with no past-due invoice left is active again."""
    left = conn.execute(
        "SELECT count(*) FROM invoices WHERE account_id = ? AND status = 'past_due'", (account_id,)
    ).fetchone()[0]
    if left == 0:
        conn.execute(
            "UPDATE accounts SET status = 'active' WHERE id = ? AND status IN ('past_due', 'suspended')",
            (account_id,),
        )


def pay(
    conn: sqlite3.Connection,
    account_id: str,
    invoice_id: str,
    pm_id: str | None,
    *,
    at: datetime,
    today: date,
) -> tuple[int, Any]:
    """Pay an open or past-due invoice: (200, invoice) or (402, error) with the attempt recorded."""
    from mktui.sandbox.views import invoice_view

    invoice = get(conn, account_id, invoice_id)
    if invoice["status"] in ("paid", "void"):
        raise conflict(
            "invoice_not_payable",
            f"Invoice {invoice['number']} is {invoice['status']}; there is nothing to pay.",
        )
    method = payment_method(conn, account_id, pm_id)
    outcome = charge(conn, invoice, method, at=at, today=today)
    if outcome != cards.SUCCEEDS:
        return 402, failure_body(conn, invoice_id)
    record_payment(conn, invoice, method, at=at)
    reactivate_if_settled(conn, account_id)
    return 200, invoice_view(get(conn, account_id, invoice_id))


def unpaid_summary(conn: sqlite3.Connection, account_id: str) -> dict[str, dict[str, int]]:
    """``open`` and ``overdue``: the count and total (minor units) of the account's unpaid invoices.

    One grouped query over the ``invoices_status`` index (only the unpaid rows are
    read), so the hub never downloads invoice lists to count them.
    """
    found = {
        status: {"count": count, "total": total}
        for status, count, total in conn.execute(
            "SELECT status, count(*), coalesce(sum(total), 0) FROM invoices "
            "INDEXED BY invoices_status "
            "WHERE account_id = ? AND status IN ('open', 'past_due') GROUP BY status",
            (account_id,),
        )
    }
    empty = {"count": 0, "total": 0}
    return {"open": found.get("open", empty), "overdue": found.get("past_due", empty)}
