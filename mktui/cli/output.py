"""What a scriptable command prints: a human table, JSON or CSV.

- ``--json``: the contract's models (``model_dump`` in field order, so the keys
  are stable and always present, null included), with every amount as
  ``{"amount": "21.50", "currency": "BRL", "minor": 2150}`` and dates in ISO
  8601. :func:`wire_from_json` turns such output back into the wire shape, so
  it parses into the contract's models again.
- ``--csv``: one header line, then one line per row; amounts as ``21.50`` with
  the currency in its own column.
- Otherwise a table for people: Rich on a terminal, plain aligned columns when
  standard output is not a terminal or ``NO_COLOR`` is set.

Lists are written as they arrive, page by page (:meth:`Output.rows`): a
100 000-invoice export never holds more than one page.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, TextIO

from mktui.api.csv_records import csv_cell, csv_money, write_rows
from mktui.core.i18n import _

__all__ = ["csv_cell", "csv_money"]  # the CLI's commands import them from here

Format = Literal["table", "json", "csv"]

MONEY_FIELDS = frozenset(
    {
        "amount",
        "amount_due",
        "balance_after",
        "credit_applied",
        "credit_balance",
        "credit_granted",
        "next_renewal_amount",
        "subtotal",
        "total",
        "unit_amount",
    }
)
"""The contract's fields that hold minor units of money (models.Amount / SignedAmount)."""

_MONEY_KEYS = frozenset({"amount", "currency", "minor"})


def money_json(minor: int, currency: str | None) -> dict[str, object]:
    """``{"amount": "21.50", "currency": "BRL", "minor": 2150}`` (both currencies have cents)."""
    return {"amount": str(Decimal(minor).scaleb(-2)), "currency": currency, "minor": minor}


def money_text(minor: int, currency: str | None) -> str:
    """An amount for people: ``R$ 21,50`` (``21.50`` when the currency is not known yet)."""
    if currency is None:
        return str(Decimal(minor).scaleb(-2))
    from mktui.core.money_text import format_minor

    return format_minor(minor, currency)


def to_json(model: Any, currency: str | None = None) -> Any:
    """A contract model (or a dict/list of them) as this command line's JSON.

    Amounts take the currency of the object holding them, else of the nearest
    enclosing one, else ``currency`` (ledger rows carry no currency: the
    account's is given).
    """
    if hasattr(model, "model_dump"):
        model = model.model_dump(mode="json")
    return _money_in(model, currency)


def _money_in(value: Any, currency: str | None) -> Any:
    if isinstance(value, list):
        return [_money_in(item, currency) for item in value]
    if not isinstance(value, dict):
        return value
    own = value.get("currency")
    here = own if isinstance(own, str) else currency
    return {
        key: (
            money_json(item, here)
            if key in MONEY_FIELDS and isinstance(item, int) and not isinstance(item, bool)
            else _money_in(item, here)
        )
        for key, item in value.items()
    }


def wire_from_json(value: Any) -> Any:
    """This command line's JSON back in the wire shape (each money object → its minor units)."""
    if isinstance(value, list):
        return [wire_from_json(item) for item in value]
    if isinstance(value, dict):
        if set(value) == _MONEY_KEYS and isinstance(value.get("minor"), int):
            return value["minor"]
        return {key: wire_from_json(item) for key, item in value.items()}
    return value


@dataclass(frozen=True)
class Column:
    """One column of a list: its header, and how a row reads in it.

    ``header`` is marked with ``N_`` where the column is defined (at import time)
    and translated when the table is written.
    """

    header: str
    text: Callable[[Any], str]
    justify: Literal["left", "right"] = "left"


def plain_wanted(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """True when tables should be plain: not a terminal, or ``NO_COLOR`` set (to anything)."""
    environ = os.environ if environ is None else environ
    if environ.get("NO_COLOR", "") != "":
        return True
    try:
        return not stream.isatty()
    except (AttributeError, ValueError):
        return True


class Output:
    """Writes one command's result in the format asked for."""

    def __init__(
        self, fmt: Format, out: TextIO | None = None, *, plain: bool | None = None
    ) -> None:
        self.fmt = fmt
        self.out = out or sys.stdout
        self.plain = plain_wanted(self.out) if plain is None else plain
        self._widths: list[int] = []

    # ---------------------------------------------------------------- one record
    def record(
        self,
        data: Any,
        fields: Sequence[tuple[str, str]],
        *,
        csv_row: Mapping[str, object] | None = None,
        title: str | None = None,
    ) -> None:
        """One object: JSON as given, CSV as ``csv_row`` (or ``fields``), else label/value lines."""
        if self.fmt == "json":
            self.json(data)
        elif self.fmt == "csv":
            row = dict(csv_row) if csv_row is not None else dict(fields)
            writer = csv.writer(self.out, lineterminator="\n")
            writer.writerow(list(row))
            writer.writerow([csv_cell(v) for v in row.values()])
        else:
            self._pairs(fields, title)

    def json(self, data: Any) -> None:
        """``data`` (already :func:`to_json`'d) as indented JSON."""
        self.out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")

    def say(self, text: str = "") -> None:
        """A line for people (table format only: JSON and CSV stay machine-readable)."""
        if self.fmt == "table":
            self.out.write(text + "\n")

    def _pairs(self, fields: Sequence[tuple[str, str]], title: str | None) -> None:
        if self.plain:
            if title:
                self.out.write(title + "\n")
            width = max((len(label) for label, _value in fields), default=0)
            for label, value in fields:
                self.out.write(f"{label:<{width}}  {_safe(value)}".rstrip() + "\n")
            return
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(
            show_header=False, box=None, title=title, title_justify="left", pad_edge=False
        )
        table.add_column(style="bold")
        table.add_column()
        for label, value in fields:
            table.add_row(Text(label), Text(_safe(value)))  # Text: never parsed as markup
        Console(file=self.out, highlight=False).print(table)

    # ---------------------------------------------------------------- lists, streamed
    async def rows(
        self,
        pages: AsyncIterator[Sequence[Any]],
        columns: Sequence[Column],
        *,
        json_row: Callable[[Any], Any],
        csv_columns: Sequence[tuple[str, Callable[[Any], object]]],
        empty: str,
    ) -> int:
        """Write every row of every page as it arrives; returns how many were written."""
        count = 0
        if self.fmt == "json":
            self.out.write("[")
            async for page in pages:
                for item in page:
                    self.out.write(("\n" if count == 0 else ",\n") + _indent(json_row(item)))
                    count += 1
                self.out.flush()
            self.out.write("\n]\n" if count else "]\n")
            return count
        if self.fmt == "csv":
            return await write_rows(self.out, pages, csv_columns)
        async for page in pages:
            if page:
                self._table(page, columns, header=count == 0)
                count += len(page)
                self.out.flush()
        if count == 0:
            self.out.write(empty + "\n")
        return count

    def _table(self, items: Iterable[Any], columns: Sequence[Column], *, header: bool) -> None:
        cells = [[_safe(column.text(item)) for column in columns] for item in items]
        headers = [_(column.header) if column.header else "" for column in columns]
        # Later pages are at least as wide as earlier ones, so a long export stays aligned.
        widths = [
            max([len(headers[i]), *(len(row[i]) for row in cells), *self._widths[i : i + 1]])
            for i in range(len(columns))
        ]
        self._widths = widths
        if self.plain:
            lines = ([headers] if header else []) + cells
            for row in lines:
                parts = [
                    cell.rjust(w) if col.justify == "right" else cell.ljust(w)
                    for cell, w, col in zip(row, widths, columns, strict=True)
                ]
                self.out.write("  ".join(parts).rstrip() + "\n")
            return
        from rich import box
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(box=box.SIMPLE_HEAD, show_header=header, pad_edge=False, show_edge=False)
        for column, title, width in zip(columns, headers, widths, strict=True):
            table.add_column(title, justify=column.justify, no_wrap=True, min_width=width)
        for row in cells:
            table.add_row(*(Text(cell) for cell in row))
        Console(file=self.out, highlight=False).print(table)


def _safe(text: str) -> str:
    """A cell for a terminal: server text with control and bidi characters removed."""
    # The console's own cleaner (its module loads Textual's Content only for tables).
    from mktui.tui.widgets.text import safe_text

    return safe_text(text, limit=200)


def _indent(data: Any) -> str:
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return "\n".join("  " + line for line in text.splitlines())
