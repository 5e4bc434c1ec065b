"""Checks on what the billing client is asked to send, before anything is sent.

The API URL (https, or plain http only to this machine), ids that go into a
path, idempotency keys, page sizes and request models: each bad input becomes
an ``ApiError`` of kind VALIDATION naming the field, like the server's own.
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from mktui.api import failures
from mktui.api.errors import ApiError, ErrorKind, InvalidBaseUrl
from mktui.core.i18n import _


def check_base_url(base_url: str, *, allow_insecure_http: bool = False) -> httpx.URL:
    """The API URL, refused with a sentence unless it is safe to send tokens to.

    ``https://`` always; ``http://`` only to this machine (127.0.0.0/8, ::1,
    localhost), or with ``allow_insecure_http`` for an in-process transport.
    """
    try:
        url = httpx.URL(base_url)
    except (httpx.InvalidURL, TypeError):
        # Not echoed: a mistyped URL may hold a password.
        raise InvalidBaseUrl(_("The API URL is not a valid address; check it for typos.")) from None
    if url.scheme not in ("https", "http") or not url.host:
        raise InvalidBaseUrl(
            _(
                "The API URL must start with https:// and name a host, like https://billing.example.com."
            )
        )
    if url.userinfo:
        raise InvalidBaseUrl(
            _("The API URL must not contain a user name or password; sign in instead.")
        )
    if url.scheme == "http" and not (is_loopback(url.host) or allow_insecure_http):
        raise InvalidBaseUrl(
            _(
                "The API URL uses plain http:// to {host}, which would send your session "
                "unencrypted. Use https://, or http:// only for a server on this machine (localhost)."
            ).format(host=url.host)
        )
    return url


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine: ``localhost``, 127.0.0.0/8 or ::1."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def path_segment(value: str, field: str) -> str:
    """An id made safe as one path segment (no ``/``, no ``..``)."""
    if not value or not value.strip(".") or len(value) > 255:
        raise ApiError(
            ErrorKind.VALIDATION,
            _("“{value}” is not a valid id for {field}.").format(
                value=failures.clean(value, 40), field=failures.field_label(field)
            ),
            field=field,
        )
    return quote(value, safe="")


def check_key(key: str) -> str:
    """An ``Idempotency-Key`` as the contract allows it: 1–255 printable ASCII characters."""
    if not (1 <= len(key) <= 255) or not key.isascii() or not key.isprintable():
        raise ApiError(
            ErrorKind.VALIDATION,
            _(
                "The request key must be 1 to 255 printable ASCII characters; "
                "use new_idempotency_key()."
            ),
            field="idempotency_key",
        )
    return key


def build(model: type[BaseModel], **fields: Any) -> Any:
    """A request model, with a bad input turned into a VALIDATION ``ApiError``."""
    try:
        return model(**fields)
    except ValidationError as exc:
        raise failures.from_bad_input(exc) from None


def wire(model: BaseModel) -> dict[str, object]:
    """A request model as JSON-ready data, leaving out what is unset (None)."""
    return model.model_dump(mode="json", exclude_none=True)


def page_limit(limit: int) -> int:
    """A page size the contract allows (1–200)."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 200:
        raise ApiError(
            ErrorKind.VALIDATION,
            _("The page size must be a whole number from 1 to 200."),
            field="limit",
        )
    return limit
