"""Invoices: what the area refuses, and says, when there is no default card or no room for a receipt."""

from __future__ import annotations

from mktui.config import downloads as receipt_files
from mktui.tui.screens.dialogs import ConfirmModal

from .conftest import settle
from .test_invoice_actions import open_invoices, select


async def test_retry_without_a_default_card_says_to_pay_with_another(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_invoices(pilot)
        await select(pilot, screen, "past_due")
        # Cards, none of them the default (the server refuses to remove the default card
        # while invoices are open, so the state is set on the screen).
        screen.methods = [m.model_copy(update={"is_default": False}) for m in screen.methods]
        await pilot.press("r")
        await settle(pilot)
        assert "There is no default card: press p" in screen.status_text
        await pilot.press("a")
        await settle(pilot)
        assert "There is no default card: pay each invoice with p" in screen.status_text
        assert not isinstance(app.screen, ConfirmModal) and not screen.busy


async def test_a_receipt_that_cannot_be_written_says_where_and_what_to_check(
    make_app, monkeypatch, tmp_path
):
    missing = tmp_path / "no-such-folder"
    monkeypatch.setattr(receipt_files, "default_download_dir", lambda: missing)
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_invoices(pilot)
        await select(pilot, screen, "paid")
        await pilot.press("d")
        await settle(pilot)
        assert f"The receipt could not be saved in {missing}" in screen.status_text
        assert "press d again" in screen.status_text
