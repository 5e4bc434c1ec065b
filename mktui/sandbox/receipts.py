"""Receipt PDFs (fpdf2), generated on request for paid invoices.

The core Helvetica font only knows Latin-1, so text is folded into it:
accents of Latin-1 stay (São Paulo), other letters lose their marks
(Łódź → Lódz) and what has no Latin form becomes ``?`` — a name never crashes
the receipt.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from datetime import date, datetime
from typing import Any

from mktui.core import address, dates, taxid
from mktui.core.money import Money

_LOCALE = {"BRL": "pt_BR", "USD": "en_US"}

# Letters and signs NFKD does not take apart, folded by hand.
_FOLD = str.maketrans(
    {
        "Ł": "L",
        "ł": "l",
        "Đ": "D",
        "đ": "d",
        "Œ": "OE",
        "œ": "oe",
        "ı": "i",
        "Ħ": "H",
        "ħ": "h",
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "…": "...",
        "€": "EUR",
    }
)


def latin1(text: str) -> str:
    """``text`` with every character the core fonts cannot draw folded or replaced."""
    out = []
    for char in text.translate(_FOLD):
        if char.isprintable() and char.encode("latin-1", "ignore"):
            out.append(char)
            continue
        folded = "".join(
            c
            for c in unicodedata.normalize("NFKD", char)
            if not unicodedata.combining(c) and c.encode("latin-1", "ignore") and c.isprintable()
        )
        out.append(folded or ("" if not char.isprintable() else "?"))
    return "".join(out)


def _zone(account: sqlite3.Row) -> str:
    """The account's billing time zone: every date on a receipt is read in it."""
    return account["billing_timezone"]


def _moment(stored: str) -> datetime:
    """A stored ISO moment, aware (the store keeps UTC)."""
    from datetime import UTC

    at = datetime.fromisoformat(stored)
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _money(minor: int, currency: str) -> str:
    return latin1(Money.from_minor(minor, currency).format(_LOCALE.get(currency, "en_US")))


def _tax_id(value: str | None) -> str:
    if not value:
        return "-"
    try:
        return taxid.format(value)
    except ValueError:
        return value


def _payer(invoice: sqlite3.Row, account: sqlite3.Row) -> dict[str, Any]:
    """Who is billed: the details kept when the invoice was paid, else the account's current ones."""
    kept = invoice["billed_to"] if "billed_to" in invoice.keys() else None
    if kept:
        return json.loads(kept)
    return {
        "name": account["name"],
        "tax_id": account["tax_id"],
        "email": account["email"],
        "address": json.loads(account["address"]) if account["address"] else None,
    }


def _address_lines(data: dict[str, Any] | None) -> list[str]:
    if not data:
        return []
    try:
        return address.check_address(data).lines()
    except address.AddressError:
        return [str(value) for value in data.values() if value]


def _document(
    invoice: sqlite3.Row,
    account: sqlite3.Row,
    *,
    title: str,
    heading: str,
    facts: list[tuple[str, str]],
    totals: list[tuple[str, int]],
) -> bytes:
    from fpdf import FPDF

    currency = invoice["currency"]
    zone = _zone(account)
    payer = _payer(invoice, account)
    pdf = FPDF(format="A4")
    pdf.set_title(latin1(title))
    pdf.set_creator("mktui sandbox")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 10, heading, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    rows = [
        ("Invoice", invoice["number"]),
        ("Issued", dates.format_day_of(_moment(invoice["issued_at"]), zone)),
        ("Due", dates.format_date(date.fromisoformat(invoice["due_date"]))),
        (
            "Period",
            dates.format_period(
                date.fromisoformat(invoice["period_start"]),
                date.fromisoformat(invoice["period_end"]),
            ),
        ),
        *facts,
        ("Payer", payer["name"]),
        ("CPF/CNPJ", _tax_id(payer["tax_id"])),
        ("Email", payer["email"]),
    ]
    rows += [
        ("Address" if i == 0 else "", line)
        for i, line in enumerate(_address_lines(payer.get("address")))
    ]
    for label, value in rows:
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(35, 6, label)
        pdf.set_font("Helvetica", "", 10)
        pdf.cell(0, 6, latin1(str(value)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    with pdf.table(
        col_widths=(80, 20, 35, 20, 35), text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT")
    ) as table:
        table.row(["Description", "Qty", "Unit", "Days", "Amount"])
        for line in json.loads(invoice["lines"]):
            days = f"{line['days']}/{line['days_in_period']}" if line.get("days") else "-"
            table.row(
                [
                    latin1(line["description"]),
                    str(line["quantity"]),
                    _money(line["unit_amount"], currency),
                    days,
                    _money(line["amount"], currency),
                ]
            )
    pdf.ln(4)
    last = totals[-1][0]
    for label, amount in totals:
        pdf.set_font("Helvetica", "B" if label == last else "", 11)
        pdf.cell(155, 7, label, align="R")
        pdf.cell(35, 7, _money(amount, currency), align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _subtotals(invoice: sqlite3.Row) -> list[tuple[str, int]]:
    totals = [("Subtotal", invoice["subtotal"]), ("Credit applied", -invoice["credit_applied"])]
    if invoice["credit_granted"]:
        totals.append(("Credit granted", invoice["credit_granted"]))
    return totals


def render(invoice: sqlite3.Row, account: sqlite3.Row) -> bytes:
    """The receipt of a paid invoice as PDF bytes, with the payer's details as they were when paid."""
    paid_at = datetime.fromisoformat(invoice["paid_at"])
    if invoice["paid_method"] == "pix":
        paid_with = f"Pix, txid {invoice['paid_txid']}"
    elif invoice["paid_brand"]:
        paid_with = f"{invoice['paid_brand'].title()} ending {invoice['paid_last4']}"
    else:
        paid_with = "account credit"
    zone = _zone(account)
    facts = [("Paid", dates.format_moment(paid_at, zone)), ("Paid with", paid_with)]
    if invoice["nfse_number"]:
        facts.append(
            ("NFS-e", f"{invoice['nfse_number']}, verification code {invoice['nfse_code']}")
        )
    return _document(
        invoice,
        account,
        title=f"Receipt {invoice['number']}",
        heading="MKController - Payment receipt",
        facts=facts,
        totals=[*_subtotals(invoice), ("Total paid", invoice["total"])],
    )


_STATES = {"open": "Open", "past_due": "Past due", "paid": "Paid", "void": "Void"}


def render_invoice(invoice: sqlite3.Row, account: sqlite3.Row) -> bytes:
    """The invoice as PDF bytes, whatever its state: an unpaid one states the amount due and the due date."""
    status = invoice["status"]
    facts = [("Status", _STATES.get(status, status))]
    totals = _subtotals(invoice)
    if status in ("open", "past_due"):
        facts.append(
            (
                "Amount due",
                f"{_money(invoice['total'], invoice['currency'])} by "
                + dates.format_date(date.fromisoformat(invoice["due_date"])),
            )
        )
        totals.append(("Amount due", invoice["total"]))
    elif status == "paid":
        facts.append(("Paid", dates.format_moment(_moment(invoice["paid_at"]), _zone(account))))
        totals.append(("Total paid", invoice["total"]))
    else:
        totals.append(("Total (void, not due)", invoice["total"]))
    return _document(
        invoice,
        account,
        title=f"Invoice {invoice['number']}",
        heading="MKController - Invoice",
        facts=facts,
        totals=totals,
    )
