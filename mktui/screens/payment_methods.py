"""Payment methods, read-only for now: brand, last 4, expiry, holder, default."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from mktui.screens.area import AreaScreen
from mktui.widgets.card_rules import BRAND_NAMES
from mktui.widgets.text import safe_text


class PaymentMethodsScreen(AreaScreen):
    """The saved cards; only brand, last 4 and expiry are ever shown."""

    MODE = "payment_methods"
    TITLE_TEXT = "Payment methods"

    def compose_body(self) -> ComposeResult:
        yield Static("Saved cards", classes="area--title")
        yield DataTable(id="methods-table", cursor_type="row")
        yield Static("", id="methods-note", classes="hint")

    def on_mount(self) -> None:
        self.load()

    def action_refresh(self) -> None:
        """Load the cards again."""
        self.load()

    @work(exclusive=True, group="methods-load", exit_on_error=False)
    async def load(self) -> None:
        """Fetch the saved cards."""
        table = self.query_one(DataTable)
        table.loading = True
        try:
            client = await self.console.session.ready_client()
            methods = await client.payment_methods()
        finally:
            table.loading = False
        table.clear(columns=True)
        table.add_columns("Card", "Expires", "Holder", "Default")
        for method in methods:
            table.add_row(
                Text(f"{BRAND_NAMES.get(method.brand, 'Card')} •••• {method.last4}"),
                Text(f"{method.exp_month:02d}/{method.exp_year}"),
                Text(safe_text(method.holder_name, limit=60)),
                Text("default" if method.is_default else ""),
                key=method.id,
            )
        self.query_one("#methods-note", Static).update(
            "No saved cards." if not methods else "The default card is charged on each 1st."
        )
        table.focus()
