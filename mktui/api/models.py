"""The billing API contract (../shared/design/api.md) as pydantic v2 models.

This module is the single source of the wire format: the typed client parses
answers with it and the sandbox serves it. Money on the wire is an integer
count of minor units (``StrictInt``: a float or a string is refused). Request
models forbid unknown fields; resource models ignore fields added later so an
older console keeps working against a newer server, but an unknown enum value
or a malformed amount is always an error.

Pure: imports neither Textual nor httpx.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    StrictBool,
    StrictInt,
    StringConstraints,
    field_validator,
    model_validator,
)

from mktui.core import pricing_types
from mktui.core.card_numbers import NAME_HOLDS_CARD, holds_card_number
from mktui.core.i18n import _
from mktui.core.money import Money

MAX_DEVICES = 100_000
"""The most devices one subscription may hold."""

Currency = Literal["BRL", "USD"]
Plan = Literal["monthly", "annual"]
AccountStatus = Literal["inactive", "active", "past_due", "suspended"]
SubscriptionStatus = Literal["active", "past_due", "suspended", "canceled"]
InvoiceStatus = Literal["open", "past_due", "paid", "void"]
LedgerKind = Literal["charge", "payment", "credit_grant", "credit_use", "refund"]
CardBrand = Literal[
    "visa", "mastercard", "amex", "elo", "hipercard", "discover", "diners", "jcb", "other"
]
PaymentFailureCode = Literal[
    "card_declined", "insufficient_funds", "expired_card", "processing_error"
]
ErrorCode = Literal[
    "malformed",
    "unauthenticated",
    "token_expired",
    "card_declined",
    "insufficient_funds",
    "expired_card",
    "processing_error",
    "not_found",
    "idempotency_conflict",
    "price_changed",
    "invoice_not_payable",
    "receipt_unavailable",
    "conflict",
    "validation_error",
    "invalid_number",
    "payload_too_large",
    "rate_limited",
    "internal_error",
    "pix_unavailable",
    "pix_expired",
    "pix_not_payable",
    "nfse_unavailable",
]

Amount = Annotated[StrictInt, Field(ge=0, le=10**13)]
"""A non-negative amount in minor units (centavos, cents)."""
SignedAmount = Annotated[StrictInt, Field(ge=-(10**13), le=10**13)]
"""A signed amount in minor units (ledger rows)."""
Devices = Annotated[StrictInt, Field(ge=1, le=MAX_DEVICES)]
Count = Annotated[StrictInt, Field(ge=0)]
Id = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Quote = Annotated[str, StringConstraints(min_length=1, max_length=128)]


def _no_card_number(value: str) -> str:
    if holds_card_number(value):
        raise ValueError(NAME_HOLDS_CARD)
    return value


Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=120),
    AfterValidator(_no_card_number),
]
"""A person's or company's name: free text, but never a card number (api.md, Additions)."""

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}$")


def _check_email(value: str) -> str:
    value = value.strip()
    if len(value) > 254 or not _EMAIL.match(value):
        raise ValueError(_("must be an email address like name@example.com"))
    return value.lower()


Email = Annotated[str, AfterValidator(_check_email)]


def _unsendable(value: object) -> str | None:
    """Why ``value`` (or a string inside it) cannot be stored, or None when it can.

    A lone UTF-16 surrogate ("\\ud800" in JSON) cannot be encoded as UTF-8, and
    NUL or other control characters cut strings short in C libraries and
    terminals: both are refused with the field named instead of failing later.
    """
    if isinstance(value, str):
        if any("\ud800" <= ch <= "\udfff" for ch in value):
            return _("holds a lone UTF-16 surrogate, which is not text")
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
            return _("holds a control character (such as NUL)")
        return None
    if isinstance(value, dict):
        items = [*value.keys(), *value.values()]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        return None
    return next((why for item in items if (why := _unsendable(item)) is not None), None)


class _Request(BaseModel):
    """A body the client sends: unknown fields are refused; amounts and counts are strict ints.

    No string in it may hold a lone surrogate or a control character.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _text_only(cls, value: object) -> object:
        why = _unsendable(value.get_secret_value() if isinstance(value, SecretStr) else value)
        if why is not None:
            raise ValueError(why)
        return value


class _Resource(BaseModel):
    """A body the server answers: fields added later are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)


# ---------------------------------------------------------------- errors
class ErrorBody(_Resource):
    code: ErrorCode | str
    message: str
    field: str | None = None
    preview: Preview | None = None
    """On 409 ``price_changed``: what would be charged now (with its new ``quote``)."""


class ErrorResponse(_Resource):
    """``{"error": {"code", "message", "field"}}``: every error has this shape."""

    error: ErrorBody


# ---------------------------------------------------------------- auth
class TokenRequest(_Request):
    email: Annotated[str, StringConstraints(min_length=1, max_length=254)]
    password: SecretStr = Field(min_length=1, max_length=1024)

    def wire(self) -> dict[str, str]:
        """The JSON body, with the password revealed for the request only."""
        return {"email": self.email, "password": self.password.get_secret_value()}


class RefreshRequest(_Request):
    refresh_token: SecretStr = Field(min_length=1, max_length=512)

    def wire(self) -> dict[str, str]:
        """The JSON body, with the token revealed for the request only."""
        return {"refresh_token": self.refresh_token.get_secret_value()}


class RevokeRequest(RefreshRequest):
    """POST /v1/auth/revoke: end the session this refresh token belongs to."""


class TokenResponse(_Resource):
    access_token: SecretStr
    refresh_token: SecretStr
    token_type: Literal["bearer"]
    expires_in: Count


# ---------------------------------------------------------------- account and prices
Text = Annotated[str, StringConstraints(max_length=120)]


class Address(_Resource):
    """A billing address as the server keeps it (CEP compact, state and country upper case)."""

    street: str
    number: str
    complement: str | None = None
    district: str
    city: str
    state: str
    postal_code: str
    country: str


class AddressInput(_Request):
    """An address to keep; the server checks CEP and UF for Brazil (``address.FIELD`` is named)."""

    street: Text
    number: Text
    complement: Text | None = None
    district: Text
    city: Text
    state: Text
    postal_code: Text
    country: Annotated[str, StringConstraints(max_length=2)] = "BR"


class AccountUpdate(_Request):
    """PATCH /v1/account: only the fields given change."""

    name: Name | None = None
    tax_id: Annotated[str, StringConstraints(max_length=32)] | None = None
    address: AddressInput | None = None


class UnpaidTotals(_Resource):
    """How many invoices of one kind are unpaid and their total (minor units)."""

    count: Count = 0
    total: Amount = 0


class Account(_Resource):
    id: Id
    name: str
    email: str
    status: AccountStatus
    plan: Plan | None = None
    currency: Currency | None = None
    tax_id: str | None = None
    billing_timezone: str = "America/Sao_Paulo"
    device_quota: Count = 0
    devices_in_use: Count = 0
    credit_balance: Amount = 0
    default_payment_method_id: Id | None = None
    address: Address | None = None
    now: datetime
    """The server's current time (the sandbox's test clock): every local preview's "today"."""
    open: UnpaidTotals | None = None
    """Open invoices (not yet due or not yet tried): None from a server that predates the summary."""
    overdue: UnpaidTotals | None = None
    """Past-due invoices, counted by the server (api.md, Additions: Account summary)."""


class Price(_Resource):
    currency: Currency
    plan: Plan
    unit_amount: Amount


class PriceList(_Resource):
    data: list[Price]


# ---------------------------------------------------------------- subscription
class PreviewRequest(_Request):
    """New subscription: currency, plan, devices (tax_id for BRL). Change: devices or plan."""

    devices: Devices | None = None
    currency: Currency | None = None
    plan: Plan | None = None
    tax_id: Annotated[str, StringConstraints(max_length=32)] | None = None
    at: date | None = None


class Line(_Resource):
    description: str
    quantity: Count
    unit_amount: Amount
    days: Count | None = None
    days_in_period: Count | None = None
    amount: Amount


class Preview(_Resource):
    currency: Currency
    lines: list[Line]
    subtotal: Amount
    credit_applied: Amount
    credit_granted: Amount = 0
    total: Amount
    period_start: date
    period_end: date
    next_renewal_date: date
    next_renewal_amount: Amount
    effective: date
    quote: Annotated[str, StringConstraints(max_length=128)] | None = None
    """Fingerprints everything the charge depends on: send it back as ``expected_quote``."""

    def priced(self) -> pricing_types.Preview:
        """This preview in Money, with its quote, once it adds up: the one reading of it.

        Raises :class:`mktui.core.pricing_types.PricingError` (field ``preview``)
        when its lines, credit and total disagree: such a preview is never shown
        or charged (``BillingClient.priced_preview`` turns that into an ``ApiError``).
        """

        def cash(amount: int) -> Money:
            return Money.from_minor(amount, self.currency)

        lines = tuple(
            pricing_types.PreviewLine(
                description=line.description,
                quantity=line.quantity,
                unit_amount=cash(line.unit_amount),
                days=line.days,
                days_in_period=line.days_in_period,
                amount=cash(line.amount),
            )
            for line in self.lines
        )
        return pricing_types.Preview(
            currency=self.currency,
            lines=lines,
            subtotal=cash(self.subtotal),
            credit_applied=cash(self.credit_applied),
            credit_granted=cash(self.credit_granted),
            total=cash(self.total),
            period_start=self.period_start,
            period_end=self.period_end,
            next_renewal_date=self.next_renewal_date,
            next_renewal_amount=cash(self.next_renewal_amount),
            effective=self.effective,
            quote=self.quote,
        ).check_adds_up()


class SubscribeRequest(_Request):
    currency: Currency
    plan: Plan
    devices: Devices
    tax_id: Annotated[str, StringConstraints(max_length=32)] | None = None
    payment_method_id: Id
    expected_total: Amount
    expected_quote: Quote | None = None
    """The preview's ``quote``: any difference in what would be charged answers 409."""


class ChangeSubscriptionRequest(_Request):
    """PATCH /v1/subscription: a new number of ``devices`` or a new ``plan``, one at a time."""

    devices: Devices | None = None
    plan: Plan | None = None
    expected_total: Amount
    expected_quote: Quote | None = None
    """The preview's ``quote``: any difference in what would be charged answers 409."""

    @model_validator(mode="after")
    def _one_change(self) -> ChangeSubscriptionRequest:
        if (self.devices is None) == (self.plan is None):
            raise ValueError(_("change either devices or plan, one at a time"))
        return self


ChangeDevicesRequest = ChangeSubscriptionRequest
"""The name this request had when only devices could change."""


class Subscription(_Resource):
    plan: Plan
    currency: Currency
    devices: Devices
    scheduled_devices: Devices | None = None
    current_period_start: date
    current_period_end: date
    status: SubscriptionStatus
    cancel_at: date | None = None
    """Set while a cancellation is scheduled: the 1st the subscription ends (no renewal then)."""
    scheduled_plan: Plan | None = None
    """The plan renewals switch to on the next 1st (annual → monthly)."""
    annual_renewal_date: date | None = None
    """The 1st an annual plan renews as a new annual purchase."""


# ---------------------------------------------------------------- payment methods
class PaymentMethod(_Resource):
    id: Id
    brand: CardBrand
    last4: Annotated[str, StringConstraints(pattern=r"^\d{4}$")]
    exp_month: Annotated[StrictInt, Field(ge=1, le=12)]
    exp_year: Annotated[StrictInt, Field(ge=2000, le=2200)]
    holder_name: str
    is_default: StrictBool


class PaymentMethodUpdate(_Request):
    """PATCH /v1/payment-methods/{id}: a reissued card's new expiry (the number never changes)."""

    exp_month: Annotated[StrictInt, Field(ge=1, le=12)]
    exp_year: Annotated[StrictInt, Field(ge=2000, le=2200)]
    holder_name: Name | None = None


class PaymentMethodList(_Resource):
    data: list[PaymentMethod]


class RemovedPaymentMethod(_Resource):
    """DELETE /v1/payment-methods/{id}: the card that became the default because of it.

    ``new_default`` is the most recently added remaining card when the removed one was
    the default; ``None`` when the default did not change or no card is left.
    """

    new_default: PaymentMethod | None = None


class NewPaymentMethod(_Request):
    """A card to attach. The number and CVC are secrets: hidden in repr and logs."""

    holder_name: Name
    number: SecretStr = Field(min_length=12, max_length=23)
    exp_month: Annotated[StrictInt, Field(ge=1, le=12)]
    exp_year: Annotated[StrictInt, Field(ge=2000, le=2200)]
    cvc: SecretStr = Field(min_length=3, max_length=4)
    make_default: StrictBool = False

    def wire(self) -> dict[str, object]:
        """The JSON body, with number and CVC revealed for the request only."""
        return {
            "holder_name": self.holder_name,
            "number": self.number.get_secret_value(),
            "exp_month": self.exp_month,
            "exp_year": self.exp_year,
            "cvc": self.cvc.get_secret_value(),
            "make_default": self.make_default,
        }


# ---------------------------------------------------------------- invoices
class Failure(_Resource):
    code: PaymentFailureCode | str
    message: str


PaymentKind = Literal["card", "pix"]
PixStatus = Literal["active", "paid", "expired"]
NfseStatus = Literal["issued", "canceled"]
Txid = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{1,35}$")]
"""A Pix transaction id: letters and digits only (the Banco Central's rule)."""


class PaidWith(_Resource):
    """How an invoice was paid: a card (``brand``, ``last4``) or a Pix (``method: pix``, ``txid``)."""

    method: PaymentKind = "card"
    brand: CardBrand | None = None
    last4: Annotated[str, StringConstraints(pattern=r"^\d{4}$")] | None = None
    txid: Txid | None = None


class Nfse(_Resource):
    """The NFS-e (Brazil's national service invoice) issued for a paid BRL invoice."""

    number: Annotated[str, StringConstraints(min_length=1, max_length=15)]
    verification_code: Annotated[str, StringConstraints(min_length=1, max_length=16)]
    issued_at: datetime
    status: NfseStatus


class PixCharge(_Resource):
    """A one-off Pix charge for an invoice's amount due; ``br_code`` is the "copia e cola"."""

    txid: Txid
    br_code: Annotated[str, StringConstraints(min_length=20, max_length=512)]
    expires_at: datetime
    amount: Amount
    status: PixStatus = "active"
    invoice_id: Id | None = None


class Invoice(_Resource):
    id: Id
    number: str
    status: InvoiceStatus
    period_start: date
    period_end: date
    issued_at: datetime
    due_date: date
    lines: list[Line]
    subtotal: Amount
    credit_applied: Amount
    credit_granted: Amount = 0
    total: Amount
    amount_due: Amount
    currency: Currency
    attempts: Count
    last_failure: Failure | None = None
    paid_at: datetime | None = None
    paid_with: PaidWith | None = None
    nfse: Nfse | None = None


class PayRequest(_Request):
    payment_method_id: Id | None = None


class SubscriptionResult(_Resource):
    subscription: Subscription
    invoice: Invoice | None = None


# ---------------------------------------------------------------- contacts, ledger
class FinancialContact(_Resource):
    id: Id
    name: str
    email: str


class FinancialContactList(_Resource):
    data: list[FinancialContact]


class NewFinancialContact(_Request):
    name: Name
    email: Email


class FinancialContactUpdate(_Request):
    """PATCH /v1/financial-contacts/{id}: only the fields given change."""

    name: Name | None = None
    email: Email | None = None


class LedgerEntry(_Resource):
    id: Id
    at: datetime
    kind: LedgerKind
    description: str
    amount: SignedAmount
    balance_after: Amount
    invoice_id: Id | None = None


T = TypeVar("T")


class Page(_Resource, Generic[T]):
    """A cursor page: ``next_cursor`` is None on the last page."""

    data: list[T]
    next_cursor: str | None = None


InvoicePage = Page[Invoice]
LedgerPage = Page[LedgerEntry]


# ---------------------------------------------------------------- sandbox only
class ClockRequest(_Request):
    now: datetime


class Clock(_Resource):
    now: datetime


# ErrorBody names Preview, defined after it.
ErrorBody.model_rebuild()
ErrorResponse.model_rebuild()
