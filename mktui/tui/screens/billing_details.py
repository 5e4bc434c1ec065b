"""Billing details: the legal name, CPF/CNPJ and address invoices and receipts are issued to.

Opened from the Financial hub (``b``). Every field is checked as it is typed
with the rules the server applies (:mod:`mktui.core.taxid`,
:mod:`mktui.core.address`: CEP of 8 digits, one of the 27 UF codes); a bad
field is marked with one line saying what to fix and keeps what was typed,
and so does a field the server refuses (``address.postal_code``…). Two
columns, so the whole form fits 80×24.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import Input

from mktui.api.errors import ApiError, ErrorKind
from mktui.core import address, taxid
from mktui.core.card_numbers import holds_card_number
from mktui.core.i18n import N_, _
from mktui.tui.screens.records import FormModal
from mktui.tui.widgets.field import LabelledField
from mktui.tui.widgets.field_input import FieldInput
from mktui.tui.widgets.text import safe_text

if TYPE_CHECKING:
    from mktui.api import models

# (field, label, max length, placeholder): the wire's names, in the order they are read.
# "CEP" is the Brazilian postal code's own name, like CPF and CNPJ: the same in every language.
_FIELDS = (
    ("name", N_("Legal name"), 120, N_("as registered")),
    ("tax_id", N_("CPF or CNPJ"), 18, N_("CPF or CNPJ number")),
    ("street", N_("Street"), 120, "Av. Paulista"),
    ("number", N_("Number"), 20, "1000"),
    ("complement", N_("Complement (optional)"), 120, "sala 5"),
    ("district", N_("District"), 120, "Bela Vista"),
    ("city", N_("City"), 120, "São Paulo"),
    ("state", N_("State (UF)"), 2, "SP"),
    ("postal_code", "CEP", 9, "01310-100"),
    ("country", N_("Country"), 2, "BR"),
)
_WORDED = frozenset({"name", "tax_id"})
"""The fields whose placeholder is words to translate; the address shows a Brazilian example."""


_NAMES = frozenset(name for name, *_rest in _FIELDS)


def _placeholder(name: str, text: str) -> str:
    """``as registered`` in the language in use, or ``e.g. Av. Paulista`` (the country: ``BR``)."""
    if name in _WORDED:
        return _(text)
    if name == "country":
        return text
    return _("e.g. {example}").format(example=text)


def name_problem(value: str, *, complete: bool) -> str | None:
    """What is wrong with the legal name, or None."""
    if holds_card_number(value):
        return _("This looks like a card number; type the company's legal name here.")
    if complete and not value.strip():
        return _("Type the legal name invoices are issued to.")
    return None


def tax_id_problem(value: str, *, complete: bool, required: bool) -> str | None:
    """What is wrong with the CPF/CNPJ as typed, or None (a partial number waits until complete)."""
    number = taxid.compact(value)
    if not number:
        if complete and required:
            return _("A BRL account needs its CPF or CNPJ; type it.")
        return None
    if not complete and len(number) not in (taxid.CPF_LENGTH, taxid.CNPJ_LENGTH):
        if len(number) > taxid.CNPJ_LENGTH:
            return _("A CNPJ has 14 characters; this one has {n}.").format(n=len(number))
        return None
    try:
        taxid.validate(number)
    except taxid.TaxIdError as error:
        return error.sentence
    return None


def address_problem(name: str, value: str, country: str, *, complete: bool) -> str | None:
    """What is wrong with one address field as typed, or None."""
    text = value.strip()
    if not complete:
        if not text:
            return None
        # While typing, only what can already be told: a CEP or UF that cannot become right.
        if name == "postal_code" and country == "BR":
            digits = text.replace("-", "")
            if not digits.isdigit() or len(digits) > 8:
                return _("The CEP has 8 digits, like 01310-100.")
            return None
        if name == "state" and country == "BR" and len(text) < 2:
            return None
        if name == "country" and len(text) < 2:
            return None
    try:
        address.check_field(name, text, country)
    except address.AddressError as error:
        return error.sentence
    return None


class BillingDetailsModal(FormModal):
    """Legal name, CPF/CNPJ and address, checked as typed; Save sends ``PATCH /v1/account``."""

    TITLE_TEXT = N_("Billing details · invoices and receipts are issued to these")
    SAVE_LABEL = N_("Save")

    def __init__(self, account: models.Account) -> None:
        super().__init__(id="billing-details")
        self.account = account
        self.required_tax_id = account.currency == "BRL"

    def compose_fields(self) -> ComposeResult:
        current = self._current()
        with Grid(id="billing-grid"):
            for name, label, length, placeholder in _FIELDS:
                yield LabelledField(
                    _(label),
                    FieldInput(
                        current.get(name, ""),
                        compact=True,
                        id=f"billing-{name}",
                        max_length=length,
                        placeholder=_placeholder(name, placeholder),
                    ),
                    id=f"billing-{name}-field",
                )

    def _current(self) -> dict[str, str]:
        """What the server keeps now, as the fields show it."""
        account = self.account
        values = {"name": account.name, "tax_id": "", "country": "BR"}
        if account.tax_id:
            try:
                values["tax_id"] = taxid.format(account.tax_id)
            except taxid.TaxIdError:
                values["tax_id"] = account.tax_id
        if account.address is not None:
            kept = account.address.model_dump()
            values.update({k: v or "" for k, v in kept.items()})
            if account.address.country == "BR":
                values["postal_code"] = address.format_cep(account.address.postal_code)
        return values

    def on_mount(self) -> None:
        self.query_one("#billing-name").focus()

    def _field(self, name: str) -> LabelledField:
        return self.query_one(f"#billing-{name}-field", LabelledField)

    def _value(self, name: str) -> str:
        return self.query_one(f"#billing-{name}", Input).value

    @property
    def country(self) -> str:
        """The country typed (BR until it says otherwise): the CEP and UF rules follow it."""
        return self._value("country").strip().upper() or "BR"

    def _problem(self, name: str, *, complete: bool) -> str | None:
        value = self._value(name)
        if name == "name":
            return name_problem(value, complete=complete)
        if name == "tax_id":
            return tax_id_problem(value, complete=complete, required=self.required_tax_id)
        return address_problem(name, value, self.country, complete=complete)

    @on(Input.Changed)
    def _check_as_typed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("billing-")
        if name in _NAMES:
            self._field(name).set_error(self._problem(name, complete=False))

    @property
    def without_address(self) -> bool:
        """No address typed at all (an account that never had one): only name and tax id change."""
        return all(not self._value(name).strip() for name in address.FIELDS if name != "country")

    def _check(self) -> bool:
        """Every field, complete: mark each bad one; focus the first."""
        first = None
        skip = set(address.FIELDS) if self.without_address else set()
        for name, *_rest in _FIELDS:
            problem = None if name in skip else self._problem(name, complete=True)
            self._field(name).set_error(problem)
            if problem and first is None:
                first = name
        if first is not None:
            self.query_one(f"#billing-{first}").focus()
            return False
        return True

    async def save(self, box: Vertical) -> None:
        if not self._check():
            return
        country = self.country
        fields = {name: self._value(name).strip() for name, *_rest in _FIELDS}
        place: dict[str, str | None] | None = None
        if not self.without_address:
            place = {
                name: address.check_field(name, fields[name], country)
                for name in address.FIELDS
                if name != "country"
            }
            place["country"] = country
        tax = taxid.compact(fields["tax_id"]) or None
        box.loading = True
        try:
            client = await self.console.session.ready_client()
            account = await client.update_account(
                name=" ".join(fields["name"].split()), tax_id=tax, address=place
            )
        except ApiError as error:
            # The server's rules are the last word: mark the field it names, keep the input.
            named = (error.field or "").removeprefix("address.")
            if error.kind in (ErrorKind.VALIDATION, ErrorKind.CONFLICT) and named in _NAMES:
                self._field(named).set_error(safe_text(error.message))
                self.query_one(f"#billing-{named}").focus()
                return
            raise
        self.dismiss(account)


def billing_summary(account: models.Account) -> str:
    """One line for the hub: ``CNPJ 11.222.333/0001-81 · São Paulo/SP``, or what is missing."""
    parts = []
    if account.tax_id:
        try:
            number = taxid.validate(account.tax_id)
            parts.append(f"{number.kind.upper()} {number.formatted}")
        except taxid.TaxIdError:
            parts.append(safe_text(account.tax_id, limit=20))
    if account.address is not None:
        place = account.address
        parts.append(safe_text(f"{place.city}/{place.state}", limit=40))  # São Paulo/SP
    if not parts:
        return _("not given yet: press b to add them")
    return " · ".join(parts)
