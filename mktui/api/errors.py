"""ApiError: every failure of the billing API, as one exception with a kind.

The client maps each transport error, status code and error body to one of
these in a single place; screens only ever see an ``ApiError`` and show its
``message`` (a sentence for the admin, saying what to do next). No token,
password or card number is ever put into a message.

Pure: imports neither Textual nor httpx.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from mktui.core.i18n import _

if TYPE_CHECKING:
    from mktui.api.models import Preview


class ErrorKind(StrEnum):
    """What went wrong, in the terms a screen acts on."""

    UNAUTHENTICATED = "unauthenticated"
    """The session ended: sign in again (a refresh was tried and failed)."""
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    """409: idempotency conflict, invoice not payable, receipt unavailable, duplicate."""
    PRICE_CHANGED = "price_changed"
    """409 price_changed: fetch the preview again and show it before charging."""
    PAYMENT_FAILED = "payment_failed"
    """402: the card was declined; ``code`` says why, the invoice stays payable."""
    VALIDATION = "validation"
    """400/413/422: ``field`` names the bad input."""
    RATE_LIMITED = "rate_limited"
    UNAVAILABLE = "unavailable"
    """Connection failed, timed out, or 502/503/504 after retries."""
    UNEXPECTED = "unexpected"
    """The server answered something outside the contract (HTML, truncated JSON, 500)."""


class ApiError(Exception):
    """A billing API failure with a sentence for people.

    ``kind`` drives what the screen does; ``code`` is the server's machine code
    when there was one (``card_declined``, ``price_changed``…); ``field`` names
    the offending input on validation errors; ``retry_after`` is in seconds.
    """

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        *,
        code: str | None = None,
        field: str | None = None,
        status: int | None = None,
        retry_after: float | None = None,
        preview: Preview | None = None,
    ) -> None:
        super().__init__(message)
        self.preview = preview
        """On PRICE_CHANGED: the server's new preview (with its quote), when it sent one."""
        self.kind = kind
        self.message = message
        self.code = code
        self.field = field
        self.status = status
        self.retry_after = retry_after

    def __repr__(self) -> str:
        return (
            f"ApiError(kind={self.kind.value!r}, code={self.code!r}, field={self.field!r}, "
            f"status={self.status!r}, message={self.message!r})"
        )


class SessionExpired(ApiError):
    """The refresh token was refused: the user must sign in again.

    Distinct from a plain 401 so the UI can keep the form the user was filling
    and ask for the password in a modal.
    """

    def __init__(self, message: str | None = None) -> None:
        if message is None:  # drawn now, in the language in use, not at import
            message = _("Your session has ended. Sign in again to continue.")
        super().__init__(ErrorKind.UNAUTHENTICATED, message, code="unauthenticated", status=401)


class InvalidBaseUrl(ApiError, ValueError):
    """The profile's API URL cannot be used (not https, credentials in it, no host).

    Raised when a ``BillingClient`` is built, before any request; ``field`` is
    ``"api_url"`` so a profile form can mark the input.
    """

    def __init__(self, message: str) -> None:
        super().__init__(ErrorKind.VALIDATION, message, code="validation_error", field="api_url")
