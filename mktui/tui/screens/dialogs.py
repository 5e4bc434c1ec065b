"""Modal dialogs: an error to read, a confirmation, sign in again."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from mktui.api.errors import ApiError, ErrorKind
from mktui.core.i18n import N_, _
from mktui.tui.screens.base import ConsoleModal, DialogKeys
from mktui.tui.widgets.field import LabelledField
from mktui.tui.widgets.field_input import FieldInput
from mktui.tui.widgets.text import safe_text


class ErrorModal(DialogKeys, ModalScreen[None]):
    """A failure the admin should read: what happened and what to do next."""

    BINDINGS = [
        Binding("escape", "close", N_("Close"), id="dialog.close"),
        Binding("enter", "close", N_("Close"), id="dialog.close-enter", show=False),
    ]

    def __init__(self, title: str, message: str) -> None:
        super().__init__(classes="dialog -error")
        self._title = title
        self._message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog--box"):
            yield Static(Content(safe_text(self._title)), classes="dialog--title")
            yield Static(Content(safe_text(self._message, limit=2000)), classes="dialog--body")
            with Horizontal(classes="dialog--buttons"):
                yield Button(_("OK"), variant="primary", id="dialog-ok")

    @on(Button.Pressed, "#dialog-ok")
    def action_close(self) -> None:
        """Close the dialog."""
        self.dismiss(None)


class ConfirmModal(DialogKeys, ModalScreen[bool]):
    """Money moves only after this: it states the exact amount, the card and what changes."""

    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="dialog.cancel"),
        Binding("y", "confirm", N_("Confirm"), id="dialog.confirm"),
    ]

    def __init__(
        self,
        title: str,
        lines: list[str],
        *,
        confirm_label: str | None = None,
        cancel_label: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's name
    ) -> None:
        super().__init__(classes="dialog", id=id)
        self._title = title
        self._lines = lines
        self._confirm_label = confirm_label or _("Confirm")
        # "Cancel" is ambiguous under "Cancel the subscription": that dialog names what it keeps.
        self._cancel_label = cancel_label or _("Cancel")

    @property
    def title_text(self) -> str:
        """The question asked, e.g. ``Confirm payment``."""
        return self._title

    @property
    def sentences(self) -> str:
        """What the confirmation states (amount, card, what changes), as one text."""
        return " ".join(line for line in self._lines if line)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog--box"):
            yield Static(Content(self._title), classes="dialog--title")
            yield Static(Content("\n".join(self._lines)), classes="dialog--body")
            with Horizontal(classes="dialog--buttons"):
                yield Button(Content(self._confirm_label), variant="success", id="dialog-confirm")
                yield Button(Content(self._cancel_label), id="dialog-cancel")

    def on_mount(self) -> None:
        # Cancel has the focus: a double Enter on Pay must not confirm a charge unseen.
        self.query_one("#dialog-cancel", Button).focus()

    @on(Button.Pressed, "#dialog-confirm")
    def action_confirm(self) -> None:
        """Go ahead."""
        self.dismiss(True)

    @on(Button.Pressed, "#dialog-cancel")
    def action_cancel(self) -> None:
        """Do nothing."""
        self.dismiss(False)


class SignInAgainModal(ConsoleModal):
    """The session ended: ask for the password over the current screen, which keeps its input."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="dialog.cancel")]

    def __init__(self, email: str) -> None:
        super().__init__(classes="dialog")
        self._email = email

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog--box"):
            yield Static(_("Sign in again"), classes="dialog--title")
            yield Static(
                Content(
                    _(
                        "Your session has ended. Enter the password for {email} "
                        "to continue; what you typed on this screen is kept."
                    ).format(email=safe_text(self._email))
                ),
                classes="dialog--body",
            )
            yield LabelledField(
                _("Password"),
                FieldInput(password=True, id="again-password"),
                id="again-password-field",
            )
            with Horizontal(classes="dialog--buttons"):
                yield Button(_("Sign in"), variant="primary", id="again-submit")
                yield Button(_("Cancel"), id="again-cancel")

    @on(Input.Submitted, "#again-password")
    @on(Button.Pressed, "#again-submit")
    def _submit(self) -> None:
        password = self.query_one("#again-password", Input).value
        field = self.query_one("#again-password-field", LabelledField)
        if not password:
            field.point(_("Enter your password."))
            return
        field.set_error(None)
        self._sign_in(password)

    @work(exclusive=True, group="sign-in-again", exit_on_error=False)
    async def _sign_in(self, password: str) -> None:
        box = self.query_one(".dialog--box")
        box.loading = True
        try:
            await self.console.sign_in_again(self._email, password)
        except ApiError as error:
            if error.kind is not ErrorKind.UNAUTHENTICATED:
                raise
            self.query_one("#again-password-field", LabelledField).point(
                _("That password is not right. Try again.")
            )
            return
        finally:
            box.loading = False
            self.query_one("#again-password", Input).value = ""
        self.dismiss(True)

    @on(Button.Pressed, "#again-cancel")
    def action_cancel(self) -> None:
        """Stay signed out; the screen underneath keeps its input."""
        self.dismiss(False)
