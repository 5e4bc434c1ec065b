"""One invoice, opened: its lines with their formulas, totals, credit, attempts and payment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from mktui.core import dates, pricing
from mktui.core.card_brands import card_label
from mktui.core.i18n import N_, _, format_period
from mktui.tui.screens.base import ConsoleModal
from mktui.tui.widgets.money import format_minor, locale_for, money
from mktui.tui.widgets.preview_panel import format_date
from mktui.tui.widgets.text import safe_text

if TYPE_CHECKING:
    from mktui.api.models import Invoice

# "open", "paid" and "void" are the msgids of mktui.cli.words: one translation for both.
STATUS_WORDS = {
    "open": N_("open"),
    "past_due": N_("OVERDUE"),
    "paid": N_("paid"),
    "void": N_("void"),
}
PAYABLE = ("open", "past_due")
_NFSE_WORDS = {"issued": N_("issued"), "canceled": N_("canceled")}

LABEL_WIDTH = 16
"""The label column of an opened invoice, at least (a longer translated label widens it)."""


def status_word(status: str) -> str:
    """An invoice's status for people, in the language in use (an unknown code as sent, made safe)."""
    word = STATUS_WORDS.get(status)
    return _(word) if word is not None else safe_text(status)


def invoice_text(invoice: Invoice, timezone: str | None = None) -> Content:
    """The invoice as literal lines (descriptions and failures come from the server).

    Moments (when it was paid) are read in the billing time zone ``timezone``.
    """
    cur = invoice.currency
    loc = locale_for(cur)
    # (label, value, style) rows, or a Content line of its own; labels padded once all are known.
    rows: list[tuple[str, str, str] | Content] = [
        (_("Status"), status_word(invoice.status), "bold"),
        (_("Period"), format_period(invoice.period_start, invoice.period_end), ""),
        (_("Due"), format_date(invoice.due_date), ""),
        Content(""),
    ]
    for line in invoice.lines:
        priced = pricing.PreviewLine(
            description=safe_text(line.description),
            quantity=line.quantity,
            unit_amount=money(line.unit_amount, cur),
            days=line.days,
            days_in_period=line.days_in_period,
            amount=money(line.amount, cur),
        )
        rows.append(Content(safe_text(line.description)).stylize("bold"))
        rows.append(Content("  " + priced.formula(loc)))
    rows.append((_("Subtotal"), format_minor(invoice.subtotal, cur), ""))
    if invoice.credit_granted:
        rows.append((_("Credit granted"), format_minor(invoice.credit_granted, cur), ""))
    rows.append((_("Credit applied"), "− " + format_minor(invoice.credit_applied, cur), ""))
    rows.append((_("Total"), format_minor(invoice.total, cur), "bold"))
    rows.append((_("Amount due"), format_minor(invoice.amount_due, cur), "bold"))
    rows.append((_("Attempts"), str(invoice.attempts), ""))
    if invoice.last_failure is not None and invoice.status != "paid":
        rows.append((_("Last failure"), safe_text(invoice.last_failure.message, limit=300), ""))
    if invoice.paid_at is not None:
        if invoice.paid_with is None:
            paid_with = _("credit")
        elif invoice.paid_with.method == "pix":
            paid_with = _("Pix (txid {txid})").format(txid=invoice.paid_with.txid)
        else:
            paid_with = card_label(invoice.paid_with)
        paid_on = format_date(dates.billing_date(invoice.paid_at, timezone))
        rows.append(
            (_("Paid"), _("{when} with {method}").format(when=paid_on, method=paid_with), "")
        )
    if invoice.nfse is not None:
        nfse = invoice.nfse
        rows.append(
            (
                "NFS-e",
                _("no. {number} · code {code} · {status}").format(
                    number=safe_text(nfse.number, limit=20),
                    code=safe_text(nfse.verification_code, limit=20),
                    status=_(_NFSE_WORDS[nfse.status])
                    if nfse.status in _NFSE_WORDS
                    else safe_text(nfse.status),
                ),
                "",
            )
        )
    width = max([LABEL_WIDTH - 1] + [len(row[0]) for row in rows if isinstance(row, tuple)]) + 1

    def line(row: tuple[str, str, str] | Content) -> Content:
        if isinstance(row, Content):
            return row
        label, value, style = row
        text = Content(f"{label:<{width}}{value}")
        return text.stylize(style) if style else text

    return Content("\n").join(line(row) for row in rows)


class InvoiceDetailModal(ConsoleModal):
    """The invoice; its keys hand an action back to the Invoices area (``dismiss(action)``)."""

    BINDINGS = [
        Binding("escape", "close", N_("Close"), id="invoice.close"),
        # The keys that pay first: at 80 columns the footer leaves out its last hints.
        Binding("r", "choose('retry')", N_("Retry"), id="invoice.retry"),
        Binding("p", "choose('pay')", N_("Pay with…"), id="invoice.pay"),
        Binding("x", "choose('pix')", N_("Pix"), id="invoice.pix", tooltip=N_("Pay by Pix (BRL)")),
        Binding("d", "choose('download')", N_("Save receipt"), id="invoice.download"),
        Binding(
            "P",
            "choose('invoice_pdf')",
            N_("Invoice PDF"),
            id="invoice.invoice-pdf",
            tooltip=N_("Save the invoice itself as a PDF, whatever its state"),
        ),
        Binding("n", "choose('nfse_pdf')", N_("NFS-e PDF"), id="invoice.nfse-pdf"),
        Binding("N", "choose('nfse_xml')", N_("NFS-e XML"), id="invoice.nfse-xml"),
    ]

    def __init__(self, invoice: Invoice) -> None:
        super().__init__(classes="dialog")
        self.invoice = invoice

    def compose(self) -> ComposeResult:
        invoice = self.invoice
        with Vertical(classes="dialog--box", id="invoice-box"):
            yield Static(
                Content(_("Invoice {number}").format(number=safe_text(invoice.number, limit=40))),
                classes="dialog--title",
            )
            with VerticalScroll(id="invoice-scroll"):
                account = self.console.session.account
                zone = account.billing_timezone if account is not None else None
                yield Static(invoice_text(invoice, zone), id="invoice-text")
            yield Static(Content(self._keys_hint()), classes="hint", id="invoice-hint")

    def _keys_hint(self) -> str:
        # Whole sentences per case (not pieces joined here): each language orders its own.
        if self.invoice.status == "paid":
            if self.invoice.nfse is not None:
                return _(
                    "d saves the receipt PDF · P the invoice PDF · n the NFS-e PDF · N its XML · "
                    "Escape closes"
                )
            return _("d saves the receipt PDF · P the invoice PDF · Escape closes")
        if self.invoice.status in PAYABLE:
            if self.invoice.currency == "BRL":
                return _(
                    "r retries with the default card · p pays with another card · "
                    "x pays by Pix · P saves the invoice PDF · Escape closes"
                )
            return _(
                "r retries with the default card · p pays with another card · "
                "P saves the invoice PDF · Escape closes"
            )
        return _(
            "A void invoice has nothing to pay and no receipt; P saves its PDF. Escape closes."
        )

    def on_mount(self) -> None:
        self.query_one("#invoice-scroll").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            wanted = parameters[0] if parameters else ""
            if wanted == "download":
                return self.invoice.status == "paid"
            if wanted == "invoice_pdf":
                return True  # any state: an open invoice's PDF says the amount due
            if wanted in ("nfse_pdf", "nfse_xml"):
                return self.invoice.nfse is not None
            if wanted == "pix":
                return self.invoice.status in PAYABLE and self.invoice.currency == "BRL"
            return self.invoice.status in PAYABLE
        return True

    def action_choose(self, action: str) -> None:
        """Close and let the Invoices area do ``action`` for this invoice."""
        self.dismiss(action)

    def action_close(self) -> None:
        """Close the invoice."""
        self.dismiss(None)
