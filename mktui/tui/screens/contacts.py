"""Contacts: the financial contacts who receive billing notices; add one, remove one.

Names and emails come from the server and are shown literally: a contact
named ``[bold]x[/`` reads exactly so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input

from mktui.api.errors import ApiError, ErrorKind
from mktui.core.card_numbers import holds_card_number
from mktui.core.i18n import N_, _
from mktui.tui.screens.dialogs import ConfirmModal
from mktui.tui.screens.records import FormModal, RecordsScreen, Row
from mktui.tui.services.intent import Intent
from mktui.tui.widgets.field import LabelledField
from mktui.tui.widgets.field_input import FieldInput
from mktui.tui.widgets.text import safe_text

if TYPE_CHECKING:
    from mktui.api import models
    from mktui.api.client import BillingClient

# Catches typing mistakes only; the server decides what an email address is.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def name_error(value: str, *, complete: bool) -> str | None:
    """What is wrong with a contact's name, or None: empty (when complete) or a card number."""
    if holds_card_number(value):
        return _("This looks like a card number; type the contact's name here.")
    if complete and not value.strip():
        return _("Enter the contact's name.")
    return None


def email_error(value: str, *, complete: bool) -> str | None:
    """Why ``value`` is not an email address yet (as typed), or None."""
    text = value.strip()
    if not text:
        return _("Enter the email address that should get billing notices.") if complete else None
    if any(char.isspace() for char in text) or text.count("@") > 1:
        return _("An email address has one @ and no spaces, like name@example.com.")
    if complete and not _EMAIL.fullmatch(text):
        return _("Enter a whole email address, like name@example.com.")
    return None


class ContactsScreen(RecordsScreen):
    """The financial contacts: ``a`` adds one, ``x`` removes one after a confirmation."""

    MODE = "contacts"
    TITLE_TEXT = N_("Contacts")
    LIST_TITLE = N_("Financial contacts · they receive billing notices")
    COLUMNS = (N_("Name"), N_("Email"))
    BINDINGS = [
        Binding("a", "add", N_("Add"), id="contacts.add", tooltip=N_("Add a financial contact")),
        Binding(
            "e",
            "edit",
            N_("Edit"),
            id="contacts.edit",
            tooltip=N_("Correct the selected contact's name or email"),
        ),
        Binding(
            "x,delete",
            "remove",
            N_("Remove"),
            id="contacts.remove",
            tooltip=N_("Stop sending billing notices to the selected contact"),
        ),
    ]

    contacts: list[models.FinancialContact] = []

    async def fetch(self, client: BillingClient) -> None:
        self.contacts = list(await client.contacts())

    def rows(self) -> Iterable[Row]:
        for contact in self.contacts:
            yield (
                contact.id,
                (Text(safe_text(contact.name, limit=60)), Text(safe_text(contact.email, limit=80))),
            )

    def after_load(self) -> None:
        self.set_note(
            _(
                "No financial contacts: billing notices go to the account email only. Press a to add one."
            )
            if not self.contacts
            else _("Invoices, receipts and payment failures are emailed to each contact.")
        )

    @property
    def selected(self) -> models.FinancialContact | None:
        """The highlighted contact."""
        key = self.selected_key
        return next((c for c in self.contacts if c.id == key), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("remove", "edit"):
            return None if self.selected is None else True
        return True

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (_("contacts: Add"), _("Add a financial contact (a)"), self.action_add)
        ]
        if self.selected is not None:
            commands.append(
                (
                    _("contacts: Edit"),
                    _("Correct the selected contact's name or email (e)"),
                    self.action_edit,
                )
            )
            commands.append(
                (_("contacts: Remove"), _("Remove the selected contact (x)"), self.action_remove)
            )
        return commands

    def action_add(self) -> None:
        """Open the contact form."""
        self.app.push_screen(AddContactModal(), callback=self._added)

    def _added(self, contact: models.FinancialContact | None) -> None:
        if contact is not None:
            self.notify(
                _("{email} will receive billing notices.").format(email=safe_text(contact.email)),
                markup=False,
            )
            self.load(contact.id)

    def action_edit(self) -> None:
        """Open the selected contact in the form, to correct its name or email."""
        contact = self.selected
        if contact is not None:
            self.app.push_screen(EditContactModal(contact), callback=self._edited)

    def _edited(self, contact: models.FinancialContact | None) -> None:
        if contact is not None:
            self.notify(
                _("Saved: {name} <{email}>.").format(
                    name=safe_text(contact.name, limit=60), email=safe_text(contact.email)
                ),
                markup=False,
            )
            self.load(contact.id)

    def action_remove(self) -> None:
        """Remove the highlighted contact after a confirmation naming them."""
        contact = self.selected
        if contact is None:
            return
        who = f"{safe_text(contact.name, limit=60)} <{safe_text(contact.email, limit=80)}>"
        self.change(
            lambda client: client.remove_contact(contact.id),
            done=_("Removed {who}.").format(who=who),
            confirm=ConfirmModal(
                _("Remove this contact?"),
                [
                    _("Stop sending billing notices to {who}?").format(who=who),
                    "",
                    _("Press y or choose Remove to remove; Escape keeps the contact."),
                ],
                confirm_label=_("Remove"),
            ),
        )


class AddContactModal(FormModal):
    """Add financial contact: Name and Email, checked as typed, then Confirm."""

    TITLE_TEXT = N_("Add financial contact")
    SAVE_LABEL = N_("Confirm")

    def __init__(self, contact: models.FinancialContact | None = None) -> None:
        super().__init__(id="add-contact")
        self._intent = Intent()
        self.contact = contact
        """The contact edited, or None when adding one."""

    def compose_fields(self) -> ComposeResult:
        yield LabelledField(
            _("Name"),
            FieldInput(
                self.contact.name if self.contact else "",
                compact=True,
                id="contact-name",
                max_length=120,
                placeholder=_("who reads the bills"),
            ),
            id="contact-name-field",
        )
        yield LabelledField(
            _("Email"),
            FieldInput(
                self.contact.email if self.contact else "",
                compact=True,
                id="contact-email",
                max_length=254,
                placeholder=_("name@example.com"),
            ),
            id="contact-email-field",
        )

    def on_mount(self) -> None:
        self.query_one("#contact-name").focus()

    def _field(self, name: str) -> LabelledField:
        return self.query_one(f"#contact-{name}-field", LabelledField)

    @on(Input.Changed, "#contact-email")
    def _check_email(self, event: Input.Changed) -> None:
        self._field("email").set_error(email_error(event.value, complete=False))

    @on(Input.Changed, "#contact-name")
    def _check_name(self, event: Input.Changed) -> None:
        self._field("name").set_error(name_error(event.value, complete=False))

    def _check(self) -> bool:
        name = self.query_one("#contact-name", Input).value.strip()
        email = self.query_one("#contact-email", Input).value
        name_error_ = name_error(name, complete=True)
        mail_error = email_error(email, complete=True)
        self._field("name").set_error(name_error_)
        self._field("email").set_error(mail_error)
        if name_error_ or mail_error:
            self.query_one("#contact-name" if name_error_ else "#contact-email").focus()
            return False
        return True

    async def save(self, box: Vertical) -> None:
        if not self._check():
            return
        name = self.query_one("#contact-name", Input).value.strip()
        email = self.query_one("#contact-email", Input).value.strip()
        box.loading = True
        # One key per intent: Confirm again after a lost answer sends the same key, and the
        # server answers the first request instead of refusing the email as already taken.
        key = self._intent.key((name, email))
        try:
            client = await self.console.session.ready_client()
            contact = await client.add_contact(name, email, idempotency_key=key)
        except ApiError as error:
            if error.kind in (ErrorKind.CONFLICT, ErrorKind.VALIDATION):
                self._intent.end()  # a definite answer: nothing was added
            # 409: already a contact; 422: the server does not take the address. Both name a field.
            if error.kind is ErrorKind.CONFLICT:
                self._mark("email", _("That email already receives billing notices."))
                return
            if error.kind is ErrorKind.VALIDATION and error.field in ("name", "email"):
                self._mark(error.field, safe_text(error.message))
                return
            raise
        self._intent.end()
        self.dismiss(contact)

    def _mark(self, field: str, message: str) -> None:
        self._field(field).set_error(message)
        self.query_one(f"#contact-{field}").focus()


class EditContactModal(AddContactModal):
    """Edit financial contact: the same form, filled in; Save sends only what changed."""

    TITLE_TEXT = N_("Edit financial contact")
    SAVE_LABEL = N_("Save")

    def __init__(self, contact: models.FinancialContact) -> None:
        super().__init__(contact)

    async def save(self, box: Vertical) -> None:
        contact = self.contact
        assert contact is not None
        if not self._check():
            return
        name = self.query_one("#contact-name", Input).value.strip()
        email = self.query_one("#contact-email", Input).value.strip()
        if (name, email) == (contact.name, contact.email):
            self.dismiss(None)  # nothing changed: nothing to send
            return
        box.loading = True
        try:
            client = await self.console.session.ready_client()
            edited = await client.update_contact(
                contact.id,
                name=name if name != contact.name else None,
                email=email if email != contact.email else None,
            )
        except ApiError as error:
            # 409: the email is another contact's; 422: refused. The server's sentence goes
            # on the field it names (the client keeps ``field`` for both), the input stays.
            if error.kind in (ErrorKind.CONFLICT, ErrorKind.VALIDATION):
                field = error.field if error.field in ("name", "email") else "email"
                self._mark(field, safe_text(error.message))
                return
            raise
        self.dismiss(edited)
