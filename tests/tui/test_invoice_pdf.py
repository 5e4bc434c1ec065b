"""P saves the invoice itself as a PDF, whatever its state (d stays the receipt of a paid one)."""

from __future__ import annotations

import io

from pypdf import PdfReader

from mktui.config import downloads
from mktui.tui.screens.invoice_detail import InvoiceDetailModal

from .conftest import settle
from .test_invoice_actions import open_invoices, select, wait_for


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages)


async def test_p_on_the_list_saves_an_overdue_invoices_pdf(make_app, monkeypatch, tmp_path):
    monkeypatch.setattr(downloads, "default_download_dir", lambda: tmp_path)
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_invoices(pilot)
        await select(pilot, screen, "past_due")
        number = screen.selected.number
        assert not screen.check_action("download", ())  # no receipt for an unpaid invoice
        await pilot.press("P")
        await settle(pilot)
        saved = tmp_path / f"invoice-{number}.pdf"
        assert saved.read_bytes().startswith(b"%PDF-")
        assert str(saved) in screen.status_text
        assert number in pdf_text(saved)


async def test_p_in_the_invoice_detail_saves_it_and_d_still_the_receipt(
    make_app, monkeypatch, tmp_path
):
    monkeypatch.setattr(downloads, "default_download_dir", lambda: tmp_path)
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_invoices(pilot)
        await select(pilot, screen, "paid")
        number = screen.selected.number
        await pilot.press("enter")
        await wait_for(pilot, InvoiceDetailModal)
        await pilot.press("P")
        await settle(pilot)
        assert app.screen is screen
        assert (tmp_path / f"invoice-{number}.pdf").read_bytes().startswith(b"%PDF-")
        await pilot.press("enter")
        await wait_for(pilot, InvoiceDetailModal)
        await pilot.press("d")
        await settle(pilot)
        assert (tmp_path / f"receipt-{number}.pdf").read_bytes().startswith(b"%PDF-")
