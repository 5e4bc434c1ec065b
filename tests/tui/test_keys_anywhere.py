"""Keys that work from anywhere: Ctrl+Q from the palette and dialogs; keys after a modal closes."""

from __future__ import annotations

from textual.command import CommandPalette

from mktui.tui.screens.contacts import ContactsScreen
from mktui.tui.screens.dialogs import ConfirmModal, ErrorModal
from mktui.tui.screens.financial import FinancialScreen
from mktui.tui.screens.invoices import InvoicesScreen
from mktui.tui.screens.signin import SignInScreen

from .conftest import settle
from .records_helpers import open_area, wait_for


async def test_ctrl_q_quits_from_the_command_palette(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, CommandPalette)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code == 0


async def test_ctrl_q_quits_from_a_confirmation(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_area(pilot, "c", ContactsScreen)
        await pilot.press("x")
        await wait_for(pilot, ConfirmModal)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code == 0


async def test_ctrl_q_quits_from_an_error_dialog(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        app.push_screen(ErrorModal("Not found", "That invoice is gone."))
        await wait_for(pilot, ErrorModal)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code == 0


async def test_ctrl_q_quits_from_sign_in_with_a_field_focused(make_app):
    app = make_app(None)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        await pilot.press("a", "ctrl+q")
        await pilot.pause()
        assert app.return_code == 0


async def test_area_keys_work_after_a_dialog_closes(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_area(pilot, "c", ContactsScreen)
        await pilot.press("x")
        await wait_for(pilot, ConfirmModal)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ContactsScreen)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, InvoicesScreen)
        await pilot.press("ctrl+p")
        await wait_for(pilot, CommandPalette)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FinancialScreen)
        await pilot.press("tab")
        assert app.focused is not None
