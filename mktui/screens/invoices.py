"""Invoices, read-only for now: newest first, overdue highlighted."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from mktui.screens.area import AreaScreen
from mktui.widgets.money import format_minor
from mktui.widgets.text import safe_text

_STATUS = {"open": "open", "past_due": "OVERDUE", "paid": "paid", "void": "void"}


class InvoicesScreen(AreaScreen):
    """The account's invoices (first 200), newest first."""

    MODE = "invoices"
    TITLE_TEXT = "Invoices"

    def compose_body(self) -> ComposeResult:
        yield Static("Invoices, newest first", classes="area--title")
        yield DataTable(id="invoices-table", cursor_type="row", zebra_stripes=True)
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
        table.clear(columns=True)
        table.add_columns("Number", "Period", "Due", "Status", "Total", "Due now")
        for invoice in page.data:
            overdue = invoice.status == "past_due"
            style = "bold" if overdue else ""
            table.add_row(
                Text(safe_text(invoice.number, limit=40), style=style),
                Text(invoice.period_start.strftime("%b %Y")),
                Text(f"{invoice.due_date.day} {invoice.due_date.strftime('%b')}"),
                Text(
                    _STATUS.get(invoice.status, safe_text(invoice.status)),
                    style="bold reverse" if overdue else "",
                ),
                Text(format_minor(invoice.total, invoice.currency)),
                Text(format_minor(invoice.amount_due, invoice.currency), style=style),
                key=invoice.id,
            )
        note = "No invoices yet." if not page.data else ""
        if page.next_cursor:
            note = "Showing the newest 200 invoices."
        self.query_one("#invoices-note", Static).update(note)
        table.focus()
