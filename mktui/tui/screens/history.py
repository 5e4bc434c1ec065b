"""History: the credit ledger, newest first, with the remaining credit at the top.

Each row is one ledger entry: its date in the billing time zone, its kind, the
server's description (literal), the signed amount and the credit balance after
it. Pages come by cursor: reaching the last row, or ``l``, loads the next one,
and its rows are ADDED under the others (the table is never rebuilt for a
page; the amount columns only ever widen). Once the admin pages, the page
after the one shown is read ahead while nothing else happens, so the next
``l`` adds rows without waiting for the server. ``k`` shows one kind of entry.
Annual accounts also see the credit used each month, as a bar chart.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Iterable
from datetime import date
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

from mktui.api.errors import ApiError
from mktui.core.i18n import N_, _, format_month, ngettext
from mktui.tui.screens.exporting import ExportsCsv
from mktui.tui.screens.ledger_entries import (
    KIND_NAMES,
    Entry,
    EntryCell,
    entries_of,
    kind_name,
    months_used,
    tally_credit_use,
)
from mktui.tui.screens.records import RecordsScreen, Row
from mktui.tui.services import renewal_outlook
from mktui.tui.services.financial_data import price_table
from mktui.tui.widgets.line_table import LineTable
from mktui.tui.widgets.money import MoneyDisplay, format_minor, money
from mktui.tui.widgets.status_line import StatusLine
from mktui.tui.widgets.table_cells import RIGHT, SizedCell
from mktui.tui.widgets.table_cursor import follow_cursor
from mktui.tui.widgets.text import safe_text

if TYPE_CHECKING:
    from mktui.api import models
    from mktui.api.client import BillingClient

KIND_FILTERS: tuple[str | None, ...] = (None, *KIND_NAMES)
"""What ``k`` steps through: every entry, then each kind alone."""

LOADING_AFTER = 0.2
"""Seconds a page of the ledger may take before the note shows it loading."""

READ_AHEAD_AFTER = 0.05
"""Seconds after a page is drawn before the next is read ahead: past the frame after the
rows' own (Textual moves the scrollbar's thumb one to two refresh periods after the layout
that grew the table), so reading the page does not hold that frame back (read at once,
it did by up to ~13 ms)."""

CHART_MONTHS = 12
"""How many months the credit-use chart shows (the newest last)."""


def _width(cell: SizedCell) -> int:
    return _text_width(cell.plain)


@functools.lru_cache(maxsize=4096)
def _text_width(plain: str) -> int:
    """The widest line of ``plain`` (remembered: a page repeats its amounts and days)."""
    return max(cell_len(line) for line in plain.split("\n"))


CREDIT_KINDS = frozenset({"credit_grant", "credit_use"})
"""The rows that move the credit balance; the others carry a card amount."""


@functools.lru_cache(maxsize=4096)
def _cash(amount_minor: int, currency: str) -> str:
    """:func:`format_minor`, remembered: a ledger repeats its amounts, and Babel takes
    ~0.1 ms each (two thirds of a 200-row page's cells); the locale follows the currency."""
    return format_minor(amount_minor, currency)


def signed(amount_minor: int, currency: str) -> str:
    """``+R$ 774,00`` / ``−R$ 64,50``: the sign always shown, the minus a real minus."""
    text = _cash(abs(amount_minor), currency)
    return ("−" if amount_minor < 0 else "+") + text if amount_minor else text


def ledger_amount(kind: str, amount_minor: int, currency: str) -> str:
    """A credit move signed (``+`` granted, ``−`` used); a charge, payment or refund plain.

    Those carry the card amount and leave the credit balance alone: a ``+`` on
    them would read as credit added.
    """
    if kind in CREDIT_KINDS:
        return signed(amount_minor, currency)
    return _cash(amount_minor, currency)


BARS = "▁▂▃▄▅▆▇█"


def bars(values: list[int]) -> str:
    """One bar per value, scaled from zero to the largest (a month with none is a space).

    Not Textual's Sparkline: it scales between the smallest and the largest
    value, so an annual plan's months, which use the same credit each, would
    all draw as the lowest bar, the same as a month with nothing used.
    """
    peak = max(values, default=0)
    if peak <= 0:
        return " " * len(values)
    return "".join(
        " " if v <= 0 else BARS[max(0, round(v * (len(BARS) - 1) / peak))] for v in values
    )


def _month(key: str) -> str:
    """``2026-06`` → ``Jun 26`` (``jun 26`` in Portuguese): the month's name, two year digits."""
    year, month = (int(part) for part in key.split("-"))
    return format_month(date(year, month, 1)).replace(str(year), f"{year % 100:02d}")


Page = tuple[list[tuple[Entry, Row]], str | None]
"""A page of the ledger as History appends it: each entry with its row, and the cursor after."""


class _Ahead:
    """The page after ``cursor``, read before it is asked for (:meth:`HistoryScreen.load_more`)."""

    __slots__ = ("cursor", "done", "page")

    def __init__(self, cursor: str) -> None:
        self.cursor = cursor
        self.done = asyncio.Event()
        """Set once the page came, or could not be read (then ``page`` stays None)."""
        self.page: Page | None = None
        """The page's entries with their rows, and the cursor after it."""


class HistoryScreen(ExportsCsv, RecordsScreen):
    """The credit ledger; the remaining credit on top; more rows by cursor, appended."""

    MODE = "history"
    TITLE_TEXT = N_("History")
    LIST_TITLE = N_("Credit history, newest first")
    COLUMNS = (N_("Date"), N_("Entry"), N_("Amount"), N_("Credit after"))
    ROW_HEIGHT = 2
    TABLE = LineTable
    """Pages are appended to it: with a DataTable each cost every row already shown."""
    FITTED = (0, 2, 3)
    """The columns as wide as their widest text (Date and the amounts): they only widen."""
    PAGE_SIZE = 50
    EXPORT_NOUN = N_("entries")
    MORE_PAGE_SIZE = 200
    """Later pages are the contract's largest: fewest round trips to reach an old entry."""
    BINDINGS = [
        Binding(
            "l",
            "load_more",
            N_("Load more"),
            id="history.load_more",
            tooltip=N_("Load the next, older page of the ledger"),
        ),
        Binding(
            "k",
            "kind",
            N_("Kind"),
            id="history.kind",
            tooltip=N_("Show one kind of entry: charges, payments, credit grants, uses, refunds"),
        ),
        Binding(
            "e",
            "export",
            N_("Export CSV"),
            id="history.export",
            tooltip=N_("Save every entry of the kind shown as CSV (Esc stops)"),
        ),
        Binding(
            "enter",
            "open_invoice",
            N_("Open invoice"),
            id="history.open-invoice",
            tooltip=N_("The invoice of the selected entry: lines, totals, payment"),
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[str, Entry] = {}
        """Every entry loaded, by id, newest first (dicts keep their order)."""
        self._credit_used: dict[int, int] = {}
        """Credit used per month of the entries loaded (the chart), kept as pages come."""
        self.next_cursor: str | None = None
        self.account: models.Account | None = None
        self.runway: str | None = None
        """How long the credit lasts (``lasts until May 2027 at 5 devices``), if there is credit."""
        self.kind: str | None = None
        """The kind shown alone (``k``), or None for every entry."""
        self._described: str | None = None
        """The entry the detail line shows."""
        self._charted: list[tuple[str, int]] = []
        """The months the chart draws (a page of older entries mostly leaves them as they are)."""
        self._ahead: _Ahead | None = None
        """The next page, read ahead once the admin pages (None: not asked for)."""

    def compose_header(self) -> ComposeResult:
        with Horizontal(id="history-credit"):
            yield Label(_("Remaining credit"), classes="history--label")
            yield MoneyDisplay(id="history-remaining", classes="-emphasis")
            yield Static("", id="history-runway")
        with Horizontal(id="history-chart"):
            yield Label(_("Credit used"), classes="history--label")
            yield Static("", id="history-bars")
            yield Static("", id="history-chart-caption", classes="hint")
        yield Static("", id="history-detail")
        yield StatusLine(id="history-export")

    async def fetch(self, client: BillingClient) -> None:
        self.account, subscription, prices = await asyncio.gather(
            client.account(), client.subscription(), client.prices()
        )
        self.runway = _runway(self.account, subscription, prices)
        self.console.session.account = self.account
        page = await client.ledger(limit=self.PAGE_SIZE)
        self._ahead = None  # a page read ahead of the ledger shown before is not used
        self.entries = {entry.id: entry for entry in entries_of(page.data, self.zone)}
        self._credit_used = {}
        tally_credit_use(self.entries.values(), self._credit_used)
        self.next_cursor = page.next_cursor

    @property
    def currency(self) -> str:
        """The account's currency (the ledger rows carry none)."""
        return (self.account.currency if self.account else None) or "BRL"

    @property
    def zone(self) -> ZoneInfo:
        """The account's billing time zone: every date shown is in it."""
        return ZoneInfo(self.account.billing_timezone if self.account else "America/Sao_Paulo")

    def shown(self, entries: Iterable[Entry]) -> list[Entry]:
        """The entries the kind filter lets through, in order."""
        return [entry for entry in entries if self.kind is None or entry.kind == self.kind]

    def rows(self) -> Iterable[Row]:
        return self.rows_of(self.shown(self.entries.values()))

    def rows_of(self, entries: Iterable[Entry]) -> Iterable[Row]:
        """The table rows of ``entries`` (cells of set width: see :meth:`add_columns`)."""
        currency = self.currency
        for entry in entries:
            yield (
                entry.id,
                (
                    SizedCell(entry.when),
                    EntryCell(entry),  # drawn from the entry: its text is not kept twice
                    SizedCell(ledger_amount(entry.kind, entry.amount, currency), RIGHT),
                    SizedCell(_cash(entry.balance_after, currency), RIGHT),
                ),
            )

    def _fitted(self, rows: list[Row], at_least: Iterable[int]) -> list[int]:
        """The widths of the FITTED columns: at least ``at_least``, and each cell's in ``rows``."""
        return [
            max([least] + [_width(cells[index]) for _key, cells in rows])
            for index, least in zip(self.FITTED, at_least, strict=True)
        ]

    def _widths(self, table: LineTable, fitted: list[int]) -> list[int]:
        """Every column's width: the FITTED ones as given, Entry the room left (at least 12)."""
        date, amount, balance = fitted
        padding = 2 * table.cell_padding * len(self.COLUMNS)
        # 2: the vertical scrollbar, there once the rows outgrow the table.
        room = self.query_one("#area-body").content_region.width - padding - 2
        return [date, max(12, room - date - amount - balance), amount, balance]

    def add_columns(self, table: LineTable, rows: list[Row]) -> None:
        """Every column of set width: Date and the amounts fit their text, Entry the rest.

        The table then measures no cell (widgets.table_cells). A later page with
        a wider date or amount widens its column (and narrows Entry) as it is
        appended: those columns only widen, never cutting a figure short.
        """
        labels = [_(column) for column in self.COLUMNS]
        least = [max(cell_len(labels[0]), len("00 Mmm 0000")), *map(cell_len, labels[2:])]
        widths = self._widths(table, self._fitted(rows, least))
        for key, label, width in zip(self.COLUMNS, labels, widths, strict=True):
            justify = "right" if key in ("Amount", "Credit after") else "left"
            table.add_column(Text(label, justify=justify), width=width, key=key)

    def append_rows(self, rows: list[Row]) -> None:
        """Add a page under the rows shown, first widening a column its text outgrows."""
        table = self.table
        if rows and len(table.columns) == len(self.COLUMNS):
            columns = list(table.columns.values())
            shown = [columns[index].width for index in self.FITTED]
            fitted = self._fitted(rows, shown)
            if fitted != shown:
                table.set_widths(self._widths(table, fitted))  # draws the rows again, once
        super().append_rows(rows)

    def on_resize(self) -> None:
        if self.table.row_count:
            self.show_rows(self.selected_key)

    def on_mount(self) -> None:
        # RecordsScreen's on_mount runs too (Textual calls each class's): it loads the ledger.
        follow_cursor(self, self.table, lambda _row: self._describe(self.selected_key))

    @on(LineTable.RowHighlighted, "#records-table")
    def _highlighted(self, event: LineTable.RowHighlighted) -> None:
        # A cursor move was described as it happened (follow_cursor, same frame as the
        # table's); this is for the first row of a table just filled, which is no move.
        self._describe(event.row_key.value)

    def _describe(self, key: str | None) -> None:
        """The highlighted entry's whole description, which the Entry column may cut short."""
        entry = self.entries.get(key or "")
        if entry is None or key == self._described:
            return  # the same entry again: its line is already drawn
        self._described = key
        # One docked line: no layout, a cursor move repaints only it and the table.
        self.query_one("#history-detail", Static).update(
            Content(entry.description),
            layout=False,  # made safe as it was kept
        )

    # ------------------------------------------------------------------ its invoice
    @on(LineTable.RowSelected, "#records-table")
    def action_open_invoice(self) -> None:
        """Enter on a row: the invoice it belongs to (its keys act on the Invoices area)."""
        entry = self.entries.get(self.selected_key or "")
        if entry is None:
            return
        if not entry.invoice_id:
            self.notify(_("This entry belongs to no invoice."), markup=False)
            return
        self._open_invoice(entry.invoice_id)

    @work(exclusive=True, group="history-invoice", exit_on_error=False)
    async def _open_invoice(self, invoice_id: str) -> None:
        """Fetch the invoice, show it; an action chosen there runs in the Invoices area."""
        # Imported here, as the Invoices area itself is: screens load when first shown.
        from mktui.tui.screens.invoice_detail import InvoiceDetailModal
        from mktui.tui.screens.invoices import InvoicesScreen

        client = await self.console.session.ready_client()
        invoice = await client.invoice(invoice_id)
        action = await self.app.push_screen_wait(InvoiceDetailModal(invoice))
        if action is None:
            return
        self.console.open_area("invoices")
        screen = self.app.screen
        if not isinstance(screen, InvoicesScreen):
            return  # refused (money in flight): the app said why
        for _attempt in range(100):  # a first visit composes the area first (at most ~5 s)
            if screen.is_mounted and screen.query(DataTable):
                break
            await asyncio.sleep(0.05)
        await screen.show_invoice(invoice.id)
        if screen.selected is not None and screen.selected.id == invoice.id:
            await screen.run_action(action)
        else:
            screen.set_status(
                _(
                    "Invoice {number} is not in the list shown: clear the filters (s, /) to find it."
                ).format(number=safe_text(invoice.number, limit=40))
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
        self._charted = []  # drawn anew (a reload, another kind, a new size)
        self._chart()
        self._say_how_many()
        self.refresh_bindings()

    def after_append(self) -> None:
        # A page changes the entries, not the account: the remaining credit and its runway
        # stay as drawn (a redraw would cost a layout of the screen per page).
        self._chart()
        self._say_how_many()

    def _chart(self) -> None:
        """The credit used per month, for an annual account (or any account holding credit)."""
        account = self.account
        chart = self.query_one("#history-chart")
        annual = account is not None and (account.plan == "annual" or account.credit_balance > 0)
        months = months_used(self._credit_used, CHART_MONTHS) if annual else []
        chart.display = bool(months)
        if not months:
            return
        if months == self._charted:
            return  # older entries of months already charted: the bars are as drawn
        self._charted = months
        peak = max(used for _month_key, used in months)
        self.query_one("#history-bars", Static).update(
            Content(bars([used for _month_key, used in months]))
        )
        self.query_one("#history-chart-caption", Static).update(
            Content(
                _("{first}–{last}, up to {amount} a month").format(
                    first=_month(months[0][0]),
                    last=_month(months[-1][0]),
                    amount=format_minor(peak, self.currency),
                )
            )
        )

    def _say_how_many(self) -> None:
        loaded = len(self.entries)
        shown = self.table.row_count
        kind = kind_name(self.kind) if self.kind is not None else ""
        if not self.entries:
            self.set_note(_("No credit history yet: charges, payments and credit appear here."))
        elif self.next_cursor and self.kind is None:
            self.set_note(
                ngettext(
                    "{n} entry so far; reach the last row or press l for older ones.",
                    "{n} entries so far; reach the last row or press l for older ones.",
                    loaded,
                ).format(n=loaded)
            )
        elif self.next_cursor:
            self.set_note(
                ngettext(
                    "{n} entry so far ({shown} shown, kind: {kind}); "
                    "reach the last row or press l for older ones.",
                    "{n} entries so far ({shown} shown, kind: {kind}); "
                    "reach the last row or press l for older ones.",
                    loaded,
                ).format(n=loaded, shown=shown, kind=kind)
            )
        elif self.kind is not None:
            self.set_note(
                ngettext(
                    "{shown} of {n} entry (kind: {kind}); k: next kind.",
                    "{shown} of all {n} entries (kind: {kind}); k: next kind.",
                    loaded,
                ).format(n=loaded, shown=shown, kind=kind)
            )
        else:
            self.set_note(
                ngettext(
                    "All {n} entry. The balance moves only with credit grants and uses.",
                    "All {n} entries. The balance moves only with credit grants and uses.",
                    loaded,
                ).format(n=loaded)
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "load_more":
            # Gone from the footer once everything is loaded.
            return self.next_cursor is not None
        return True

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (_("history: Filter by kind"), _("Charges, payments, credit grants, uses, refunds (k)"),
             self.action_kind),
            (_("history: Export CSV"), _("Every entry of the kind shown, to a file (e)"),
             self.action_export),
        ]  # fmt: skip
        if self.next_cursor is not None:
            commands.insert(
                0,
                (
                    _("history: Load more"),
                    _("Load older ledger entries (l)"),
                    self.action_load_more,
                ),
            )
        return commands

    # ------------------------------------------------------------------ CSV export (e)
    def export_say(self, text: str, *, ok: bool = False) -> None:
        self.query_one("#history-export", StatusLine).say(text, ok=ok)

    def export_plan(self, client):  # noqa: ANN001, ANN201 - see ExportsCsv
        kind = self.kind  # as shown now, whatever k does during the export
        return (
            lambda cursor: client.ledger(limit=200, cursor=cursor),
            None if kind is None else (lambda entry: entry.kind == kind),
        )

    def export_columns(self):  # noqa: ANN201 - see ExportsCsv
        from mktui.api.csv_records import ledger_columns

        return ledger_columns(self.currency)

    def export_name(self, today):  # noqa: ANN001, ANN201 - see ExportsCsv
        from mktui.config import downloads

        return downloads.export_name("history", today, self.kind or "")

    def export_count(self, rows: int) -> str:
        """``25 entries`` (``25 lançamentos``)."""
        return ngettext("{n} entry", "{n} entries", rows).format(n=rows)

    def action_back(self) -> None:
        """Escape: stops an export, else back to the hub."""
        if not self.stop_export():
            super().action_back()

    def action_kind(self) -> None:
        """Show the next kind alone: all → charge → payment → credit granted → credit used → refund."""
        self.kind = KIND_FILTERS[(KIND_FILTERS.index(self.kind) + 1) % len(KIND_FILTERS)]
        title = _(self.LIST_TITLE)
        if self.kind is not None:
            title = _("{title} · {kind} only (k: next kind)").format(
                title=title, kind=kind_name(self.kind)
            )
        self.query_one(".area--title", Static).update(Content(title))
        self.show_rows(self.selected_key)

    @on(LineTable.RowHighlighted, "#records-table")
    def _at_the_end(self, event: LineTable.RowHighlighted) -> None:
        if self.next_cursor and event.cursor_row == event.data_table.row_count - 1:
            self.action_load_more()

    def action_load_more(self) -> None:
        """Fetch the next (older) page and add it under the rows shown."""
        if self.next_cursor is not None:
            self.load_more(self.next_cursor)

    @work(exclusive=True, group="history-more", exit_on_error=False)
    async def load_more(self, cursor: str) -> None:
        """Append the page after ``cursor`` (a stale cursor is ignored); then read the next ahead."""
        note = self.query_one("#records-note")
        # The note shows a loading indicator only for a page that is slow to come: for a
        # quick one it would cost three layouts of the screen and be gone before it is seen.
        slow = self.set_timer(LOADING_AFTER, lambda: setattr(note, "loading", True))
        ahead, self._ahead = self._ahead, None
        try:
            fetched = None
            if ahead is not None and ahead.cursor == cursor:
                await ahead.done.wait()  # waiting does not cancel it: the page is used
                fetched = ahead.page
            if fetched is None:  # not read ahead, or that failed: asked now, failures said
                fetched = await self._page_after(cursor)
        finally:
            slow.stop()
            note.loading = False
        if cursor != self.next_cursor:
            return  # the ledger was reloaded meanwhile
        items, next_cursor = fetched
        new = [(entry, row) for entry, row in items if entry.id not in self.entries]
        self.entries.update((entry.id, entry) for entry, _row in new)
        tally_credit_use((entry for entry, _row in new), self._credit_used)
        self.next_cursor = next_cursor
        kind = self.kind
        self.append_rows([row for entry, row in new if kind is None or entry.kind == kind])
        # Read the next page once this one is drawn, while the admin reads it.
        self.call_after_refresh(self.set_timer, READ_AHEAD_AFTER, self._read_ahead)

    async def _page_after(self, cursor: str) -> Page:
        """The page after ``cursor``: its entries with their rows (made here, so a page read
        ahead is made before it is asked for), and the cursor after them."""
        client = await self.console.session.ready_client()
        page = await client.ledger(limit=self.MORE_PAGE_SIZE, cursor=cursor)
        entries = list(entries_of(page.data, self.zone))
        return list(zip(entries, self.rows_of(entries), strict=True)), page.next_cursor

    def _read_ahead(self) -> None:
        """Start reading the page after the last one shown (once: a newer start replaces it)."""
        cursor = self.next_cursor
        if cursor is None or (self._ahead is not None and self._ahead.cursor == cursor):
            return
        self._ahead = _Ahead(cursor)
        self._fetch_ahead(self._ahead)

    @work(exclusive=True, group="history-ahead", exit_on_error=False)
    async def _fetch_ahead(self, ahead: _Ahead) -> None:
        try:
            ahead.page = await self._page_after(ahead.cursor)
        except ApiError:
            pass  # not asked for yet: load_more asks again and says what failed
        finally:
            ahead.done.set()  # also when cancelled (the screen closed): nobody waits forever


def _runway(
    account: models.Account, sub: models.Subscription | None, prices: list[models.Price]
) -> str | None:
    """How long the credit lasts at the devices billed (None without credit)."""
    from mktui.core import pricing

    today = pricing.billing_today(account.now, account.billing_timezone)
    return renewal_outlook.runway(account, sub, price_table(prices), today)
