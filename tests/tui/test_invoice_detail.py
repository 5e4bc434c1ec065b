"""One invoice, opened: what it says for each state, and which of its keys it offers."""

from __future__ import annotations

from datetime import UTC, datetime

from mktui.api.models import Failure, PaidWith
from mktui.tui.screens.invoice_detail import InvoiceDetailModal, invoice_text

from .conftest import settle


async def _an_invoice(api):
    client = await api("demo")
    page = await client.invoices("past_due", limit=1)
    return page.data[0]


async def test_a_paid_invoice_names_credit_and_never_an_old_failure(api):
    invoice = (await _an_invoice(api)).model_copy(
        update={
            "status": "paid",
            "credit_granted": 5000,
            "paid_at": datetime(2026, 11, 20, 12, tzinfo=UTC),
            "paid_with": None,
            "last_failure": Failure(code="card_declined", message="Declined once"),
        }
    )
    text = invoice_text(invoice).plain
    assert "Credit granted  R$ 50,00" in text
    assert "Paid            20 Nov 2026 with credit" in text
    assert "Declined once" not in text  # paid since: the old failure is not news


async def test_a_paid_invoice_names_the_card_or_the_pix_it_was_paid_with(api):
    invoice = await _an_invoice(api)
    paid = {"status": "paid", "paid_at": datetime(2026, 11, 20, 12, tzinfo=UTC)}
    card = invoice.model_copy(update={**paid, "paid_with": PaidWith(brand="visa", last4="4242")})
    pix = invoice.model_copy(
        update={**paid, "paid_with": PaidWith(method="pix", txid="E12345678abc")}
    )
    assert "with Visa •••• 4242" in invoice_text(card).plain
    assert "with Pix (txid E12345678abc)" in invoice_text(pix).plain


async def test_the_keys_offered_follow_the_status(make_app, api):
    overdue = await _an_invoice(api)
    paid = overdue.model_copy(
        update={"status": "paid", "paid_at": datetime(2026, 11, 20, 12, tzinfo=UTC)}
    )
    void = overdue.model_copy(update={"status": "void"})
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        for invoice, allowed, hint in (
            (overdue, {"retry", "pay"}, "r retries with the default card"),
            (paid, {"download"}, "d saves the receipt PDF"),
            (void, set(), "A void invoice has nothing to pay and no receipt"),
        ):
            answers: list[str | None] = []
            modal = InvoiceDetailModal(invoice)
            app.push_screen(modal, answers.append)
            await pilot.pause()
            offered = {
                action
                for action in ("retry", "pay", "download")
                if modal.check_action("choose", (action,))
            }
            assert offered == allowed
            assert hint in str(modal.query_one("#invoice-hint").render())
            await pilot.press("d")  # refused unless paid: the modal stays open
            await pilot.pause()
            if "download" in allowed:
                assert answers == ["download"]
            else:
                assert app.screen is modal
                await pilot.press("escape")
                await pilot.pause()
                assert answers == [None]
