"""Guard rails on a change of devices: overdue invoices offered first; a big jump typed twice."""

from __future__ import annotations

from textual.widgets import Input

from mktui.tui.screens.dialogs import ConfirmModal
from mktui.tui.screens.guard_dialogs import ConfirmOrPayFirstModal, TypeAgainModal
from mktui.tui.screens.invoices import InvoicesScreen
from mktui.tui.screens.subscription import SubscriptionScreen
from mktui.tui.widgets.field import LabelledField

from .conftest import screen_text, settle
from .keys import burst, keys_of
from .records_helpers import open_area, wait_for
from .test_subscribe import type_into


async def ask_for(pilot, devices: str):
    """Open the devices editor, type the new total and confirm it (Ctrl+Y)."""
    screen = await open_area(pilot, "u", SubscriptionScreen)
    await pilot.press("d")
    await settle(pilot)
    await type_into(pilot, "#subscription-new-devices", devices)
    await pilot.press("ctrl+y")
    return screen


async def test_adding_devices_while_overdue_says_so_and_offers_to_pay_first(make_app, api):
    client = await api("demo")  # past due: this month's renewal is overdue
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await ask_for(pilot, "12")
        confirm = await wait_for(pilot, ConfirmOrPayFirstModal)
        assert "1 invoice is overdue (R$ 129,00)" in confirm.sentences
        assert "Charge R$" in confirm.sentences  # the amount and card are still stated
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, InvoicesScreen), screen_text(app)
    assert (await client.subscription()).devices == 10  # nothing changed, nothing charged


async def test_adding_devices_while_overdue_can_still_go_ahead(make_app, api):
    client = await api("demo")
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await ask_for(pilot, "12")
        await wait_for(pilot, ConfirmOrPayFirstModal)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen, screen_text(app)
    assert (await client.subscription()).devices == 12


async def test_fewer_devices_while_overdue_asks_the_plain_question(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await ask_for(pilot, "8")
        confirm = await wait_for(pilot, ConfirmModal)
        assert not isinstance(confirm, ConfirmOrPayFirstModal)  # nothing is charged
        await pilot.press("escape")


async def test_more_than_ten_times_the_amount_asks_for_the_number_again(make_app, api):
    client = await api("annual")  # 5 devices
    app = make_app("annual")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await ask_for(pilot, "51")
        confirm = await wait_for(pilot, ConfirmModal)
        assert not isinstance(confirm, ConfirmOrPayFirstModal)
        await pilot.press("y")
        again = await wait_for(pilot, TypeAgainModal)
        assert again.why == (
            "The yearly amount goes from R$ 645,00 to R$ 6.579,00, more than 10 times as much."
        )
        field = again.query_one("#again-devices", Input)
        assert app.focused is field
        await burst(pilot, keys_of("5", "enter"))  # the slip: not the number typed before
        await pilot.pause()
        assert app.screen is again
        assert (
            "Not the number typed before"
            in again.query_one("#again-devices-field", LabelledField).error
        )
        assert app.focused is field
        field.value = ""
        await burst(pilot, keys_of("5", "1", "enter"))
        await settle(pilot)
        assert app.screen is screen, screen_text(app)
    assert (await client.subscription()).devices == 51


async def test_typing_another_number_or_escape_changes_nothing(make_app, api):
    client = await api("annual")
    app = make_app("annual")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await ask_for(pilot, "500")
        await wait_for(pilot, ConfirmModal)
        await pilot.press("y")
        await wait_for(pilot, TypeAgainModal)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert "Nothing changed." in screen_text(app)
    assert (await client.subscription()).devices == 5


async def test_ten_times_exactly_goes_straight_to_the_charge(make_app, api):
    client = await api("annual")
    app = make_app("annual")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await ask_for(pilot, "50")
        await wait_for(pilot, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen, screen_text(app)
    assert (await client.subscription()).devices == 50
