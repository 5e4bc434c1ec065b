"""Pix charges for invoices, and the simulated bank that pays them.

``POST /v1/invoices/{id}/pix`` makes a one-off charge for the invoice's amount
due: a txid and its BR Code ("copia e cola"), live for 30 minutes of the test
clock. Asking again while one is live answers the same charge, so two
consoles (or a double press) never show two codes for one invoice.

``POST /sandbox/pix/{txid}/pay`` is the payer's bank: it pays a live charge,
which pays the invoice (``paid_with: {method: pix, txid}``), writes one
payment row to the ledger, makes a past-due account active again when nothing
else is overdue, and issues the NFS-e — as a card payment does.
"""

from __future__ import annotations

import secrets
import sqlite3
from datetime import datetime, timedelta
from typing import Any

from mktui.core import brcode
from mktui.sandbox import invoices, ledger, nfse
from mktui.sandbox.errors import ApiFailure, conflict, not_found

LIFETIME = timedelta(minutes=30)
"""How long a Pix charge can be paid."""

MERCHANT_NAME = "MKController"
MERCHANT_CITY = "Sao Paulo"
PIX_KEY = nfse.ISSUER_CNPJ
"""The receiver's Pix key: MKController's CNPJ."""


def new_txid() -> str:
    """A fresh txid: 20 capitals and digits (72 random bits).

    Shorter than the 25 field 62-05 allows so the charge's QR code stays at
    version 6 (41 modules) with error correction M: it fits an 80×24 terminal.
    """
    return "MK" + secrets.token_hex(9).upper()


def charge_view(row: sqlite3.Row, now: datetime) -> dict[str, Any]:
    """``PixCharge``: the charge with its state at ``now``."""
    if row["paid_at"] is not None:
        status = "paid"
    elif now >= datetime.fromisoformat(row["expires_at"]):
        status = "expired"
    else:
        status = "active"
    return {
        "txid": row["txid"],
        "br_code": row["br_code"],
        "expires_at": row["expires_at"],
        "amount": row["amount"],
        "status": status,
        "invoice_id": row["invoice_id"],
    }


def _unavailable(invoice: sqlite3.Row) -> ApiFailure:
    return conflict(
        "pix_unavailable",
        f"Pix is only for invoices in reais (BRL); invoice {invoice['number']} is in "
        f"{invoice['currency']}. Pay it with a card instead.",
    )


def create(
    conn: sqlite3.Connection, account_id: str, invoice_id: str, now: datetime
) -> dict[str, Any]:
    """The live Pix charge of an open or past-due BRL invoice: the one already live, or a new one."""
    invoice = invoices.get(conn, account_id, invoice_id)
    if invoice["currency"] != "BRL":
        raise _unavailable(invoice)
    if invoice["status"] not in ("open", "past_due") or invoice["total"] <= 0:
        raise conflict(
            "invoice_not_payable",
            f"Invoice {invoice['number']} is {invoice['status'].replace('_', ' ')}; "
            "there is nothing to pay.",
        )
    live = conn.execute(
        "SELECT * FROM pix_charges WHERE invoice_id = ? AND paid_at IS NULL ORDER BY seq DESC LIMIT 1",
        (invoice_id,),
    ).fetchone()
    if (
        live is not None
        and live["amount"] == invoice["total"]
        and now < datetime.fromisoformat(live["expires_at"])
    ):
        return charge_view(live, now)
    txid = new_txid()
    code = brcode.build_pix(
        key=PIX_KEY,
        amount_minor=invoice["total"],
        merchant_name=MERCHANT_NAME,
        merchant_city=MERCHANT_CITY,
        txid=txid,
    )
    conn.execute(
        "INSERT INTO pix_charges (txid, account_id, invoice_id, br_code, amount, created_at, "
        "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            txid,
            account_id,
            invoice_id,
            code,
            invoice["total"],
            now.isoformat(),
            (now + LIFETIME).isoformat(),
        ),
    )
    row = conn.execute("SELECT * FROM pix_charges WHERE txid = ?", (txid,)).fetchone()
    return charge_view(row, now)


def pay(conn: sqlite3.Connection, txid: str, now: datetime) -> dict[str, Any]:
    """The bank pays the Pix ``txid``: the invoice is paid, the ledger and account follow."""
    charge = conn.execute("SELECT * FROM pix_charges WHERE txid = ?", (txid,)).fetchone()
    if charge is None:
        raise not_found("Pix charge")
    if charge["paid_at"] is not None:
        raise conflict("pix_not_payable", f"This Pix was already paid at {charge['paid_at']}.")
    if now >= datetime.fromisoformat(charge["expires_at"]):
        raise conflict(
            "pix_expired",
            f"This Pix expired at {charge['expires_at']}; ask the console for a new one.",
        )
    invoice = invoices.get(conn, charge["account_id"], charge["invoice_id"])
    if invoice["status"] not in ("open", "past_due") or invoice["total"] != charge["amount"]:
        raise conflict(
            "pix_not_payable",
            f"Invoice {invoice['number']} is {invoice['status'].replace('_', ' ')}; "
            "the bank refuses this Pix and nothing is charged.",
        )
    conn.execute(
        "UPDATE invoices SET status = 'paid', paid_at = ?, paid_method = 'pix', paid_txid = ?, "
        "paid_brand = NULL, paid_last4 = NULL, attempts = attempts + 1 WHERE id = ?",
        (now.isoformat(), txid, invoice["id"]),
    )
    conn.execute("UPDATE pix_charges SET paid_at = ? WHERE txid = ?", (now.isoformat(), txid))
    invoices.grant_withheld_credit(conn, invoice, at=now)
    ledger.add(
        conn,
        invoice["account_id"],
        "payment",
        f"Payment of invoice {invoice['number']} by Pix (txid {txid})",
        invoice["total"],
        at=now,
        invoice_id=invoice["id"],
    )
    invoices.reactivate_if_settled(conn, invoice["account_id"])
    nfse.issue_if_due(conn, invoice["id"], now)
    paid = conn.execute("SELECT * FROM pix_charges WHERE txid = ?", (txid,)).fetchone()
    return charge_view(paid, now)
