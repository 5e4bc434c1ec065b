"""Saving an invoice's own PDF (any state: an open one says "amount due"), shared by Invoices and its detail."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from mktui.config import downloads
from mktui.core.i18n import _
from mktui.tui.widgets.text import safe_text

if TYPE_CHECKING:
    from mktui.api.client import BillingClient
    from mktui.api.models import Invoice


async def save_invoice_pdf(client: BillingClient, invoice: Invoice) -> tuple[bool, str]:
    """Fetch ``GET /v1/invoices/{id}/pdf`` and save it (never over a file): ``(saved, sentence)``."""
    pdf = await client.invoice_pdf(invoice.id)
    folder = downloads.default_download_dir()
    number = safe_text(invoice.number, limit=40)
    try:
        path = await asyncio.to_thread(
            downloads.save_receipt, pdf, folder, invoice.number, kind="invoice"
        )
    except OSError as error:
        return False, _(
            "The invoice PDF could not be saved in {folder}: {why}. "
            "Check that the folder exists and is writable, then press P again."
        ).format(folder=folder, why=error.strerror or error)
    return True, _("Invoice {number} saved as a PDF to {path}").format(number=number, path=path)
