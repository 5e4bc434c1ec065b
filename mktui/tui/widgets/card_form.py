"""A new card: holder, number, expiry (MM/YY) and CVC, checked as typed.

The number and CVC live only in the two Input widgets until submit: the form
hands them over inside a :class:`NewPaymentMethod` (``SecretStr``, hidden in
reprs) and the screen calls :meth:`CardForm.clear_secrets` right after, so they
are not kept in widget state, logged or echoed. Only brand and last 4 are shown.
"""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input

from mktui.api.models import NewPaymentMethod
from mktui.core import card_rules
from mktui.core.card_numbers import holds_card_number
from mktui.core.i18n import _
from mktui.tui.widgets.field import LabelledField
from mktui.tui.widgets.field_input import FieldInput


class CardForm(Vertical):
    """The four card fields with inline errors; :meth:`collect` returns the card or marks fields."""

    DEFAULT_CSS = """
    CardForm { height: auto; }
    CardForm > Horizontal { height: auto; }
    CardForm #card-expiry-field, CardForm #card-cvc-field { width: 1fr; }
    """

    def __init__(self, *, today: date, make_default: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.today = today
        self.make_default = make_default

    def compose(self) -> ComposeResult:
        yield LabelledField(
            _("Cardholder name"),
            FieldInput(
                compact=True,
                placeholder=_("as printed on the card"),
                id="card-holder",
                max_length=120,
            ),
            id="card-holder-field",
        )
        yield LabelledField(
            _("Card number"),
            FieldInput(
                compact=True,
                placeholder=_("12 to 19 digits"),
                id="card-number",
                max_length=23,
            ),
            id="card-number-field",
        )
        with Horizontal():
            yield LabelledField(
                _("Expiry (MM/YY)"),
                FieldInput(
                    compact=True,
                    placeholder=_("MM/YY"),
                    id="card-expiry",
                    max_length=7,
                ),
                id="card-expiry-field",
            )
            yield LabelledField(
                "CVC",
                FieldInput(
                    compact=True,
                    placeholder=_("3 or 4 digits"),
                    id="card-cvc",
                    password=True,
                    max_length=4,
                ),
                id="card-cvc-field",
            )

    def _value(self, input_id: str) -> str:
        return self.query_one(f"#{input_id}", Input).value

    def _field(self, name: str) -> LabelledField:
        return self.query_one(f"#card-{name}-field", LabelledField)

    @property
    def brand(self) -> str:
        """The brand of the number typed so far."""
        return card_rules.brand_of(self._value("card-number"))

    def describe(self) -> str:
        """``Visa •••• 4242``: brand and last 4 of the typed number, for the confirmation."""
        digits = card_rules.digits_of(self._value("card-number"))
        return f"{card_rules.BRAND_NAMES[self.brand]} •••• {digits[-4:]}"

    @on(Input.Changed)
    def _check_as_typed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self))
        self._check(complete=False, only=event.input.id)

    @on(Input.Blurred, "#card-number")
    def _group_digits(self, event: Input.Blurred) -> None:
        """Leaving the number field shows it grouped as printed on the card."""
        grouped = card_rules.group_number(event.value)
        if grouped != event.value and event.value.replace(" ", "").isdigit():
            with event.input.prevent(Input.Changed):
                event.input.value = grouped

    @on(Input.Blurred, "#card-expiry")
    def _show_expiry(self, event: Input.Blurred) -> None:
        """Leaving the expiry field shows it as MM/YY (``1230`` reads ``12/30``)."""
        expiry, _problem = card_rules.parse_expiry(event.value, self.today, complete=True)
        if expiry is not None:
            shown = f"{expiry.month:02d}/{expiry.year % 100:02d}"
            if shown != event.value:
                with event.input.prevent(Input.Changed):
                    event.input.value = shown

    class Changed(Message):
        """Posted on every keystroke in the form, so a screen can start a new Pay intent."""

        def __init__(self, form: CardForm) -> None:
            super().__init__()
            self.form = form

    def _check(self, *, complete: bool, only: str | None = None) -> dict[str, str]:
        errors: dict[str, str] = {}
        number = self._value("card-number")
        brand = card_rules.brand_of(number)
        if only in (None, "card-holder"):
            holder = self._value("card-holder").strip()
            if complete and not holder:
                errors["holder"] = _("Enter the cardholder's name as printed on the card.")
            elif holds_card_number(holder):
                # Never sent: a card number typed here would be stored and shown in clear.
                errors["holder"] = _(
                    "This looks like a card number; type the name as printed on the card, "
                    "and the number in Card number."
                )
            self._field("holder").set_error(errors.get("holder"))
        if only in (None, "card-number"):
            problem = card_rules.number_error(number, complete=complete)
            if problem:
                errors["number"] = problem
            self._field("number").set_error(problem)
            digits = card_rules.digits_of(number)
            self._field("number").set_hint(
                card_rules.BRAND_NAMES[brand] if len(digits) >= 2 and brand != "other" else ""
            )
        if only in (None, "card-expiry"):
            _expiry, problem = card_rules.parse_expiry(
                self._value("card-expiry"), self.today, complete=complete
            )
            if problem:
                errors["expiry"] = problem
            self._field("expiry").set_error(problem)
        if only in (None, "card-cvc", "card-number"):
            problem = card_rules.cvc_error(self._value("card-cvc"), brand, complete=complete)
            if problem:
                errors["cvc"] = problem
            self._field("cvc").set_error(problem)
        return errors

    def collect(self) -> NewPaymentMethod | None:
        """The card to attach, or None after marking every bad field and focusing the first."""
        errors = self._check(complete=True)
        if errors:
            first = next(iter(errors))
            self.query_one(f"#card-{first}", Input).focus()
            return None
        expiry, _problem = card_rules.parse_expiry(
            self._value("card-expiry"), self.today, complete=True
        )
        assert expiry is not None  # _check passed
        return NewPaymentMethod(
            holder_name=self._value("card-holder").strip(),
            number=card_rules.digits_of(self._value("card-number")),
            exp_month=expiry.month,
            exp_year=expiry.year,
            cvc=self._value("card-cvc"),
            make_default=self.make_default,
        )

    def mark(self, field: str | None, message: str) -> str:
        """Show a server-side problem (``number``, ``cvc``…) on the matching field and focus it.

        Returns the selector of the input it focused, for a screen that moves focus later.
        """
        names = {
            "number": "number",
            "cvc": "cvc",
            "holder_name": "holder",
            "exp_month": "expiry",
            "exp_year": "expiry",
        }
        name = names.get(field or "", "number")
        self._field(name).point(message)
        return f"#card-{name}"

    def clear_secrets(self) -> None:
        """Empty the number and CVC inputs (called right after submit)."""
        for input_id in ("card-number", "card-cvc"):
            widget = self.query_one(f"#{input_id}", Input)
            with widget.prevent(Input.Changed):
                widget.value = ""
        self._field("number").set_hint("")
