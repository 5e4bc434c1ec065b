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
        app.money.begin(screen)  # as while a Pay worker waits for the server
        await pilot.press("f")
        await pilot.pause()
        assert app.current_mode == "invoices"
        app.money.end(screen)
        await pilot.press("f")
        await settle(pilot)
        assert app.current_mode == "financial"


async def test_reset_keeps_an_area_whose_payment_is_in_flight(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        subscription = await open_area(pilot, "u", SubscriptionScreen)
        invoices = await open_area(pilot, "i", InvoicesScreen)
        app.money.begin(subscription, "a change of devices")
        await reset_other_areas(app, app.money)
        assert app.get_screen_stack("subscription")[-1] is subscription
        app.money.end(subscription)
        await reset_other_areas(app, app.money)
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
        app.money.begin(screen)  # as while a Pay worker waits for the server
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


async def test_money_in_flight_is_one_reactive_state(make_app):
    """Subscribers hear it start and end once each, however many screens hold it."""
    from textual.widget import Widget

    from mktui.tui.console import Console

    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        assert isinstance(app, Console)
        invoices = await open_area(pilot, "i", InvoicesScreen)
        subscription = await open_area(pilot, "u", SubscriptionScreen)
        heard: list[bool] = []
        listener = app.screen.query_one(Widget)
        app.money.changed.subscribe(listener, heard.append, immediate=True)
        app.money.begin(invoices)
        app.money.begin(subscription, "a change of devices")
        assert invoices.busy and subscription.busy and app.money.active
        assert app.money.what == ["a payment", "a change of devices"]
        app.money.end(invoices)
        assert not invoices.busy and app.money.active
        app.money.end(subscription)
        app.money.end(subscription)  # twice: harmless
        assert heard == [True, False]
        assert not app.money.active


async def test_a_screen_removed_before_its_worker_ran_holds_nothing(make_app):
    """A begun payment on a screen that is gone (its worker cancelled) does not block quitting."""
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        subscription = await open_area(pilot, "u", SubscriptionScreen)
        await open_area(pilot, "i", InvoicesScreen)
        app.money.begin(subscription, "a change of devices")
        assert app.money.active  # in its area's stack, not showing: still held
        await app.remove_mode("subscription")
        await pilot.pause()
        assert not app.money.active
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
