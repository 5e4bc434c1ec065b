"""Money in flight is never dropped by navigation, and a new default card reaches every area."""

from __future__ import annotations

from mktui.tui.screens.invoices import InvoicesScreen
from mktui.tui.screens.payment_methods import PaymentMethodsScreen
from mktui.tui.screens.subscription import SubscriptionScreen
from mktui.tui.services.area_refresh import reset_other_areas
from mktui.tui.services.modes import mode_screens

from .conftest import settle
from .records_helpers import open_area


async def test_an_area_waiting_for_a_payment_answer_cannot_be_left(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot, "i", InvoicesScreen)
        screen.busy = True  # as while a Pay worker waits for the server
        await pilot.press("f")
        await pilot.pause()
        assert app.current_mode == "invoices"
        screen.busy = False
        await pilot.press("f")
        await settle(pilot)
        assert app.current_mode == "financial"


async def test_reset_keeps_an_area_whose_payment_is_in_flight(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        subscription = await open_area(pilot, "u", SubscriptionScreen)
        invoices = await open_area(pilot, "i", InvoicesScreen)
        subscription.busy = True
        await reset_other_areas(app)
        assert app.get_screen_stack("subscription")[-1] is subscription
        subscription.busy = False
        await reset_other_areas(app)
        assert subscription not in mode_screens(app, "subscription")
        assert app.screen is invoices


async def test_a_new_default_card_makes_the_other_areas_load_again(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        before = await open_area(pilot, "u", SubscriptionScreen)
        await open_area(pilot, "m", PaymentMethodsScreen)
        await pilot.press("down", "d")
        await settle(pilot)
        after = await open_area(pilot, "u", SubscriptionScreen)
        assert after is not before  # rebuilt: its confirmation names the new default card


async def test_quitting_while_paying_asks_first(make_app):
    from mktui.tui.screens.dialogs import ConfirmModal

    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot, "i", InvoicesScreen)
        screen.busy = True  # as while a Pay worker waits for the server
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal) and app.is_running
        assert app.screen.title_text == "Quit while paying?"
        assert "outcome unknown" in app.screen.sentences
        await pilot.press("ctrl+q")  # asked already: not a second dialog
        await pilot.pause()
        assert len(app.screen_stack) == 2
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not app.is_running


async def test_quitting_otherwise_is_at_once(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
