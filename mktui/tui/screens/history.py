"""History: the credit ledger, newest first, with the remaining credit at the top.

Each row is one ledger entry: its date in the billing time zone, its kind, the
server's description (literal), the signed amount and the credit balance after
it. Pages come by cursor: reaching the last row, or ``l``, loads the next one.
"""

from __future__ import annotations

import asyncio

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import DataTable, Label, Static

from mktui.tui.screens.records import RecordsScreen, Row
from mktui.tui.services import renewal_outlook
from mktui.tui.services.financial_data import price_table
from mktui.tui.widgets.money import MoneyDisplay, format_minor, money
from mktui.tui.widgets.text import safe_text

if TYPE_CHECKING:
    from mktui.api import models
    from mktui.api.client import BillingClient

KIND_NAMES = {
    "charge": "charge",
    "payment": "payment",
    "credit_grant": "credit grant",
    "credit_use": "credit use",
    "refund": "refund",
}


def _width(cell: Text) -> int:
    return max(cell_len(line) for line in cell.plain.splitlines() or [""])


CREDIT_KINDS = frozenset({"credit_grant", "credit_use"})
"""The rows that move the credit balance; the others carry a card amount."""


def signed(amount_minor: int, currency: str) -> str:
    """``+R$ 774,00`` / ``−R$ 64,50``: the sign always shown, the minus a real minus."""
    text = format_minor(abs(amount_minor), currency)
    return ("−" if amount_minor < 0 else "+") + text if amount_minor else text


def ledger_amount(kind: str, amount_minor: int, currency: str) -> str:
    """A credit move signed (``+`` granted, ``−`` used); a charge, payment or refund plain.

    Those carry the card amount and leave the credit balance alone: a ``+`` on
    them would read as credit added.
    """
    if kind in CREDIT_KINDS:
        return signed(amount_minor, currency)
    return format_minor(amount_minor, currency)


class HistoryScreen(RecordsScreen):
    """The credit ledger; the remaining credit on top; more rows by cursor."""

    MODE = "history"
    TITLE_TEXT = "History"
    LIST_TITLE = "Credit history, newest first"
    COLUMNS = ("Date", "Entry", "Amount", "Credit after")
    ROW_HEIGHT = 2
    PAGE_SIZE = 50
    BINDINGS = [
        Binding(
            "l",
            "load_more",
            "Load more",
            id="history.load_more",
            tooltip="Load the next, older page of the ledger",
        ),
    ]

    entries: list[models.LedgerEntry] = []
    next_cursor: str | None = None
    account: models.Account | None = None
    runway: str | None = None

    def compose_header(self) -> ComposeResult:
        with Horizontal(id="history-credit"):
            yield Label("Remaining credit", classes="history--label")
            yield MoneyDisplay(id="history-remaining", classes="-emphasis")
            yield Static("", id="history-runway")
        yield Static("", id="history-detail")

    async def fetch(self, client: BillingClient) -> None:
        self.account, subscription, prices = await asyncio.gather(
            client.account(), client.subscription(), client.prices()
        )
        self.runway = _runway(self.account, subscription, prices)
        self.console.session.account = self.account
        page = await client.ledger(limit=self.PAGE_SIZE)
        self.entries = list(page.data)
        self.next_cursor = page.next_cursor

    @property
    def currency(self) -> str:
        """The account's currency (the ledger rows carry none)."""
        return (self.account.currency if self.account else None) or "BRL"

    def rows(self) -> Iterable[Row]:
        zone = ZoneInfo(self.account.billing_timezone if self.account else "America/Sao_Paulo")
        for entry in self.entries:
            local = entry.at.astimezone(zone)
            yield (
                entry.id,
                (
                    Text(f"{local:%d %b %Y}\n{local:%H:%M}"),
                    Text.assemble(
                        (KIND_NAMES.get(entry.kind, safe_text(entry.kind, limit=20)), "bold"),
                        "\n",
                        safe_text(entry.description, limit=200),
                        no_wrap=True,
                        overflow="ellipsis",
                    ),
                    Text(ledger_amount(entry.kind, entry.amount, self.currency), justify="right"),
                    Text(format_minor(entry.balance_after, self.currency), justify="right"),
                ),
            )

    def add_columns(self, table: DataTable, rows: list[Row]) -> None:
        """Date, amounts sized to fit; Entry takes the rest, so nothing scrolls sideways."""
        widths = [
            max([cell_len(self.COLUMNS[i])] + [_width(cells[i]) for _, cells in rows])
            for i in range(len(self.COLUMNS))
        ]
        padding = 2 * table.cell_padding * len(self.COLUMNS)
        # 2: the vertical scrollbar, there once the rows outgrow the table.
        room = self.query_one("#area-body").content_region.width - padding - 2
        entry = room - widths[0] - widths[2] - widths[3]
        widths[1] = max(12, entry)
        for label, width in zip(self.COLUMNS, widths, strict=True):
            justify = "right" if label in ("Amount", "Credit after") else "left"
            table.add_column(Text(label, justify=justify), width=width, key=label)

    def on_resize(self) -> None:
        if self.table.row_count:
            self.show_rows(self.selected_key)

    @on(DataTable.RowHighlighted, "#records-table")
    def _describe(self, event: DataTable.RowHighlighted) -> None:
        """The highlighted entry's whole description, which the Entry column may cut short."""
        entry = next((e for e in self.entries if e.id == event.row_key.value), None)
        if entry is not None:
            self.query_one("#history-detail", Static).update(
                Content(safe_text(entry.description, limit=300))
            )

    def after_load(self) -> None:
        account = self.account
        remaining = self.query_one("#history-remaining", MoneyDisplay)
        remaining.show(
            money(account.credit_balance, account.currency)
            if account and account.currency
            else None
        )
        self.query_one("#history-runway", Static).update(
            Content(f"· {self.runway}" if self.runway else "")
        )
        if not self.entries:
            self.set_note("No credit history yet: charges, payments and credit appear here.")
        elif self.next_cursor:
            self.set_note(
                f"{len(self.entries)} entries so far; reach the last row or press l for older ones."
            )
        else:
            self.set_note(
                f"All {len(self.entries)} entries. The balance moves only with credit grants and uses."
            )
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "load_more":
            return None if self.next_cursor is None else True
        return True

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        if self.next_cursor is None:
            return []
        return [("history: Load more", "Load older ledger entries (l)", self.action_load_more)]

    @on(DataTable.RowHighlighted, "#records-table")
    def _at_the_end(self, event: DataTable.RowHighlighted) -> None:
        if self.next_cursor and event.cursor_row == event.data_table.row_count - 1:
            self.action_load_more()

    def action_load_more(self) -> None:
        """Fetch the next (older) page and add it under the rows shown."""
        if self.next_cursor is not None:
            self.load_more(self.next_cursor)

    @work(exclusive=True, group="history-more", exit_on_error=False)
    async def load_more(self, cursor: str) -> None:
        """Append the page after ``cursor`` (a stale cursor is ignored)."""
        note = self.query_one("#records-note")
        note.loading = True
        try:
            client = await self.console.session.ready_client()
            page = await client.ledger(limit=self.PAGE_SIZE, cursor=cursor)
        finally:
            note.loading = False
        if cursor != self.next_cursor:
            return  # the ledger was reloaded meanwhile
        known = {entry.id for entry in self.entries}
        self.entries += [entry for entry in page.data if entry.id not in known]
        self.next_cursor = page.next_cursor
        self.show_rows(self.selected_key)


def _runway(
    account: models.Account, sub: models.Subscription | None, prices: list[models.Price]
) -> str | None:
    """How long the credit lasts at the devices billed (None without credit)."""
    from mktui.core import pricing

    today = pricing.billing_today(account.now, account.billing_timezone)
    return renewal_outlook.runway(account, sub, price_table(prices), today)
