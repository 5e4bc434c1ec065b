"""While a payment waits for the server's answer, nothing can leave or drop it."""

from __future__ import annotations

from textual.command import CommandPalette

from mktui.tui.screens.dialogs import ConfirmModal
from mktui.tui.screens.financial import FinancialScreen

from .conftest import screen_text, settle
from .records_helpers import wait_for
from .test_subscribe import add_card, go_to_payment, open_subscribe


async def _charge_in_flight(pilot, gate):
    payment = await go_to_payment(pilot)
    gate.open.clear()  # the subscribe request waits at the server's door
    payment.action_pay()
    await wait_for(pilot, ConfirmModal)
    await pilot.press("y")
    for _ in range(50):
        if gate.subscribe_keys:
            break
        await pilot.pause()
    assert pilot.app.money.active
    return payment


def _notices(app) -> str:
    return " ".join(str(n.message) for n in app._notifications)


async def test_area_keys_the_palette_and_sign_out_are_refused_in_a_sentence(make_app, api, gate):
    client = await api("new")
    await add_card(client)
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_subscribe(pilot, devices="2")
        payment = await _charge_in_flight(pilot, gate)
        await pilot.press("ctrl+p")
        await wait_for(pilot, CommandPalette)
        await pilot.press(*"invoices: open")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is payment and app.current_mode == "financial"
        assert "open Invoices once it arrives" in _notices(app)
        await app.sign_out()
        await pilot.pause()
        assert app.session.signed_in and "sign out once it arrives" in _notices(app)
        await pilot.press("ctrl+q")
        await wait_for(pilot, ConfirmModal)
        gate.open.set()  # the answer arrives: the quit question closes by itself
        await settle(pilot)
        assert isinstance(app.screen, FinancialScreen), screen_text(app)
        assert app.is_running and not app.money.active
        await pilot.press("i")
        await settle(pilot)
        assert app.current_mode == "invoices"
    assert (await client.account()).status == "active"


async def test_an_area_key_while_paying_says_why_nothing_happens(make_app):
    from mktui.tui.screens.invoices import InvoicesScreen

    from .records_helpers import open_area

    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot, "i", InvoicesScreen)
        app.money.begin(screen)  # as while a Pay worker waits for the server
        await pilot.press("f")
        await pilot.pause()
        assert app.screen is screen
        assert "A payment is waiting for the server's answer; open Financial" in _notices(app)
