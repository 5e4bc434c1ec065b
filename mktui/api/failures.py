"""The one place where a failed request becomes an ``ApiError`` with a sentence.

Used only by ``mktui.api.http``: a dropped connection, a status code, an error
body, an answer outside the contract and a bad input each map here to one
``ErrorKind`` and a message that says what happened and what to do next.
Server strings are cleaned before they reach a message: control and bidi
characters are dropped, long text is cut, and anything shaped like a card
number is masked, so a careless server can never put one on screen or in a log.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit

import httpx
from pydantic import ValidationError

from mktui.api.errors import ApiError, ErrorKind, SessionExpired
from mktui.api.models import ErrorResponse
from mktui.core.i18n import N_, _, ngettext

_CARD_LIKE = re.compile(r"\d(?:[ -]?\d){11,18}")
_MAX_MESSAGE = 300

DECLINES = {
    "card_declined": N_(
        "The card was declined. Try another payment method, or ask the card's bank why."
    ),
    "insufficient_funds": N_(
        "The card was declined for insufficient funds. Try another payment method."
    ),
    "expired_card": N_("The card has expired. Add a current card and pay with it."),
    "processing_error": N_(
        "The card could not be charged because of a processing error. "
        "Nothing was charged; try again in a few minutes."
    ),
}

CONFLICTS = {
    "price_changed": N_(
        "The amount changed since the preview was shown, so nothing was charged. "
        "Review the new amount and confirm again."
    ),
    "idempotency_conflict": N_(
        "This action was already sent with different details. "
        "Start it again from the beginning so it gets a fresh confirmation."
    ),
    "invoice_not_payable": N_(
        "This invoice can no longer be paid: it is already paid or void. Refresh the invoices."
    ),
    "receipt_unavailable": N_("The receipt is available once the invoice is paid."),
    "pix_unavailable": N_(
        "Pix is only for invoices in reais (BRL). Pay this invoice with a card instead."
    ),
    "pix_expired": N_("This Pix charge expired. Ask for a new one and pay that."),
    "pix_not_payable": N_("This Pix can no longer be paid: it or its invoice is already paid."),
    "nfse_unavailable": N_(
        "This invoice has no NFS-e: one is issued when an invoice in reais is paid."
    ),
}

FIELD_LABELS = {
    "number": N_("the card number"),
    "cvc": N_("the security code (CVC)"),
    "exp_month": N_("the expiry month"),
    "exp_year": N_("the expiry year"),
    "holder_name": N_("the cardholder name"),
    "email": N_("the email"),
    "password": N_("the password"),
    "name": N_("the name"),
    "devices": N_("the number of devices"),
    "tax_id": N_("the CPF/CNPJ"),
    "currency": N_("the currency"),
    "plan": N_("the plan"),
    "payment_method_id": N_("the payment method"),
    "expected_total": N_("the amount to pay"),
    "idempotency_key": N_("the request key"),
    "api_url": N_("the API URL"),
    "invoice_id": N_("the invoice"),
    "contact_id": N_("the contact"),
    "limit": N_("the page size"),
    "status": N_("the status filter"),
    "now": N_("the clock time"),
    "txid": N_("the Pix txid"),
    "format": N_("the document format"),
}


def clean(text: str, limit: int = _MAX_MESSAGE, *, hide: Iterable[str] = ()) -> str:
    """A server string made safe to show: printable, no bidi tricks, no card numbers, short.

    Each string in ``hide`` (the session's tokens, the card just sent) is
    masked wherever a careless server echoed it.
    """
    for secret in hide:
        if len(secret) >= 3:
            text = text.replace(secret, "[hidden]")
    kept = "".join(
        " " if ch in "\t\n\r" else ch
        for ch in text
        if ch in "\t\n\r" or unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Cn"}
    )
    kept = _CARD_LIKE.sub("[card number hidden]", " ".join(kept.split()))
    return kept if len(kept) <= limit else kept[: limit - 1] + "…"


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def field_label(field: str) -> str:
    """How a screen names an input field in a sentence."""
    label = FIELD_LABELS.get(field)
    if label is not None:
        return _(label)
    return _("the {field} field").format(field=field.replace("_", " "))


def decline_sentence(code: str) -> str | None:
    """What a decline code means for the admin, in the language in use (None if unknown)."""
    text = DECLINES.get(code)
    return _(text) if text is not None else None


def conflict_sentence(code: str) -> str | None:
    """What a conflict code means for the admin, in the language in use (None if unknown)."""
    text = CONFLICTS.get(code)
    return _(text) if text is not None else None


# How the client names what it asked for (``what=`` in mktui.api.client), so that
# "… was not found" reads in the admin's language.
_WHATS = (
    N_("the account"),
    N_("the subscription"),
    N_("that payment method"),
    N_("that invoice"),
    N_("that contact"),
    N_("that Pix"),
)


def wait_phrase(seconds: float) -> str:
    """``2`` → "in 2 seconds", ``90`` → "in 2 minutes", ``86400`` → "in 24 hours"."""
    seconds = max(1, round(seconds))
    if seconds < 90:
        return ngettext("in {n} second", "in {n} seconds", seconds).format(n=seconds)
    if seconds < 90 * 60:
        n = round(seconds / 60)
        return ngettext("in {n} minute", "in {n} minutes", n).format(n=n)
    if seconds < 48 * 3600:
        n = round(seconds / 3600)
        return ngettext("in {n} hour", "in {n} hours", n).format(n=n)
    if seconds < 30 * 86400:
        n = round(seconds / 86400)
        return ngettext("in {n} day", "in {n} days", n).format(n=n)
    return _("much later")


def _redirect_host(location: str) -> str:
    # Only the host is shown: a path or query could carry anything. Tolerant of junk.
    try:
        host = urlsplit(location).hostname
    except ValueError:
        host = None
    return host or _("another address")


def _error_body(body: bytes) -> ErrorResponse | None:
    try:
        return ErrorResponse.model_validate_json(body)
    except (ValidationError, ValueError):
        return None


def from_transport(exc: Exception, *, host: str, retried_safely: bool, method: str) -> ApiError:
    """A connection that failed, timed out or dropped, after any retries."""
    if method == "GET":
        after = " " + _("Try again in a moment.")
    elif retried_safely:
        after = " " + _("Trying again is safe: the same request is never carried out twice.")
    else:
        after = " " + _("Refresh to see whether it went through before trying again.")
    if isinstance(exc, httpx.ConnectTimeout | httpx.ConnectError):
        text = _(
            "Could not connect to the billing server at {host}. "
            "Check the network and the profile's API URL, then try again."
        ).format(host=host)
    elif isinstance(exc, httpx.PoolTimeout):
        text = _("Too many requests are waiting for the billing server.") + after
    elif isinstance(exc, httpx.TimeoutException):
        text = _("The billing server at {host} did not answer in time.").format(host=host) + after
    else:
        text = (
            _("The connection to the billing server at {host} was lost before it answered.").format(
                host=host
            )
            + after
        )
    return ApiError(ErrorKind.UNAVAILABLE, text)


def unreadable(status: int | None, why: str) -> ApiError:
    """An answer outside the contract: not JSON, cut short, the wrong shape, too big."""
    return ApiError(
        ErrorKind.UNEXPECTED,
        _(
            "The billing server sent an answer mktui cannot read ({why}). "
            "Try again; if it keeps happening, the server may be newer than this mktui."
        ).format(why=why),
        status=status,
    )


def rate_limited(retry_after: float | None, status: int = 429) -> ApiError:
    """429 after the retries, or with a wait longer than worth holding a screen for."""
    when = wait_phrase(retry_after) if retry_after else _("in a minute")
    return ApiError(
        ErrorKind.RATE_LIMITED,
        _("The billing server is receiving too many requests. Try again {when}.").format(when=when),
        code="rate_limited",
        status=status,
        retry_after=retry_after,
    )


def from_response(
    response: httpx.Response, body: bytes, *, what: str, hide: Iterable[str] = ()
) -> ApiError:
    """A status outside 2xx, with its error body when it has the contract's shape.

    ``what`` names the thing asked for ("the invoice") for "not found" sentences;
    ``hide`` lists secrets to mask in the server's own text.
    """
    status = response.status_code
    parsed = _error_body(body)
    # The server's code and field are cleaned too: a screen may show or match on them.
    code = field = None
    server_text = ""
    if parsed is not None:
        code = clean(parsed.error.code, 60) or None
        field = clean(parsed.error.field or "", 60) or None
        message = clean(parsed.error.message, hide=hide)
        server_text = _sentence(message) if message else ""

    if 300 <= status < 400:
        target = _redirect_host(response.headers.get("location", ""))
        return ApiError(
            ErrorKind.UNEXPECTED,
            _(
                "The billing server redirected the request to {host}, which mktui does not follow. "
                "Check the profile's API URL (it should be the https address of the API)."
            ).format(host=clean(target, 80)),
            status=status,
        )
    if status == 401:
        return SessionExpired()
    if status == 402:
        text = (
            decline_sentence(code or "")
            or server_text
            or _("The payment failed. Try another payment method.")
        )
        return ApiError(ErrorKind.PAYMENT_FAILED, text, code=code, status=status)
    if status == 404:
        return ApiError(
            ErrorKind.NOT_FOUND,
            _sentence(
                _("{what} was not found; it may have been removed. Refresh and try again.").format(
                    what=_(what)
                )
            ),
            code=code,  # None when the body is not the API's: a proxy's or a wrong URL's 404
            status=status,
        )
    if status == 409:
        kind = ErrorKind.PRICE_CHANGED if code == "price_changed" else ErrorKind.CONFLICT
        text = (
            conflict_sentence(code or "")
            or server_text
            or _("The request conflicts with the account's current state. Refresh and try again.")
        )
        preview = parsed.error.preview if parsed is not None else None
        # The field stays: a duplicate contact email (409) marks the email field.
        return ApiError(kind, text, code=code, field=field, status=status, preview=preview)
    if status in (400, 413, 422):
        text = server_text or _("The billing server refused the request as invalid.")
        if field:
            text = text + " " + _("Check {field} and try again.").format(field=field_label(field))
        return ApiError(ErrorKind.VALIDATION, text, code=code, field=field, status=status)
    if status == 429:
        return rate_limited(None, status)
    if status in (502, 503, 504):
        return ApiError(
            ErrorKind.UNAVAILABLE,
            _(
                "The billing server is temporarily unavailable (HTTP {status}). "
                "Try again in a few minutes."
            ).format(status=status),
            code=code,
            status=status,
        )
    if status >= 500:
        return ApiError(
            ErrorKind.UNEXPECTED,
            _(
                "The billing server had an internal error (HTTP {status}). Try again in a moment; "
                "if it keeps happening, contact MKController support."
            ).format(status=status),
            code=code,
            status=status,
        )
    return ApiError(
        ErrorKind.UNEXPECTED,
        _(
            "The billing server refused the request with HTTP {status}, which mktui does not "
            "expect. Try again; if it keeps happening, contact MKController support."
        ).format(status=status),
        code=code,
        status=status,
    )


def from_bad_input(exc: ValidationError) -> ApiError:
    """A request that failed the contract's own checks before it was sent."""
    first = exc.errors(include_input=False, include_url=False)[0]
    field = next((str(part) for part in reversed(first["loc"]) if isinstance(part, str)), None)
    # The contract's own rules (mktui.api.models) give their reason translated; pydantic's
    # built-in ones ("Input should be a valid integer") stay in English.
    reason = clean(str(first.get("msg", "is not valid")).removeprefix("Value error, "))
    label = field_label(field) if field else _("the input")
    text = _("{field} is not valid: {reason}").format(
        field=label, reason=f"{reason[:1].lower()}{reason[1:]}"
    )
    return ApiError(ErrorKind.VALIDATION, _sentence(text), code="validation_error", field=field)
