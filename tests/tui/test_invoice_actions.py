"""The Invoices area's actions, driven by keys on the real app over the real sandbox."""

from __future__ import annotations

from mktui.config import downloads as receipt_files
from mktui.tui.screens.dialogs import ConfirmModal
from mktui.tui.screens.invoice_detail import InvoiceDetailModal
from mktui.tui.screens.invoice_pay import PayWithModal
from mktui.tui.screens.invoices import InvoicesScreen

from .conftest import screen_text, settle
from .test_subscribe import add_card


async def open_invoices(pilot) -> InvoicesScreen:
    await settle(pilot)
    await pilot.press("i")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, InvoicesScreen), screen_text(pilot.app)
    return screen


async def select(pilot, screen: InvoicesScreen, status: str) -> str:
    """Put the cursor on the newest invoice of ``status``; returns its id."""
    table = screen.query_one("#invoices-table")
    index = next(i for i, inv in enumerate(screen.invoices) if inv.status == status)
    table.move_cursor(row=index)
    await pilot.pause()
    return screen.invoices[index].id


async def wait_for(pilot, kind):
    for _ in range(40):
        await pilot.pause()
        if isinstance(pilot.app.screen, kind):
            return pilot.app.screen
    raise AssertionError(screen_text(pilot.app))


async def pay_with_a_new_card(pilot, number: str) -> None:
    """``p`` on the selected invoice, "A new card" typed in, then Continue (to the confirmation)."""
    await pilot.press("p")
    dialog = await wait_for(pilot, PayWithModal)
    await pilot.press("end")  # "A new card" is the last option
    await pilot.pause()
    for selector, text in (
        ("#card-holder", "Ana Souza"),
        ("#card-number", number),
        ("#card-expiry", "08/29"),
        ("#card-cvc", "123"),
    ):
        widget = dialog.query_one(selector)
        widget.focus()
        await pilot.press(*list(text))
    await pilot.press("ctrl+n")


def said(modal: ConfirmModal) -> str:
    return modal.sentences


async def test_retry_pays_the_past_due_invoice_and_the_account_is_active(make_app, api):
    client = await api("demo")
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_invoices(pilot)
        invoice_id = await select(pilot, screen, "past_due")
        await pilot.press("r")
        modal = await wait_for(pilot, ConfirmModal)
        assert "Charge R$ 129,00 now to Visa •••• 4242 for invoice" in said(modal)
        await pilot.press("y")
        await settle(pilot)
        assert "is paid: R$ 129,00 with Visa •••• 4242" in screen.status_text
        assert "ACTIVE" in screen_text(app)

    invoice = await client.invoice(invoice_id)
    assert invoice.status == "paid" and invoice.paid_with.last4 == "4242"
    assert (await client.account()).status == "active"


async def test_escape_on_the_confirmation_charges_nothing(make_app, api):
    client = await api("demo")
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_invoices(pilot)
        invoice_id = await select(pilot, screen, "past_due")
        await pilot.press("r")
        await wait_for(pilot, ConfirmModal)
        await pilot.press("escape")
        await settle(pilot)
        assert screen.status_text == "Nothing was charged."
    assert (await client.invoice(invoice_id)).status == "past_due"


async def test_pay_with_another_saved_card(make_app, api):
    client = await api("demo")
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_invoices(pilot)
        invoice_id = await select(pilot, screen, "past_due")
        await pilot.press("p")
        await wait_for(pilot, PayWithModal)
        assert "Mastercard •••• 4444" in screen_text(app)
        await pilot.press("enter")  # the highlighted one: the saved card that is not the default
        modal = await wait_for(pilot, ConfirmModal)
        assert "to Mastercard •••• 4444" in said(modal)
        await pilot.press("y")
        await settle(pilot)

    invoice = await client.invoice(invoice_id)
    assert invoice.status == "paid" and invoice.paid_with.last4 == "4444"


async def test_retry_names_the_default_card_set_elsewhere_meanwhile(make_app, api):
    client = await api("demo")
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_invoices(pilot)
        invoice_id = await select(pilot, screen, "past_due")
        await add_card(client, number="5555555555554444", make_default=True)  # elsewhere
        await pilot.press("r")
        modal = await wait_for(pilot, ConfirmModal)
        assert "to Mastercard •••• 4444" in said(modal)
        await pilot.press("y")
        await settle(pilot)
        assert "is paid" in screen.status_text and "Mastercard •••• 4444" in screen.status_text

    assert (await client.invoice(invoice_id)).paid_with.last4 == "4444"


async def test_retry_charges_the_card_it_confirmed_even_if_the_default_changes_meanwhile(
    make_app, api
):
    client = await api("demo")
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_invoices(pilot)
        invoice_id = await select(pilot, screen, "past_due")
        await pilot.press("r")
        modal = await wait_for(pilot, ConfirmModal)
        assert "to Visa •••• 4242" in said(modal)
        other = next(m for m in await client.payment_methods() if m.last4 == "4444")
        await client.set_default_payment_method(other.id)  # while the dialog is open
        await pilot.press("y")
        await settle(pilot)
        assert "Visa •••• 4242" in screen.status_text

    assert (await client.invoice(invoice_id)).paid_with.last4 == "4242"


async def test_pay_with_a_new_card(make_app, api):
    client = await api("demo")
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_invoices(pilot)
        invoice_id = await select(pilot, screen, "past_due")
        await pay_with_a_new_card(pilot, "5555555555554444")
        modal = await wait_for(pilot, ConfirmModal)
        assert "to Mastercard •••• 4444" in said(modal)
        assert "5555555555554444" not in said(modal)
        assert "goes through, the new card is saved to the account" in said(modal)
        await pilot.press("y")
        await settle(pilot)
        assert "is paid" in screen.status_text

    invoice = await client.invoice(invoice_id)
    assert invoice.status == "paid"
    assert len(await client.payment_methods()) == 3  # the new card was saved, not as default


async def test_a_declined_new_card_is_not_kept(make_app, api):
    client = await api("demo")
    before = [m.id for m in await client.payment_methods()]
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_invoices(pilot)
        invoice_id = await select(pilot, screen, "past_due")
        await pay_with_a_new_card(pilot, "4000000000000002")
        await wait_for(pilot, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        assert "was declined" in screen.status_text
        assert "The new card was not saved." in screen.status_text

    assert (await client.invoice(invoice_id)).status == "past_due"
    assert [m.id for m in await client.payment_methods()] == before


async def test_a_declined_retry_leaves_it_payable_with_one_more_attempt(make_app, api):
    client = await api("demo")
    await add_card(client, number="4000000000009995", make_default=True)
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_invoices(pilot)
        invoice_id = await select(pilot, screen, "past_due")
        before = (await client.invoice(invoice_id)).attempts
        await pilot.press("r")
        await wait_for(pilot, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        assert "Visa •••• 9995 was declined" in screen.status_text
        assert "insufficient funds" in screen.status_text.lower()
        assert "still payable" in screen.status_text
        assert "OVERDUE" in screen_text(app)

    invoice = await client.invoice(invoice_id)
    assert invoice.status == "past_due" and invoice.attempts == before + 1
    assert invoice.last_failure.code == "insufficient_funds"


async def test_the_receipt_is_saved_as_a_pdf_and_never_overwritten(make_app, monkeypatch, tmp_path):
    monkeypatch.setattr(receipt_files, "default_download_dir", lambda: tmp_path)
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_invoices(pilot)
        await select(pilot, screen, "paid")
        number = screen.selected.number
        await pilot.press("d")
        await settle(pilot)
        first = tmp_path / f"receipt-{number}.pdf"
        assert first.read_bytes().startswith(b"%PDF")
        assert str(first) in screen.status_text
        first.write_bytes(b"%PDF mine")  # the admin's own file by that name
        await pilot.press("d")
        await settle(pilot)
        second = tmp_path / f"receipt-{number} (2).pdf"
        assert second.read_bytes().startswith(b"%PDF-")
        assert first.read_bytes() == b"%PDF mine"
        assert str(second) in screen.status_text


async def test_enter_opens_the_invoice_with_its_formula_and_failure(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_invoices(pilot)
        await select(pilot, screen, "past_due")
        await pilot.press("enter")
        await wait_for(pilot, InvoiceDetailModal)
        text = screen_text(app)
        assert "10 devices × R$ 12,90 = R$ 129,00" in text
        assert "Last failure" in text and "Attempts" in text
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        # From the opened invoice, r retries it (behind the same confirmation).
        await pilot.press("enter")
        await wait_for(pilot, InvoiceDetailModal)
        await pilot.press("r")
        modal = await wait_for(pilot, ConfirmModal)
        assert "Charge R$ 129,00 now to Visa •••• 4242" in said(modal)
        await pilot.press("escape")
        await settle(pilot)


async def test_filter_by_status(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_invoices(pilot)
        assert {inv.status for inv in screen.invoices} == {"paid", "past_due"}
        await pilot.press("s")  # overdue only
        await settle(pilot)
        assert [inv.status for inv in screen.invoices] == ["past_due"]
        await pilot.press("s")  # open: none
        await settle(pilot)
        assert screen.invoices == [] and "No invoices match." in screen_text(app)


async def test_retry_every_overdue_invoice_at_once(make_app, api, sandbox_app):
    from datetime import timedelta

    from .conftest import FROZEN_NOW

    client = await api("demo")
    # Let another renewal fail: a declining default card across the 1st.
    declining = await add_card(client, number="4000000000000002", make_default=True)
    await client.set_clock(FROZEN_NOW + timedelta(days=6))
    past_due = (await client.invoices("past_due")).data
    assert len(past_due) == 2
    visa = next(m for m in await client.payment_methods() if m.last4 == "4242")
    await client.set_default_payment_method(visa.id)
    assert declining.id
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_invoices(pilot)
        await pilot.press("a")
        modal = await wait_for(pilot, ConfirmModal)
        total = sum(inv.amount_due for inv in past_due)
        assert f"Charge R$ {total // 100},{total % 100:02d} in all to Visa •••• 4242" in said(modal)
        assert all(inv.number in said(modal) for inv in past_due)
        await pilot.press("y")
        await settle(pilot)
        assert "2 of 2 overdue invoices paid." in screen.status_text

    assert (await client.invoices("past_due")).data == []
    assert (await client.account()).status == "active"


async def test_retry_all_says_which_failed_and_leaves_them_payable(make_app, api):
    from datetime import timedelta

    from .conftest import FROZEN_NOW

    client = await api("demo")
    await add_card(client, number="4000000000000002", make_default=True)
    await client.set_clock(FROZEN_NOW + timedelta(days=6))  # December's renewal fails too
    past_due = (await client.invoices("past_due")).data
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_invoices(pilot)
        await pilot.press("a")
        await wait_for(pilot, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        assert screen.status_text.startswith("0 of 2 overdue invoices paid.")
        for invoice in past_due:
            assert f"declined for invoice {invoice.number}" in screen.status_text

    for invoice in past_due:
        after = await client.invoice(invoice.id)
        assert after.status == "past_due" and after.attempts == invoice.attempts + 1


async def test_the_palette_offers_the_invoice_actions(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_invoices(pilot)
        await select(pilot, screen, "past_due")
        names = [name for name, _, _ in screen.palette_commands()]
        assert "invoices: Retry payment" in names and "invoices: Retry overdue" in names
        assert "invoices: Save receipt" not in names  # not for an unpaid invoice
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"retry overdue")
        await settle(pilot)
        await pilot.press("enter")
        modal = await wait_for(pilot, ConfirmModal)
        assert "Charge R$ 129,00 now to Visa •••• 4242" in said(modal)


def test_receipt_names_are_safe_and_saves_never_replace_a_file(tmp_path):
    assert receipt_files.receipt_name("../../etc/passwd") == "receipt-etc-passwd.pdf"
    assert receipt_files.receipt_name("MK-000012") == "receipt-MK-000012.pdf"
    paths = [receipt_files.save_receipt(b"%PDF-" + bytes([n]), tmp_path, "MK-1") for n in range(3)]
    assert [p.name for p in paths] == [
        "receipt-MK-1.pdf",
        "receipt-MK-1 (2).pdf",
        "receipt-MK-1 (3).pdf",
    ]
    assert [p.read_bytes()[-1] for p in paths] == [0, 1, 2]
    assert all(p.parent == tmp_path for p in paths)


async def test_a_lost_answer_reloads_and_paying_again_charges_once(make_app, gate, api):
    import httpx

    client = await api("demo")

    class LosePay(httpx.AsyncBaseTransport):
        def __init__(self, inner):
            self.inner = inner
            self.keys: list[str] = []
            self.lose = True

        async def handle_async_request(self, request):
            if request.method == "POST" and request.url.path.endswith("/pay"):
                self.keys.append(request.headers.get("Idempotency-Key", ""))
                if self.lose:
                    await self.inner.handle_async_request(request)
                    raise httpx.ReadError("the connection dropped", request=request)
            return await self.inner.handle_async_request(request)

    lose = LosePay(gate.inner)
    gate.inner = lose
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_invoices(pilot)
        invoice_id = await select(pilot, screen, "past_due")
        await pilot.press("r")
        await wait_for(pilot, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        assert "may be paid" in screen.status_text
        assert len(set(lose.keys)) == 1
        # Loaded again: the server took the first payment, so nothing is payable any more.
        assert "OVERDUE" not in screen_text(app)

    payments = [row for row in (await client.ledger()).data if row.kind == "payment"]
    assert sum(1 for row in payments if row.invoice_id == invoice_id) == 1
