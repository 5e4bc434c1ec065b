"""Invoices, read-only for now: newest first, overdue highlighted."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import DataTable, Static

from mktui.screens.area import AreaScreen
from mktui.widgets.money import format_minor
from mktui.widgets.preview_panel import format_date
from mktui.widgets.text import safe_text

_STATUS = {"open": "open", "past_due": "OVERDUE", "paid": "paid", "void": "void"}


class InvoicesScreen(AreaScreen):
    """The account's invoices (first 200), newest first."""

    MODE = "invoices"
    TITLE_TEXT = "Invoices"

    def compose_body(self) -> ComposeResult:
        yield Static("Invoices, newest first", classes="area--title")
        table: DataTable = DataTable(id="invoices-table", cursor_type="row", zebra_stripes=True)
        table.add_columns("Number", "Period", "Due", "Status", "Total", "Due now")
        yield table
        yield Static("", id="invoices-note", classes="hint")

    def on_mount(self) -> None:
        self.load()

    def action_refresh(self) -> None:
        """Load the invoices again."""
        self.load()

    @work(exclusive=True, group="invoices-load", exit_on_error=False)
    async def load(self) -> None:
        """Fetch the first page of invoices."""
        table = self.query_one(DataTable)
        table.loading = True
        try:
            client = await self.console.session.ready_client()
            page = await client.invoices(limit=200)
        finally:
            table.loading = False
        table.clear()
        for invoice in page.data:
            overdue = invoice.status == "past_due"
            style = "bold" if overdue else ""
            table.add_row(
                Content(safe_text(invoice.number, limit=40)).stylize(style),
                Content(f"{format_date(invoice.period_start)} – {format_date(invoice.period_end)}"),
                Content(format_date(invoice.due_date)),
                Content(_STATUS.get(invoice.status, safe_text(invoice.status))).stylize(
                    "bold reverse" if overdue else ""
                ),
                Content(format_minor(invoice.total, invoice.currency)),
                Content(format_minor(invoice.amount_due, invoice.currency)).stylize(style),
                key=invoice.id,
            )
        note = "No invoices yet." if not page.data else ""
        if page.next_cursor:
            note = "Showing the newest 200 invoices."
        self.query_one("#invoices-note", Static).update(note)
        table.focus()
