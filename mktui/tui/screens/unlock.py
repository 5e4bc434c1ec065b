"""Unlock the encrypted sign-in file at start-up, so the session resumes without the password.

Where no keyring works (SSH) the refresh token may be kept in the encrypted
file; the next ``mktui --profile NAME`` asks for its passphrase here instead of
the account password. The passphrase goes back to the caller (a worker that
opens the file off the UI thread) and is cleared from the Input at once.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from mktui.core.i18n import N_, _
from mktui.tui.screens.base import DialogKeys
from mktui.tui.widgets.field import LabelledField
from mktui.tui.widgets.field_input import FieldInput
from mktui.tui.widgets.text import safe_text

NOTHING_TYPED = N_(
    "Type the passphrase of the encrypted file, or press Escape to use your password."
)


class PassphraseModal(DialogKeys, ModalScreen[str | None]):
    """The passphrase of the encrypted file keeping ``profile``'s sign-in; None: sign in instead.

    ``error`` is shown under the field when the previous passphrase did not open the file.
    """

    BINDINGS = [
        Binding(
            "escape",
            "password_instead",
            N_("Sign in with your password instead"),
            id="unlock.password-instead",
        ),
    ]

    def __init__(self, profile: str, path: Path | str, error: str | None = None) -> None:
        super().__init__(classes="dialog")
        self._profile = profile
        self._path = str(path)
        self._error = error

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog--box"):
            yield Static(_("Unlock your sign-in"), classes="dialog--title")
            yield Static(
                Content(
                    safe_text(
                        _(
                            'The sign-in of profile "{profile}" is kept in the encrypted file '
                            "{path}. Type its passphrase to continue where you left off."
                        ).format(profile=self._profile, path=self._path),
                        limit=600,
                    )
                ),
                classes="dialog--body",
            )
            yield LabelledField(
                _("Passphrase"),
                FieldInput(password=True, id="unlock-passphrase", compact=True, max_length=1024),
                id="unlock-passphrase-field",
            )
            with Horizontal(classes="dialog--buttons"):
                yield Button(_("Unlock"), variant="primary", id="unlock-submit", compact=True)
                yield Button(_("Use my password"), id="unlock-password-instead", compact=True)

    def on_mount(self) -> None:
        if self._error:
            self._field.set_error(safe_text(self._error, limit=600))
        self._input.focus()

    @property
    def _input(self) -> Input:
        return self.query_one("#unlock-passphrase", Input)

    @property
    def _field(self) -> LabelledField:
        return self.query_one("#unlock-passphrase-field", LabelledField)

    @on(Input.Submitted, "#unlock-passphrase")
    @on(Button.Pressed, "#unlock-submit")
    def _unlock(self) -> None:
        widget = self._input
        passphrase = widget.value
        widget.value = ""  # never left on screen, nor in the widget for the crash screen
        if not passphrase.strip():
            self._field.set_error(_(NOTHING_TYPED))
            widget.focus()
            return
        self.dismiss(passphrase)

    @on(Button.Pressed, "#unlock-password-instead")
    def action_password_instead(self) -> None:
        """Leave the file locked and sign in with the account password."""
        self.dismiss(None)
