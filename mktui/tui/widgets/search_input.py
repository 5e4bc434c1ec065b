"""A one-line search box: Enter searches (Input.Submitted), Escape closes it."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

from mktui.core.i18n import N_


class SearchInput(Input):
    """An Input whose Escape says "close" instead of leaving the area."""

    BINDINGS = [
        Binding("escape", "close", N_("Close"), id="search.close", tooltip=N_("Close the search")),
    ]

    class Closed(Message):
        """Escape in the search box: the screen hides it and clears the search."""

    def action_close(self) -> None:
        """Ask the screen to close the search."""
        self.post_message(self.Closed())
