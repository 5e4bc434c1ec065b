"""Where should mktui keep this sign-in? Asked when no keyring works here (SSH, no D-Bus).

The admin chooses an encrypted file (passphrase typed here, never via
getpass), this session only, or — only when mktui was started with
``--insecure-storage`` — a 0600 plain file. What happens next is
:func:`mktui.tui.services.kept_session.remember`'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from mktui.core.i18n import N_, _
from mktui.tui.screens.base import DialogKeys
from mktui.tui.widgets.field import LabelledField
from mktui.tui.widgets.field_input import FieldInput
from mktui.tui.widgets.text import safe_text

if TYPE_CHECKING:
    from mktui.config.credentials import StoreSelection


class StorageChoiceModal(DialogKeys, ModalScreen[tuple[str, str | None] | None]):
    """No keyring here: choose where the sign-in is kept (kind, passphrase)."""

    BINDINGS = [Binding("escape", "skip", N_("This session only"), id="storage.skip")]

    def __init__(self, selection: StoreSelection) -> None:
        super().__init__(classes="dialog")
        self.selection = selection

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog--box"):
            yield Static(_("Where should mktui keep this sign-in?"), classes="dialog--title")
            yield Static(
                Content(safe_text(f"{self.selection.sentence} {self.selection.fix}", limit=600)),
                classes="dialog--body",
            )
            yield OptionList(
                *(Option(Content(kind.label), id=kind.value) for kind in self.selection.choices),
                id="storage-choices",
            )
            yield LabelledField(
                _("Passphrase for the encrypted file"),
                FieldInput(password=True, id="storage-passphrase", compact=True),
                id="storage-passphrase-field",
            )
            with Horizontal(classes="dialog--buttons"):
                yield Button(_("Keep"), variant="primary", id="storage-keep", compact=True)

    def on_mount(self) -> None:
        self.query_one("#storage-choices", OptionList).highlighted = 0
        self.query_one("#storage-choices").focus()
        self._show_passphrase()

    def _choice(self) -> str:
        option = self.query_one("#storage-choices", OptionList).highlighted_option
        return option.id if option is not None and option.id else "memory"

    @on(OptionList.OptionHighlighted)
    def _show_passphrase(self) -> None:
        self.query_one("#storage-passphrase-field").display = self._choice() == "encrypted-file"

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        if self._choice() == "encrypted-file":
            self.query_one("#storage-passphrase").focus()
        else:
            self._keep()

    @on(Input.Submitted, "#storage-passphrase")
    @on(Button.Pressed, "#storage-keep")
    def _keep(self) -> None:
        choice = self._choice()
        passphrase = None
        if choice == "encrypted-file":
            widget = self.query_one("#storage-passphrase", Input)
            passphrase = widget.value
            widget.value = ""
            if not passphrase.strip():
                self.query_one("#storage-passphrase-field", LabelledField).point(
                    _("Type a passphrase; you will need it the next time you start mktui.")
                )
                return
        self.dismiss((choice, passphrase))

    def action_skip(self) -> None:
        """Keep the sign-in for this session only."""
        self.dismiss(("memory", None))
