"""The top bar of every area: mktui, the account's name and its status badge."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from mktui.core.i18n import _
from mktui.tui.widgets.status_badge import StatusBadge
from mktui.tui.widgets.text import literal


class AccountBar(Horizontal):
    """``mktui │ Demo Networks Ltda  PAST DUE`` — the name is shown literally."""

    DEFAULT_CSS = """
    AccountBar { height: 1; background: $panel; }
    AccountBar > .bar--brand { width: auto; padding: 0 1; text-style: bold; color: $primary; }
    AccountBar > .bar--name { width: 1fr; padding: 0 1; text-style: bold; }
    AccountBar > .bar--area { width: auto; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, area: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self._area = area

    def compose(self) -> ComposeResult:
        yield Static("mktui", classes="bar--brand")
        yield Static("", classes="bar--name", id="bar-name")
        yield StatusBadge(id="bar-status")
        yield Static(literal(_(self._area)), classes="bar--area")

    def show_account(self, name: str | None, status: str | None) -> None:
        """Show whose account this is (``name`` is a server string, shown literally)."""
        self.query_one("#bar-name", Static).update(literal(name or "", limit=80))
        self.query_one("#bar-status", StatusBadge).set_status(status)
