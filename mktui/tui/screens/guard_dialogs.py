"""The guard rails of a change of devices: pay the overdue first, and type a big number twice."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from mktui.core.i18n import N_, _
from mktui.tui.screens.base import DialogKeys
from mktui.tui.screens.dialogs import ConfirmModal
from mktui.tui.widgets.field import LabelledField
from mktui.tui.widgets.field_input import FieldInput

PAY_FIRST = "pay-first"
"""What :class:`ConfirmOrPayFirstModal` answers when the admin chose to pay the overdue first."""


class ConfirmOrPayFirstModal(ConfirmModal):
    """The confirmation of more devices while invoices are overdue: it offers to pay them first.

    Dismissed with ``True`` (go on), ``False`` (cancel) or :data:`PAY_FIRST`.
    """

    BINDINGS = [
        *ConfirmModal.BINDINGS,
        Binding("o", "pay_first", N_("Pay overdue first"), id="dialog.pay-first"),
    ]

    def on_mount(self) -> None:
        buttons = self.query_one(".dialog--buttons", Horizontal)
        buttons.mount(
            Button(_("Pay overdue first (o)"), variant="primary", id="dialog-pay-first"),
            before=0,
        )
        # Cancel keeps the focus (a double Enter must not charge); "o" or a click pays first.
        super().on_mount()

    @on(Button.Pressed, "#dialog-pay-first")
    def action_pay_first(self) -> None:
        """Change nothing now; go and pay the overdue invoices."""
        self.dismiss(PAY_FIRST)


class TypeAgainModal(DialogKeys, ModalScreen[bool]):
    """Type the new number of devices a second time before a change that multiplies the price.

    Nothing is charged unless the number typed here is the one typed before.
    """

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="dialog.cancel")]

    def __init__(self, devices: int, why: str) -> None:
        super().__init__(classes="dialog")
        self.devices = devices
        self.why = why
        """Why the number is asked again (the amount before and after)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog--box"):
            yield Static(_("Type the number again"), classes="dialog--title")
            yield Static(
                Content(
                    self.why
                    + "\n"
                    + _(
                        "Type the new number of devices again to go on; "
                        "nothing is charged unless it matches."
                    )
                ),
                classes="dialog--body",
            )
            yield LabelledField(
                _("New number of devices"),
                FieldInput(id="again-devices", max_length=6, compact=True),
                id="again-devices-field",
            )
            with Horizontal(classes="dialog--buttons"):
                yield Button(_("Continue"), variant="primary", id="again-continue", compact=True)
                yield Button(_("Cancel"), id="again-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#again-devices", Input).focus()

    @on(Input.Submitted, "#again-devices")
    @on(Button.Pressed, "#again-continue")
    def _check(self) -> None:
        field = self.query_one("#again-devices-field", LabelledField)
        typed = self.query_one("#again-devices", Input).value.strip()
        if typed == str(self.devices):
            self.dismiss(True)
            return
        field.point(
            _("Not the number typed before: type it again, or Escape.")
            if typed
            else _("Type the new number of devices.")
        )

    @on(Button.Pressed, "#again-cancel")
    def action_cancel(self) -> None:
        """Change nothing."""
        self.dismiss(False)
