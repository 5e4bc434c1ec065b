"""The command palette, with a footer line of the keys that work in it."""

from __future__ import annotations

from textual.binding import Binding
from textual.command import CommandPalette

from mktui.core.i18n import N_, _
from mktui.tui.screens.base import DialogKeys
from mktui.tui.textual_shim import NoMatchesInWords


class ConsolePalette(NoMatchesInWords, DialogKeys, CommandPalette):
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

    def __init__(self, *args: object, placeholder: str | None = None, **kwargs: object) -> None:
        # Textual's own placeholder is English: the console's says it in the admin's language.
        super().__init__(
            *args,  # type: ignore[arg-type]
            placeholder=_("Search for commands…") if placeholder is None else placeholder,
            **kwargs,  # type: ignore[arg-type]
        )

    def no_matches_text(self) -> str:
        """What a search that finds no command shows."""
        return _("No matches found")
