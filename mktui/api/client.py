"""BillingClient: the typed async client of the MKController billing API.

One long-lived ``httpx.AsyncClient`` per client (base URL, explicit timeouts,
bearer auth with one shared refresh, capped bodies, no redirects); one async
method per endpoint of the contract (``docs/architecture.md``), each returning
``mktui.api.models`` or raising ``ApiError``. Screens never see httpx.

Money-moving methods take the caller's ``idempotency_key``: make one with
``new_idempotency_key()`` per user intent (one press of Pay) and keep it until
the intent ends, so a retry or a double press sends one payment.
"""

from __future__ import annotations

import asyncio
import ssl
import uuid
from datetime import date, datetime
from typing import get_args

import httpx
from pydantic import SecretStr

from mktui import __version__
from mktui.api import failures
from mktui.api.auth import BearerAuth, TokenHolder
from mktui.api.errors import ApiError, ErrorKind, SessionExpired
from mktui.api.http import PDF_LIMIT, ApiHttp, Sleep, cap_response, default_timeout
from mktui.api.inputs import build, check_base_url, check_key, page_limit, path_segment, wire
from mktui.api.models import (
    Account,
    AccountUpdate,
    AddressInput,
    ChangeDevicesRequest,
    ChangeSubscriptionRequest,
    Clock,
    ClockRequest,
    FinancialContact,
    FinancialContactList,
    FinancialContactUpdate,
    Invoice,
    InvoicePage,
    InvoiceStatus,
    LedgerEntry,
    LedgerPage,
    NewFinancialContact,
    NewPaymentMethod,
    Page,
    PaymentMethod,
    PaymentMethodList,
    PaymentMethodUpdate,
    PayRequest,
    PixCharge,
    Preview,
    PreviewRequest,
    Price,
    PriceList,
    RefreshRequest,
    RemovedPaymentMethod,
    RevokeRequest,
    SubscribeRequest,
    Subscription,
    SubscriptionResult,
    TokenRequest,
    TokenResponse,
)
from mktui.api.retry import RetryPolicy
from mktui.core import pricing_types
from mktui.core.i18n import _

SANDBOX_URL = "http://sandbox.local"
"""The base URL of the in-process sandbox (never resolved: the ASGI transport answers)."""


NFSE_FORMATS = {"pdf": "application/pdf", "xml": "application/xml"}
"""The NFS-e documents the API serves, by the ``format`` query value."""


def new_idempotency_key() -> str:
    """A fresh key for one user intent (one press of Pay, Subscribe or Save)."""
    return f"mktui-{uuid.uuid4()}"


def _tls_for(url: httpx.URL) -> ssl.SSLContext | bool:
    """Certificate checks for ``url``: the system's trust store, except for plain http://.

    ``check_base_url`` allows http:// only to this machine, where no TLS is ever
    spoken; loading the trust store (~25 ms, on the way to the first screen) would
    buy nothing. The context given instead trusts no certificate, so it could
    never accept one if TLS were somehow used.
    """
    if url.scheme != "http":
        return True
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


class BillingClient:
    """The billing API, one typed async method per endpoint; use as ``async with``."""

    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        tokens: TokenHolder | None = None,
        timeout: httpx.Timeout | float | None = None,
        max_retries: int = 3,
        sleep: Sleep = asyncio.sleep,
        allow_insecure_http: bool = False,
        retry_policy: RetryPolicy | None = None,
    ) -> None:
        """``allow_insecure_http`` is honoured only with an injected ``transport``.

        ``retry_policy`` overrides ``max_retries`` when given (e.g. to fix the jitter in tests).
        """
        url = check_base_url(
            base_url, allow_insecure_http=allow_insecure_http and transport is not None
        )
        self.tokens = tokens if tokens is not None else TokenHolder()
        self._auth = BearerAuth(self.tokens, self._trade_refresh_token)
        self._client = httpx.AsyncClient(
            base_url=url,
            transport=transport,
            verify=_tls_for(url),
            auth=self._auth,
            timeout=timeout if timeout is not None else default_timeout(),
            follow_redirects=False,
            headers={"User-Agent": f"mktui/{__version__}"},
            event_hooks={"response": [cap_response]},
        )
        policy = retry_policy if retry_policy is not None else RetryPolicy(max_retries=max_retries)
        self._http = ApiHttp(self._client, policy, sleep, self.tokens.secrets)

    @property
    def base_url(self) -> str:
        """The API URL requests go to."""
        return str(self._client.base_url)

    async def aclose(self) -> None:
        """Close the connections; the client cannot be used afterwards."""
        await self._client.aclose()

    async def __aenter__(self) -> BillingClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        signed_in = self.tokens.access_token is not None
        return f"BillingClient(base_url={self.base_url!r}, signed_in={signed_in})"

    # ------------------------------------------------------------ auth
    async def sign_in(self, email: str, password: str | SecretStr) -> TokenResponse:
        """Sign in with email and password; the tokens are kept for every later call."""
        body = build(TokenRequest, email=email, password=password).wire()
        try:
            answer = await self._http.request(
                "POST", "/v1/auth/token", body=body, authenticated=False, hide=(body["password"],)
            )
        except SessionExpired:
            raise ApiError(
                ErrorKind.UNAUTHENTICATED,
                _("The email or password is not right. Check both and sign in again."),
                code="unauthenticated",
                field="password",
                status=401,
            ) from None
        tokens = answer.parse(TokenResponse)
        await self.tokens.store(tokens)
        return tokens

    def sign_out(self) -> None:
        """Forget the session's tokens in memory (the credentials part deletes the saved one)."""
        self.tokens.clear()

    async def revoke(self) -> bool:
        """Sign out on the server too (POST /v1/auth/revoke), then forget the tokens.

        True when the server confirmed; False when there was nothing to revoke or
        it could not be reached (the tokens are forgotten either way, and the
        refresh token expires on the server by itself).
        """
        refresh_token = self.tokens.refresh_token
        self.tokens.clear()
        if refresh_token is None:
            return False
        body = build(RevokeRequest, refresh_token=refresh_token).wire()
        try:
            await self._http.request(
                "POST",
                "/v1/auth/revoke",
                body=body,
                authenticated=False,
                hide=(body["refresh_token"],),
            )
        except ApiError:
            return False
        return True

    async def refresh(self) -> TokenResponse:
        """Renew the session now with the refresh token (rotated: the old one stops working)."""
        return await self._auth.refresh_now()

    async def _trade_refresh_token(self, refresh_token: SecretStr) -> TokenResponse:
        try:
            # A stored token the contract refuses (too long, say) is as dead as a revoked one.
            body = build(RefreshRequest, refresh_token=refresh_token).wire()
            answer = await self._http.request(
                "POST", "/v1/auth/refresh", body=body, authenticated=False
            )
        except ApiError as exc:
            # Refused means sign in again; a network failure keeps the session for a retry.
            if exc.kind in (ErrorKind.UNAUTHENTICATED, ErrorKind.VALIDATION, ErrorKind.NOT_FOUND):
                raise SessionExpired() from None
            raise
        return answer.parse(TokenResponse)

    # ------------------------------------------------------------ account, prices, previews
    async def account(self) -> Account:
        """The signed-in account, with the server's ``now`` for local previews."""
        return (await self._http.request("GET", "/v1/account", what="the account")).parse(Account)

    async def update_account(
        self,
        *,
        name: str | None = None,
        tax_id: str | None = None,
        address: AddressInput | dict[str, str | None] | None = None,
        idempotency_key: str | None = None,
    ) -> Account:
        """Change the billing details given (legal name, CPF/CNPJ, address); the account after.

        A refused field is a VALIDATION ``ApiError`` naming it (``address.postal_code``…).
        """
        key = None if idempotency_key is None else check_key(idempotency_key)
        body = wire(build(AccountUpdate, name=name, tax_id=tax_id, address=address))
        answer = await self._http.request(
            "PATCH", "/v1/account", body=body, idempotency_key=key, what="the account"
        )
        return answer.parse(Account)

    async def prices(self) -> list[Price]:
        """The price list: per device per month (monthly) or per year (annual)."""
        return (await self._http.request("GET", "/v1/prices")).parse(PriceList).data

    async def preview(self, request: PreviewRequest) -> Preview:
        """The server's own preview of a new subscription or a change (nothing is charged).

        Checked that it adds up (see :meth:`priced_preview`) before it is returned.
        """
        return (await self._checked_preview(request))[0]

    async def priced_preview(self, request: PreviewRequest) -> pricing_types.Preview:
        """The server's preview checked and in Money, with its quote: what screens show and charge.

        A preview whose lines, credit and total disagree is refused with an
        ``ApiError`` (UNEXPECTED, field ``preview``) saying so: it is never
        shown, and so never charged.
        """
        return (await self._checked_preview(request))[1]

    async def _checked_preview(
        self, request: PreviewRequest
    ) -> tuple[Preview, pricing_types.Preview]:
        answer = await self._http.request("POST", "/v1/subscription/preview", body=wire(request))
        preview = answer.parse(Preview)
        try:
            return preview, preview.priced()
        except pricing_types.PricingError as error:
            raise ApiError(ErrorKind.UNEXPECTED, error.sentence, field="preview") from None

    # ------------------------------------------------------------ subscription
    async def subscribe(
        self, request: SubscribeRequest, *, idempotency_key: str
    ) -> SubscriptionResult:
        """Activate: charge the first invoice; 409 PRICE_CHANGED when ``expected_total`` is stale."""
        answer = await self._http.request(
            "POST",
            "/v1/subscription",
            body=wire(request),
            idempotency_key=check_key(idempotency_key),
        )
        return answer.parse(SubscriptionResult)

    async def subscription(self) -> Subscription | None:
        """The current subscription, or None when the account has none.

        Only the API's own 404 (its error body) means "none": a 404 page from a
        proxy or a mistyped API URL is an error, not an invitation to subscribe.
        """
        try:
            answer = await self._http.request("GET", "/v1/subscription", what="the subscription")
        except ApiError as exc:
            if exc.kind is ErrorKind.NOT_FOUND and exc.code is not None:
                return None
            raise
        return answer.parse(Subscription)

    async def change_devices(
        self, request: ChangeDevicesRequest, *, idempotency_key: str
    ) -> SubscriptionResult:
        """More devices: a pro-rated charge now; fewer: scheduled for the next 1st."""
        answer = await self._http.request(
            "PATCH",
            "/v1/subscription",
            body=wire(request),
            idempotency_key=check_key(idempotency_key),
        )
        return answer.parse(SubscriptionResult)

    async def change_plan(
        self,
        plan: str,
        *,
        expected_total: int,
        idempotency_key: str,
        expected_quote: str | None = None,
    ) -> SubscriptionResult:
        """Switch monthly ↔ annual: to annual is charged now, to monthly applies from the next 1st.

        ``expected_total`` is the previewed amount and ``expected_quote`` the preview's
        ``quote`` (send it: it locks the credit and period too): 409 PRICE_CHANGED
        when either is stale.
        """
        request = build(
            ChangeSubscriptionRequest,
            plan=plan,
            expected_total=expected_total,
            expected_quote=expected_quote,
        )
        return await self.change_devices(request, idempotency_key=idempotency_key)

    async def cancel_subscription(self, *, idempotency_key: str) -> Subscription:
        """Cancel at the next 1st (``cancel_at``): nothing refunded, the quota kept until then."""
        answer = await self._http.request(
            "POST",
            "/v1/subscription/cancel",
            idempotency_key=check_key(idempotency_key),
            what="the subscription",
        )
        return answer.parse(Subscription)

    async def resume_subscription(self, *, idempotency_key: str) -> Subscription:
        """Undo a scheduled cancellation before its 1st (409 CONFLICT when none is scheduled)."""
        answer = await self._http.request(
            "POST",
            "/v1/subscription/resume",
            idempotency_key=check_key(idempotency_key),
            what="the subscription",
        )
        return answer.parse(Subscription)

    # ------------------------------------------------------------ payment methods
    async def payment_methods(self) -> list[PaymentMethod]:
        """The saved cards: brand, last 4, expiry, which one is the default."""
        return (
            (await self._http.request("GET", "/v1/payment-methods")).parse(PaymentMethodList).data
        )

    async def add_payment_method(
        self, card: NewPaymentMethod, *, idempotency_key: str | None = None
    ) -> PaymentMethod:
        """Attach a card; retried on a lost answer only with ``idempotency_key``."""
        key = None if idempotency_key is None else check_key(idempotency_key)
        body = card.wire()
        answer = await self._http.request(
            "POST",
            "/v1/payment-methods",
            body=body,
            idempotency_key=key,
            hide=(str(body["number"]), str(body["cvc"])),
        )
        return answer.parse(PaymentMethod)

    async def set_default_payment_method(self, pm_id: str) -> PaymentMethod:
        """Make a saved card the one renewals and retries charge."""
        path = f"/v1/payment-methods/{path_segment(pm_id, 'payment_method_id')}/default"
        return (await self._http.request("POST", path, what="that payment method")).parse(
            PaymentMethod
        )

    async def update_payment_method(
        self,
        pm_id: str,
        *,
        exp_month: int,
        exp_year: int,
        holder_name: str | None = None,
        idempotency_key: str | None = None,
    ) -> PaymentMethod:
        """A reissued card's new expiry (and holder name); the number never changes."""
        key = None if idempotency_key is None else check_key(idempotency_key)
        body = wire(
            build(
                PaymentMethodUpdate,
                exp_month=exp_month,
                exp_year=exp_year,
                holder_name=holder_name,
            )
        )
        path = f"/v1/payment-methods/{path_segment(pm_id, 'payment_method_id')}"
        answer = await self._http.request(
            "PATCH", path, body=body, idempotency_key=key, what="that payment method"
        )
        return answer.parse(PaymentMethod)

    async def remove_payment_method(self, pm_id: str) -> PaymentMethod | None:
        """Remove a saved card; the card that became the default because of it, if any.

        409 CONFLICT when it is the default and invoices are open. Removing the default
        makes the most recently added remaining card the default (returned here); a
        server that answers 204, as before that rule, returns None.
        """
        path = f"/v1/payment-methods/{path_segment(pm_id, 'payment_method_id')}"
        answer = await self._http.request("DELETE", path, what="that payment method")
        if answer.status == 204 or not answer.body:
            return None
        return answer.parse(RemovedPaymentMethod).new_default

    # ------------------------------------------------------------ invoices
    async def invoices(
        self,
        status: InvoiceStatus | None = None,
        *,
        limit: int = 50,
        cursor: str | None = None,
        q: str | None = None,
        issued_from: date | None = None,
        issued_to: date | None = None,
    ) -> Page[Invoice]:
        """One page of invoices, newest first, filtered on the server.

        ``status`` one of open/past_due/paid/void; ``q`` an invoice-number prefix;
        ``issued_from``/``issued_to`` issue dates, inclusive. A ``cursor`` continues
        the same filters.
        """
        params: dict[str, str | int] = {"limit": page_limit(limit)}
        if status is not None:
            if status not in get_args(InvoiceStatus):
                raise ApiError(
                    ErrorKind.VALIDATION,
                    _("The invoice status filter is not one of open, past_due, paid or void."),
                    field="status",
                )
            params["status"] = status
        if q is not None and q.strip():
            if len(q.strip()) > 40:
                raise ApiError(
                    ErrorKind.VALIDATION,
                    _("The invoice number to search for is longer than 40 characters."),
                    field="q",
                )
            params["q"] = q.strip()
        if issued_from is not None and issued_to is not None and issued_from > issued_to:
            raise ApiError(
                ErrorKind.VALIDATION,
                _("The first issue date is after the last one; no invoice can match."),
                field="from",
            )
        if issued_from is not None:
            params["from"] = issued_from.isoformat()
        if issued_to is not None:
            params["to"] = issued_to.isoformat()
        if cursor is not None:
            params["cursor"] = cursor
        return (await self._http.request("GET", "/v1/invoices", params=params)).parse(InvoicePage)

    async def invoice(self, invoice_id: str) -> Invoice:
        """One invoice with its lines, attempts and last failure."""
        path = f"/v1/invoices/{path_segment(invoice_id, 'invoice_id')}"
        return (await self._http.request("GET", path, what="that invoice")).parse(Invoice)

    async def pay_invoice(
        self, invoice_id: str, payment_method_id: str | None = None, *, idempotency_key: str
    ) -> Invoice:
        """Charge an open or past-due invoice (the default card when none is named)."""
        body = wire(build(PayRequest, payment_method_id=payment_method_id))
        path = f"/v1/invoices/{path_segment(invoice_id, 'invoice_id')}/pay"
        answer = await self._http.request(
            "POST",
            path,
            body=body,
            idempotency_key=check_key(idempotency_key),
            what="that invoice",
        )
        return answer.parse(Invoice)

    async def receipt(self, invoice_id: str) -> bytes:
        """The receipt PDF of a paid invoice (409 CONFLICT ``receipt_unavailable`` otherwise)."""
        path = f"/v1/invoices/{path_segment(invoice_id, 'invoice_id')}/receipt"
        answer = await self._http.request(
            "GET", path, accept="application/pdf", limit=PDF_LIMIT, what="that invoice"
        )
        if answer.media_type != "application/pdf" or not answer.body.startswith(b"%PDF-"):
            raise failures.unreadable(answer.status, "the receipt is not a PDF")
        return answer.body

    async def pix_charge(self, invoice_id: str, *, idempotency_key: str) -> PixCharge:
        """A Pix charge for a BRL invoice's amount due: the live one if there is one.

        409 CONFLICT ``pix_unavailable`` for another currency, ``invoice_not_payable``
        when it is paid or void.
        """
        path = f"/v1/invoices/{path_segment(invoice_id, 'invoice_id')}/pix"
        answer = await self._http.request(
            "POST",
            path,
            body={},
            idempotency_key=check_key(idempotency_key),
            what="that invoice",
        )
        return answer.parse(PixCharge)

    async def nfse(self, invoice_id: str, format: str = "pdf") -> bytes:  # noqa: A002
        """The NFS-e of a paid BRL invoice as PDF or XML bytes (409 ``nfse_unavailable`` if none)."""
        if format not in NFSE_FORMATS:
            raise ApiError(
                ErrorKind.VALIDATION,
                _("The NFS-e comes as pdf or xml; choose one."),
                field="format",
            )
        path = f"/v1/invoices/{path_segment(invoice_id, 'invoice_id')}/nfse"
        media_type = NFSE_FORMATS[format]
        answer = await self._http.request(
            "GET",
            path,
            params={"format": format},
            accept=media_type,
            limit=PDF_LIMIT,
            what="that invoice",
        )
        magic = b"%PDF-" if format == "pdf" else b"<?xml"
        if answer.media_type != media_type or not answer.body.startswith(magic):
            raise failures.unreadable(answer.status, f"the NFS-e is not {format.upper()}")
        return answer.body

    async def invoice_pdf(self, invoice_id: str) -> bytes:
        """The invoice as a PDF, whatever its state (an open one states the amount due)."""
        path = f"/v1/invoices/{path_segment(invoice_id, 'invoice_id')}/pdf"
        answer = await self._http.request(
            "GET", path, accept="application/pdf", limit=PDF_LIMIT, what="that invoice"
        )
        if answer.media_type != "application/pdf" or not answer.body.startswith(b"%PDF-"):
            raise failures.unreadable(answer.status, "the invoice is not a PDF")
        return answer.body

    # ------------------------------------------------------------ contacts, ledger
    async def contacts(self) -> list[FinancialContact]:
        """The financial contacts that receive billing notifications."""
        return (
            (await self._http.request("GET", "/v1/financial-contacts"))
            .parse(FinancialContactList)
            .data
        )

    async def add_contact(
        self, name: str, email: str, *, idempotency_key: str | None = None
    ) -> FinancialContact:
        """Add a financial contact (409 CONFLICT when the email is already one).

        Retried on a lost answer only with ``idempotency_key`` (the server then
        answers the first request instead of refusing the email as taken).
        """
        key = None if idempotency_key is None else check_key(idempotency_key)
        body = wire(build(NewFinancialContact, name=name, email=email))
        answer = await self._http.request(
            "POST", "/v1/financial-contacts", body=body, idempotency_key=key
        )
        return answer.parse(FinancialContact)

    async def remove_contact(self, fc_id: str) -> None:
        """Remove a financial contact."""
        path = f"/v1/financial-contacts/{path_segment(fc_id, 'contact_id')}"
        await self._http.request("DELETE", path, what="that contact")

    async def update_contact(
        self,
        fc_id: str,
        *,
        name: str | None = None,
        email: str | None = None,
        idempotency_key: str | None = None,
    ) -> FinancialContact:
        """Correct a contact's name or email (409 CONFLICT when the email is another contact's)."""
        key = None if idempotency_key is None else check_key(idempotency_key)
        body = wire(build(FinancialContactUpdate, name=name, email=email))
        path = f"/v1/financial-contacts/{path_segment(fc_id, 'contact_id')}"
        answer = await self._http.request(
            "PATCH", path, body=body, idempotency_key=key, what="that contact"
        )
        return answer.parse(FinancialContact)

    async def ledger(self, *, limit: int = 50, cursor: str | None = None) -> Page[LedgerEntry]:
        """One page of the credit ledger, newest first."""
        params: dict[str, str | int] = {"limit": page_limit(limit)}
        if cursor is not None:
            params["cursor"] = cursor
        return (await self._http.request("GET", "/v1/ledger", params=params)).parse(LedgerPage)

    # ------------------------------------------------------------ sandbox only
    async def clock(self) -> datetime:
        """The sandbox's test clock."""
        return (await self._http.request("GET", "/sandbox/clock")).parse(Clock).now

    async def pay_pix(self, txid: str) -> PixCharge:
        """Sandbox only: the payer's bank pays the live Pix ``txid``."""
        path = f"/sandbox/pix/{path_segment(txid, 'txid')}/pay"
        answer = await self._http.request(
            "POST", path, body={}, authenticated=False, what="that Pix"
        )
        return answer.parse(PixCharge)

    async def set_clock(self, now: datetime) -> datetime:
        """Move the sandbox's test clock forward, running the renewals in between."""
        if now.tzinfo is None:
            raise ApiError(
                ErrorKind.VALIDATION,
                _("The new clock time needs a time zone, like 2027-01-01T09:00-03:00."),
                field="now",
            )
        body = wire(build(ClockRequest, now=now))
        return (await self._http.request("POST", "/sandbox/clock", body=body)).parse(Clock).now
