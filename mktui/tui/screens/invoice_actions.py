"""The Invoices area's money steps: confirm and pay, report each outcome, save receipts.

A mixin of :class:`mktui.tui.screens.invoices.InvoicesScreen`, kept apart so each
module stays small. The screen provides ``console``, ``app``, ``query_one``,
``notify``, ``load``, ``is_attached``, ``methods``, ``default_method``, ``set_status``,
``busy`` and ``_intents``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from mktui.core.card_brands import card_label
from mktui.tui.widgets.money import format_minor
from mktui.tui.widgets.text import safe_text

if TYPE_CHECKING:
    from mktui.api.models import Invoice
    from mktui.tui.screens.invoice_pay import PayChoice
    from mktui.tui.screens.invoice_payments import PayOutcome


class InvoiceMoney:
    """Pay one or several invoices behind one confirmation; save a paid invoice's receipt."""

    @work(exclusive=True, group="invoices-pay", exit_on_error=False)
    async def pay(self, invoices: list[Invoice], choice: PayChoice | None) -> None:
        """Confirm the amount and card, then charge each invoice in turn and say what happened."""
        from mktui.api.errors import ApiError, ErrorKind
        from mktui.tui.screens.dialogs import ConfirmModal
        from mktui.tui.screens.invoice_pay import PayChoice
        from mktui.tui.screens.invoice_payments import charge_lines, pay_invoice
        from mktui.tui.services.area_refresh import reset_other_areas

        try:
            client = await self.console.session.ready_client()
            if choice is None:
                # The default card as the server knows it now (it may have been changed
                # elsewhere since the list loaded), named in the confirmation and sent by
                # id: the card charged is the one confirmed, whatever happens meanwhile.
                self.methods = list(await client.payment_methods())
                default = self.default_method
                if default is None:
                    self.set_status("There is no default card now: press p to pay with a card.")
                    return
                choice = PayChoice(described=card_label(default), method_id=default.id)
            card = choice.described
            title = "Confirm payment" if len(invoices) == 1 else "Retry every overdue invoice"
            total = format_minor(sum(i.amount_due for i in invoices), invoices[0].currency)
            confirmed = await self.app.push_screen_wait(
                ConfirmModal(
                    title,
                    charge_lines(
                        invoices, card, new_card=choice is not None and choice.card is not None
                    ),
                    confirm_label=f"Pay {total}",
                )
            )
            if not confirmed:
                self.set_status("Nothing was charged.", ok=True)
                return
            outcomes = []
            lost = False
            try:
                for invoice in invoices:
                    outcomes.append(
                        await pay_invoice(client, invoice, self._intents, card=card, choice=choice)
                    )
            except ApiError as error:
                lost = error.kind is ErrorKind.UNAVAILABLE
                raise
            finally:
                # Also after a lost answer: the list shows what the server knows now.
                if outcomes:
                    self._report(outcomes, len(invoices))
                elif lost:
                    self.set_status(
                        "The answer was lost on the way: the invoice may be paid. The list is "
                        "loaded again; press r to try again (the same request, never charged twice)."
                    )
                await reset_other_areas(self.app, self.console.money)
                if self.is_attached:  # as in the Subscription area: never reload a removed area
                    self.load(keep=invoices[0].id)
        finally:
            self.end_money()

    def _report(self, outcomes: list[PayOutcome], tried: int) -> None:
        """One sentence per invoice that did not get paid; a count of those that did."""
        paid = [o for o in outcomes if o.paid]
        if tried == 1:
            self.set_status(outcomes[0].sentence, ok=outcomes[0].paid)
        else:
            failed = [o for o in outcomes if not o.paid]
            head = f"{len(paid)} of {tried} overdue invoices paid."
            if len(outcomes) < tried:
                head += (
                    f" {tried - len(outcomes)} not tried: the connection failed; "
                    "press a to try them again (nothing is charged twice)."
                )
            self.set_status(" ".join([head, *(o.sentence for o in failed)]), ok=not failed)
        if paid:
            self.notify(" ".join(o.sentence for o in paid), title="Paid", markup=False, timeout=8)

    # ------------------------------------------------------------------ receipts
    def action_download(self) -> None:
        """Save the selected paid invoice's receipt PDF (never over an existing file)."""
        invoice = self.selected
        if invoice is not None and invoice.status == "paid":
            self.download(invoice)

    @work(exclusive=True, group="invoices-receipt", exit_on_error=False)
    async def download(self, invoice: Invoice) -> None:
        """Fetch the PDF, then write it in a thread; say where it went."""
        import asyncio

        from mktui.config import downloads as receipt_files

        client = await self.console.session.ready_client()
        pdf = await client.receipt(invoice.id)
        folder = receipt_files.default_download_dir()
        try:
            path = await asyncio.to_thread(receipt_files.save_receipt, pdf, folder, invoice.number)
        except OSError as error:
            self.set_status(
                f"The receipt could not be saved in {folder}: {error.strerror or error}. "
                "Check that the folder exists and is writable, then press d again."
            )
            return
        self.set_status(
            f"Receipt of {safe_text(invoice.number, limit=40)} saved to {path}", ok=True
        )
