"""Ledger rows: charges, payments, credit grants and uses, refunds.

``amount`` is signed: credit_grant is positive, credit_use negative; charge,
payment and refund carry the card amount. ``balance_after`` is the account's
credit balance after the row, moved only by credit_grant and credit_use, so
it always equals the running sum of the credit rows.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from mktui.sandbox.store import new_id

_CREDIT_KINDS = {"credit_grant": 1, "credit_use": -1}


def add(
    conn: sqlite3.Connection,
    account_id: str,
    kind: str,
    description: str,
    amount: int,
    *,
    at: datetime,
    invoice_id: str | None = None,
) -> None:
    """Append a ledger row; credit rows move the account's credit balance by ``amount``.

    For credit rows pass the magnitude: the sign follows from ``kind``.
    """
    if kind in _CREDIT_KINDS:
        amount = _CREDIT_KINDS[kind] * abs(amount)
        conn.execute(
            "UPDATE accounts SET credit_balance = credit_balance + ? WHERE id = ?",
            (amount, account_id),
        )
    balance = conn.execute(
        "SELECT credit_balance FROM accounts WHERE id = ?", (account_id,)
    ).fetchone()[0]
    conn.execute(
        "INSERT INTO ledger (id, account_id, at, kind, description, amount, balance_after, invoice_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (new_id("txn"), account_id, at.isoformat(), kind, description, amount, balance, invoice_id),
    )
