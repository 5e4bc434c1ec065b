"""The sandbox's one failure type: an HTTP status, a stable code and a sentence.

Every route and helper raises :class:`ApiFailure`; the app turns it into the
contract's error shape ``{"error": {"code", "message", "field"}}``. Messages
never carry a secret (token, password, card number, CVC) or a raw input value.
"""

from __future__ import annotations


class ApiFailure(Exception):
    """An error answer: ``status`` and ``code`` for machines, ``message`` for people."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        field: str | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = headers or {}
        self.extra = extra or {}
        """More members of ``error`` (``preview`` on a 409 ``price_changed``)."""

    def body(self) -> dict[str, dict[str, object]]:
        """The JSON body of this error in the contract's shape."""
        return {
            "error": {"code": self.code, "message": self.message, "field": self.field, **self.extra}
        }


def not_found(what: str, field: str | None = None) -> ApiFailure:
    """404 for an id that does not exist or belongs to another account (never 403)."""
    return ApiFailure(
        404,
        "not_found",
        f"No {what} with that id exists on this account; check the id.",
        field=field,
    )


def invalid(field: str | None, message: str) -> ApiFailure:
    """422 validation error naming the offending field."""
    return ApiFailure(422, "validation_error", message, field=field)


def conflict(code: str, message: str, field: str | None = None) -> ApiFailure:
    """409 for a request that conflicts with the current state."""
    return ApiFailure(409, code, message, field=field)
