"""The command palette, with a footer line of the keys that work in it."""

from __future__ import annotations

from textual.binding import Binding
from textual.command import CommandPalette

from mktui.core.i18n import N_
from mktui.tui.screens.base import DialogKeys


class ConsolePalette(DialogKeys, CommandPalette):
    """Textual's command palette, its keys in the admin's language and on its own footer line.

    Without its own line the footer of the screen below stays drawn, offering
    keys that do nothing while the palette is open; this one shows Escape and
    Ctrl+Q, which quits from here too.
    """

    BINDINGS = [
        Binding(
            "escape",
            "escape",
            N_("Close"),
            id="palette.close",
            tooltip=N_("Close the command palette"),
        )
    ]
