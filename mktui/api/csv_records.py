"""The billing records as CSV: the columns an accountant asks for, and cells a spreadsheet never runs.

Shared by the command line (``mktui invoices list --csv``, ``mktui history --csv``)
and the console's export (``e`` on Invoices and History), so both write the
same file. Amounts are plain decimals (``21.50``): the currency has its own column.
"""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator, Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from mktui.api.models import Invoice, LedgerEntry

CsvColumns = Sequence[tuple[str, Callable[[Any], object]]]
"""``(header, how a record reads in that column)`` for each column."""


def csv_money(minor: int | None) -> str:
    """An amount in a CSV cell: ``21.50`` (the currency has its own column)."""
    return "" if minor is None else str(Decimal(minor).scaleb(-2))


_FORMULA_STARTS = ("=", "+", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A CSV cell that a spreadsheet never runs as a formula (server text like ``=HYPERLINK(…)``)."""
    if value is None:
        return ""
    if isinstance(value, str) and (
        value.startswith(_FORMULA_STARTS) or (value.startswith("-") and not _is_number(value))
    ):
        return "'" + value
    return value


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def paid_with(invoice: Invoice) -> str:
    """``Visa •••• 4242`` or ``Pix (txid …)``; empty when unpaid."""
    if invoice.paid_with is None:
        return ""
    from mktui.core.card_brands import card_label

    if invoice.paid_with.method == "pix":
        return f"Pix (txid {invoice.paid_with.txid})"
    return card_label(invoice.paid_with)


INVOICE_COLUMNS: CsvColumns = (
    ("id", lambda i: i.id),
    ("number", lambda i: i.number),
    ("status", lambda i: i.status),
    ("period_start", lambda i: i.period_start.isoformat()),
    ("period_end", lambda i: i.period_end.isoformat()),
    ("issued_at", lambda i: i.issued_at.isoformat()),
    ("due_date", lambda i: i.due_date.isoformat()),
    ("currency", lambda i: i.currency),
    ("subtotal", lambda i: csv_money(i.subtotal)),
    ("credit_applied", lambda i: csv_money(i.credit_applied)),
    ("total", lambda i: csv_money(i.total)),
    ("amount_due", lambda i: csv_money(i.amount_due)),
    ("attempts", lambda i: i.attempts),
    ("last_failure", lambda i: i.last_failure.code if i.last_failure else None),
    ("paid_at", lambda i: i.paid_at.isoformat() if i.paid_at else None),
    ("paid_with", lambda i: paid_with(i) or None),
)
"""An invoice per line."""


def ledger_columns(currency: str | None) -> CsvColumns:
    """A ledger entry per line (the rows carry no currency: the account's is given)."""

    def entry_currency(_entry: LedgerEntry) -> str | None:
        return currency

    return (
        ("id", lambda e: e.id),
        ("at", lambda e: e.at.isoformat()),
        ("kind", lambda e: e.kind),
        ("description", lambda e: e.description),
        ("amount", lambda e: csv_money(e.amount)),
        ("balance_after", lambda e: csv_money(e.balance_after)),
        ("currency", entry_currency),
        ("invoice_id", lambda e: e.invoice_id),
    )


async def write_rows(
    out: TextIO,
    pages: AsyncIterator[Sequence[Any]],
    columns: CsvColumns,
    *,
    written: Callable[[int], object] | None = None,
) -> int:
    """The header, then every row of every page as it arrives; how many rows were written.

    ``written(n)`` is told the running count after each page (a progress line).
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([name for name, _ in columns])
    count = 0
    async for page in pages:
        writer.writerows([csv_cell(get(item)) for _, get in columns] for item in page)
        count += len(page)
        out.flush()
        if written is not None:
            written(count)
    return count
