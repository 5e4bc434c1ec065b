"""Pay by Pix from the Invoices area, over the real sandbox: the bank pays, the console sees it."""

from __future__ import annotations

from datetime import datetime

import zxingcpp
from PIL import Image

from mktui.api.models import NewPaymentMethod, PreviewRequest, SubscribeRequest
from mktui.config import downloads
from mktui.core import brcode
from mktui.tui.screens.invoice_detail import InvoiceDetailModal
from mktui.tui.screens.pix_pay import PixPayModal, remaining_words
from mktui.tui.widgets import qr_code
from mktui.tui.widgets.qr_code import QrCode

from .conftest import screen_text, settle
from .test_invoice_actions import open_invoices, select, wait_for


def decode(lines) -> str:
    matrix = qr_code.read_back(lines)
    image = Image.new("L", (len(matrix[0]) * 4, len(matrix) * 4), 255)
    pixels = image.load()
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                for dy in range(4):
                    for dx in range(4):
                        pixels[x * 4 + dx, y * 4 + dy] = 0
    (found,) = zxingcpp.read_barcodes(image)
    return found.text


async def open_pix(pilot) -> PixPayModal:
    screen = await open_invoices(pilot)
    await select(pilot, screen, "past_due")
    await pilot.press("x")
    modal = await wait_for(pilot, PixPayModal)
    await settle(pilot)
    assert modal.charge is not None, screen_text(pilot.app)
    return modal


async def test_the_demo_pays_its_overdue_invoice_by_pix(make_app, api, monkeypatch):
    monkeypatch.setattr(PixPayModal, "POLL_SECONDS", 0.05)
    bank = await api("demo")
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        modal = await open_pix(pilot)
        charge = modal.charge
        invoice_id = modal.invoice.id
        text = screen_text(app)
        assert "Pay by Pix" in text and "R$ 129,00" in text and "Expires in" in text
        assert charge.txid in text
        # The code drawn on the terminal is the charge's BR Code, and it is the invoice's amount.
        drawn = modal.query_one(QrCode).drawing
        assert drawn is not None and decode(drawn.lines) == charge.br_code
        assert brcode.parse(charge.br_code).amount * 100 == modal.invoice.amount_due
        assert modal.query_one("#pix-code").text == charge.br_code  # shown in full, selectable
        await pilot.press("c")
        assert app.clipboard == charge.br_code
        ledger_before = (await bank.ledger(limit=200)).data
        await bank.pay_pix(charge.txid)  # the payer's bank
        for _ in range(100):
            await pilot.pause(0.05)
            if modal.paid:
                break
        await settle(pilot)
        text = screen_text(app)
        assert "Paid by Pix" in text and "The account is active" in text, text
        assert app.session.account.status == "active"
        await pilot.press("escape")
        await settle(pilot)
        screen = app.screen
        paid = next(i for i in screen.invoices if i.id == invoice_id)
        assert paid.status == "paid" and paid.paid_with.method == "pix"
        assert "paid by Pix" in screen.status_text
    ledger_after = (await bank.ledger(limit=200)).data
    new_rows = [row for row in ledger_after if row.id not in {r.id for r in ledger_before}]
    assert [(r.kind, r.amount, r.invoice_id) for r in new_rows] == [("payment", 12900, invoice_id)]
    assert (await bank.account()).status == "active"


async def test_asking_twice_shows_the_same_charge(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        first = (await open_pix(pilot)).charge
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("x")
        again = await wait_for(pilot, PixPayModal)
        await settle(pilot)
        assert again.charge == first


async def test_an_expired_charge_is_renewed_with_one_key(make_app, api):
    bank = await api("demo")
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        modal = await open_pix(pilot)
        first = modal.charge
        await bank.set_clock(datetime.fromisoformat("2026-11-26T12:31:00+00:00"))
        modal.poll()
        await settle(pilot)
        modal._tick()
        await pilot.pause()
        text = screen_text(app)
        assert "This Pix expired at 09:30. Press r for a new code." in text, text
        assert modal.query_one(QrCode).drawing is None  # nothing left to scan
        await pilot.press("r")
        await settle(pilot)
        assert modal.charge.txid != first.txid and modal.charge.status == "active"
        assert "Expires in 30:00" in screen_text(app) or "Expires in 29:5" in screen_text(app)
        assert modal.query_one(QrCode).drawing is not None


async def test_a_small_terminal_gets_the_copia_e_cola_alone(make_app):
    app = make_app("demo")
    async with app.run_test(size=(70, 18)) as pilot:
        modal = await open_pix(pilot)
        assert modal.query_one(QrCode).drawing is None
        text = screen_text(app)
        assert "too small for a QR code" in text
        assert modal.query_one("#pix-code").text == modal.charge.br_code


async def test_the_80x24_terminal_draws_a_code_that_scans(make_app):
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        modal = await open_pix(pilot)
        drawn = modal.query_one(QrCode).drawing
        assert drawn is not None and drawn.height <= 23
        assert decode(drawn.lines) == modal.charge.br_code


async def _usd_account_with_an_overdue_invoice(api) -> None:
    new = await api("new")
    await new.add_payment_method(
        NewPaymentMethod(
            holder_name="New", number="4242424242424242", exp_month=12, exp_year=2030, cvc="123"
        )
    )
    methods = await new.payment_methods()
    preview = await new.preview(PreviewRequest(currency="USD", plan="monthly", devices=2))
    await new.subscribe(
        SubscribeRequest(
            currency="USD",
            plan="monthly",
            devices=2,
            payment_method_id=methods[0].id,
            expected_total=preview.total,
        ),
        idempotency_key="k-usd-subscribe",
    )
    await new.add_payment_method(
        NewPaymentMethod(
            holder_name="New",
            number="4000000000009995",
            exp_month=12,
            exp_year=2030,
            cvc="123",
            make_default=True,
        )
    )
    await new.set_clock(datetime.fromisoformat("2026-12-01T09:00:00-03:00"))
    assert (await new.invoices("past_due")).data


async def test_a_usd_account_is_told_pix_is_not_available(make_app, api):
    await _usd_account_with_an_overdue_invoice(api)
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_invoices(pilot)
        await select(pilot, screen, "past_due")
        await pilot.press("x")
        await settle(pilot)
        assert not isinstance(app.screen, PixPayModal)
        assert "Pix is only for invoices in reais (BRL)" in screen.status_text


async def test_the_nfse_shows_in_the_invoice_and_saves_as_pdf_and_xml(
    make_app, monkeypatch, tmp_path
):
    monkeypatch.setattr(downloads, "default_download_dir", lambda: tmp_path)
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_invoices(pilot)
        await select(pilot, screen, "paid")
        invoice = screen.selected
        assert invoice.nfse is not None
        await pilot.press("enter")
        await wait_for(pilot, InvoiceDetailModal)
        text = screen_text(app)
        assert f"no. {invoice.nfse.number}" in text and invoice.nfse.verification_code in text
        await pilot.press("n")
        await settle(pilot)
        pdf = tmp_path / f"nfse-{invoice.number}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF-")
        await pilot.press("N")
        await settle(pilot)
        xml = tmp_path / f"nfse-{invoice.number}.xml"
        assert invoice.nfse.verification_code.encode() in xml.read_bytes()
        assert str(xml) in screen.status_text


def test_the_countdown_reads_minutes_and_seconds():
    from datetime import timedelta

    assert remaining_words(timedelta(minutes=29, seconds=5)) == "29:05"
    assert remaining_words(timedelta(seconds=-3)) == "00:00"
