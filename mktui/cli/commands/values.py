"""Option values checked before anything is sent, each refusal naming the option."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from mktui.cli.connect import UsageError
from mktui.core.i18n import _


def devices(raw: str, option: str = "--devices") -> int:
    """A whole number of devices, 1 to the contract's maximum."""
    from mktui.api.models import MAX_DEVICES

    text = raw.strip()
    if not text.isdigit():
        raise UsageError(
            _("{option} must be a whole number of devices, like 12 (got {raw}).").format(
                option=option, raw=repr(raw)
            )
        )
    value = int(text)
    if not 1 <= value <= MAX_DEVICES:
        raise UsageError(
            _("{option} must be between 1 and {most} devices.").format(
                option=option, most=MAX_DEVICES
            )
        )
    return value


def tax_id(raw: str | None, currency: str) -> str | None:
    """The CPF/CNPJ in its compact form: required for BRL, refused for other currencies."""
    from mktui.core import taxid

    if currency != "BRL":
        if raw:
            raise UsageError(
                _("--tax-id applies only to BRL; a {currency} subscription has none.").format(
                    currency=currency
                )
            )
        return None
    if not raw:
        raise UsageError(
            _("--tax-id (CPF or CNPJ) is required to bill in reais, for the fiscal documents.")
        )
    try:
        return taxid.validate(raw).compact
    except taxid.TaxIdError as error:
        raise UsageError(f"--tax-id: {error.sentence}") from None


def day(raw: str | None, option: str) -> date | None:
    """An ISO date (``2026-01-31``)."""
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise UsageError(
            _("{option} must be a date like 2026-01-31 (got {raw}).").format(
                option=option, raw=repr(raw)
            )
        ) from None


def amount_minor(raw: str | None, option: str) -> int | None:
    """An amount like ``21.50`` (or ``21,50``) as minor units."""
    if raw is None:
        return None
    text = raw.strip().replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if (
        value is None
        or not value.is_finite()
        or value < 0
        or value != value.quantize(Decimal("0.01"))
    ):
        raise UsageError(
            _("{option} must be an amount like 21.50 (got {raw}).").format(
                option=option, raw=repr(raw)
            )
        )
    return int(value.scaleb(2))
