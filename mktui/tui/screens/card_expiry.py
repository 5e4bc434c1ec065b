"""Update expiry: a reissued card's new MM/YY, checked as typed (not in the past); the number never changes."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from mktui.api.errors import ApiError, ErrorKind
from mktui.core import card_rules
from mktui.core.card_brands import card_label
from mktui.core.i18n import N_, _, pgettext
from mktui.tui.screens.records import FormModal
from mktui.tui.widgets.field import LabelledField
from mktui.tui.widgets.field_input import FieldInput
from mktui.tui.widgets.text import safe_text

if TYPE_CHECKING:
    from mktui.api import models


class ExpiryModal(FormModal):
    """The selected card's new expiry; Save sends ``PATCH /v1/payment-methods/{id}``."""

    TITLE_TEXT = N_("Update expiry")

    def __init__(self, method: models.PaymentMethod, today: date) -> None:
        super().__init__(id="card-expiry-form")
        self.method = method
        self.today = today

    def form_title(self) -> str:
        # Apart from the key's "Update expiry", which is cut short in some languages so
        # that Payment methods' footer holds every key at 80 columns; the title has room.
        return pgettext("form title", "Update expiry")

    def compose_fields(self) -> ComposeResult:
        method = self.method
        yield Static(
            Content(
                _(
                    "{card}, now expiring {month:02d}/{year:02d}. "
                    "Type the date on the reissued card; its number stays the same."
                ).format(
                    card=card_label(method), month=method.exp_month, year=method.exp_year % 100
                )
            ),
            classes="dialog--body",
        )
        yield LabelledField(
            _("New expiry (MM/YY)"),
            FieldInput(
                compact=True,
                id="expiry-new",
                max_length=7,
                placeholder=_("MM/YY"),
                restrict=r"[0-9/ ]*",
                allowed=_("digits and /"),
            ),
            id="expiry-new-field",
        )

    def on_mount(self) -> None:
        self.query_one("#expiry-new").focus()

    @on(Input.Changed, "#expiry-new")
    def _check_as_typed(self, event: Input.Changed) -> None:
        _expiry, problem = card_rules.parse_expiry(event.value, self.today, complete=False)
        self.query_one("#expiry-new-field", LabelledField).set_error(_past_to_this(problem))

    async def save(self, box: Vertical) -> None:
        field = self.query_one("#expiry-new-field", LabelledField)
        expiry, problem = card_rules.parse_expiry(
            self.query_one("#expiry-new", Input).value, self.today, complete=True
        )
        if expiry is None:
            field.set_error(_past_to_this(problem))
            self.query_one("#expiry-new").focus()
            return
        box.loading = True
        try:
            client = await self.console.session.ready_client()
            updated = await client.update_payment_method(
                self.method.id, exp_month=expiry.month, exp_year=expiry.year
            )
        except ApiError as error:
            if error.kind is ErrorKind.VALIDATION:
                field.set_error(safe_text(error.message))
                self.query_one("#expiry-new").focus()
                return
            raise
        self.dismiss(updated)


def _past_to_this(problem: str | None) -> str | None:
    """The card form's "use another card" fits a new card, not this one's reissue."""
    if problem == card_rules.expired_refusal():
        return _("That month has passed: type the expiry printed on the reissued card.")
    return problem
