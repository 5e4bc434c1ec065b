"""Payment methods driven by keys: add a card, a typo, set default, remove (and the 409)."""

from __future__ import annotations

from datetime import date

import pytest

from mktui.api.models import NewPaymentMethod
from mktui.tui.screens.dialogs import ConfirmModal, ErrorModal
from mktui.tui.screens.payment_methods import AddCardModal, PaymentMethodsScreen, expiry_state

from .conftest import screen_text, settle
from .records_helpers import cells, open_area, wait_for


async def test_set_the_selected_card_as_default(make_app, api):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot, "m", PaymentMethodsScreen)
        assert cells(screen, 3) == ["default", ""]
        await pilot.press("down", "d")
        await settle(pilot)
        assert cells(screen, 3) == ["", "default"]
        assert screen.selected is not None and screen.selected.last4 == "4444"
    methods = await (await api("demo")).payment_methods()
    assert [m.last4 for m in methods if m.is_default] == ["4444"]


async def test_remove_asks_first_naming_the_card_and_cancel_keeps_it(make_app, api):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot, "m", PaymentMethodsScreen)
        await pilot.press("down", "x")
        confirm = await wait_for(pilot, ConfirmModal)
        assert "Mastercard •••• 4444" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and len(cells(screen, 0)) == 2
        assert confirm is not app.screen
        await pilot.press("delete")
        await wait_for(pilot, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen
        assert cells(screen, 0) == ["Visa •••• 4242"]
    assert [m.last4 for m in await (await api("demo")).payment_methods()] == ["4242"]


async def test_removing_the_default_card_with_open_invoices_says_what_to_do(make_app, api):
    app = make_app("demo")  # past due: its renewal invoice is open
    async with app.run_test(size=(100, 32)) as pilot:
        await open_area(pilot, "m", PaymentMethodsScreen)
        await pilot.press("x")
        await wait_for(pilot, ConfirmModal)
        assert "default card" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ErrorModal), screen_text(app)
        text = screen_text(app)
        assert "Visa •••• 4242 was not removed" in text
        assert "press d" in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PaymentMethodsScreen)
    assert [m.last4 for m in await (await api("demo")).payment_methods()] == ["4242", "4444"]


async def test_expired_and_expiring_cards_are_marked(make_app, api):
    client = await api("annual")
    for month, year in ((11, 2026), (12, 2029)):
        await client.add_payment_method(
            NewPaymentMethod(
                holder_name="Annual Telecom",
                number="4242424242424242",
                exp_month=month,
                exp_year=year,
                cvc="123",
            )
        )
    app = make_app("annual")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot, "m", PaymentMethodsScreen)
        assert cells(screen, 1) == ["12/2029", "11/2026 · expires this month", "12/2029"]
        assert "expiring" in screen_text(app)


@pytest.mark.parametrize(
    ("month", "year", "state"),
    [(10, 2026, "expired"), (11, 2026, "expires this month"), (12, 2026, ""), (1, 2025, "expired")],
)
def test_expiry_state(month, year, state):
    from mktui.api.models import PaymentMethod

    method = PaymentMethod(
        id="pm_1",
        brand="visa",
        last4="4242",
        exp_month=month,
        exp_year=year,
        holder_name="x",
        is_default=False,
    )
    assert expiry_state(method, date(2026, 11, 26)) == state


async def test_palette_and_bindings(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot, "m", PaymentMethodsScreen)
        names = [name for name, _, _ in screen.palette_commands()]
        assert names == [
            "payment methods: Add",
            "payment methods: Set default",
            "payment methods: Update expiry",
            "payment methods: Remove",
        ]
        for binding in PaymentMethodsScreen.BINDINGS:
            assert binding.id and binding.description
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"payment methods: add")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AddCardModal)


def test_snapshot_payment_methods(snap_compare, make_app):
    async def ready(pilot):
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)

    assert snap_compare(make_app("demo"), terminal_size=(80, 24), run_before=ready)
