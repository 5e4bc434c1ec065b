"""Billing details: PATCH /v1/account (legal name, CPF/CNPJ, address).

A BRL account keeps a valid tax id (it is on every fiscal document); a USD
account has none. The address is checked by :mod:`mktui.core.address` (CEP
and UF for Brazil), the same checks the console's form runs as the admin
types. Receipts print the details in force when each invoice was paid
(``invoices.billed_to``), so an edit never rewrites a past receipt.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from mktui.core import address, taxid
from mktui.sandbox import billing, invoices
from mktui.sandbox.errors import invalid


def _tax_id(acct: sqlite3.Row, given: str) -> str | None:
    currency = acct["currency"]
    if not given.strip():
        if currency == "BRL":
            raise invalid(
                "tax_id",
                "CPF or CNPJ is required for BRL billing (for the fiscal documents); type it.",
            )
        return None
    if currency not in (None, "BRL"):
        raise invalid(
            "tax_id", f"CPF or CNPJ does not apply to {currency} billing; leave it empty."
        )
    try:
        return taxid.validate(given).compact
    except taxid.TaxIdError as error:
        raise invalid("tax_id", error.sentence) from None


def _address(data: dict[str, Any]) -> str:
    try:
        checked = address.check_address(data)
    except address.AddressError as error:
        raise invalid(f"address.{error.field}", error.sentence) from None
    return json.dumps(checked.to_dict())


def update(conn: sqlite3.Connection, account_id: str, body: Any, now: datetime) -> tuple[int, Any]:
    """Change the fields given; every one is checked before any is written."""
    from mktui.sandbox.views import account_view

    acct = billing.account(conn, account_id)
    changes: dict[str, Any] = {}
    if body.name is not None:
        changes["name"] = body.name
    if body.tax_id is not None:
        changes["tax_id"] = _tax_id(acct, body.tax_id)
    if body.address is not None:
        changes["address"] = _address(body.address.model_dump())
    if not changes:
        raise invalid(None, "Send at least one of name, tax_id or address to change.")
    # The column names come from the fixed keys above, never from the request.
    assignments = ", ".join(f"{column} = ?" for column in changes)
    conn.execute(
        f"UPDATE accounts SET {assignments} WHERE id = ?",  # noqa: S608
        (*changes.values(), account_id),
    )
    return 200, account_view(
        billing.account(conn, account_id),
        billing.subscription(conn, account_id),
        now,
        invoices.unpaid_summary(conn, account_id),
    )
