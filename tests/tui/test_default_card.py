"""The default card: it moves on when removed (and the console says to which card)."""

from __future__ import annotations

from textual.widgets import Static

from mktui.tui.screens.dialogs import ConfirmModal
from mktui.tui.screens.financial import FinancialScreen
from mktui.tui.screens.payment_methods import PaymentMethodsScreen

from .conftest import screen_text, settle
from .records_helpers import cells, open_area, wait_for
from .test_subscribe import add_card


def said(app) -> str:
    return " ".join(str(n.message) for n in app._notifications)


async def test_removing_the_default_makes_the_newest_card_the_default_and_says_so(make_app, api):
    client = await api("annual")  # active, nothing open: its default card may go
    await add_card(client, "4242424242424242", make_default=False)
    await add_card(client, "4000000000009995", make_default=False)
    app = make_app("annual")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot, "m", PaymentMethodsScreen)
        assert cells(screen, 3) == ["default", "", ""]
        await pilot.press("x")  # the first row: the default Mastercard
        confirm = await wait_for(pilot, ConfirmModal)
        assert "Visa •••• 9995 becomes the default" in confirm.sentences
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen
        assert "Visa •••• 9995 is now the default card." in said(app)
        assert cells(screen, 0) == ["Visa •••• 4242", "Visa •••• 9995"]
        assert cells(screen, 3) == ["", "default"]
    methods = await client.payment_methods()
    assert [(m.last4, m.is_default) for m in methods] == [("4242", False), ("9995", True)]
    assert (await client.account()).default_payment_method_id == methods[1].id


async def test_removing_the_last_card_says_none_is_left(make_app, api):
    app = make_app("annual")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot, "m", PaymentMethodsScreen)
        await pilot.press("x")
        confirm = await wait_for(pilot, ConfirmModal)
        assert "no other is saved" in confirm.sentences
        await pilot.press("y")
        await settle(pilot)
        assert cells(screen, 0) == []
        assert "is now the default" not in said(app)
    assert await (await api("annual")).payment_methods() == []


async def test_financial_warns_when_an_active_account_has_no_card(make_app, api):
    client = await api("annual")
    for method in await client.payment_methods():
        await client.remove_payment_method(method.id)
    app = make_app("annual")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FinancialScreen)
        card = app.screen.query_one("#fin-card", Static)
        assert card.has_class("-warn")
        text = " ".join(screen_text(app).split())
        assert "needed when the credit ends" in text  # the year is paid from credit
        assert "No card is saved to pay the renewals" in text


async def test_financial_does_not_warn_an_inactive_account_without_a_card(make_app):
    app = make_app("new")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        card = app.screen.query_one("#fin-card", Static)
        assert not card.has_class("-warn")
        assert "None saved" in screen_text(app)


async def offer_after_paying_with_the_other_card(pilot, app):
    from mktui.tui.screens.invoice_pay import PayWithModal

    from .test_invoice_actions import open_invoices, select

    screen = await open_invoices(pilot)
    await select(pilot, screen, "past_due")
    await pilot.press("p")
    await wait_for(pilot, PayWithModal)
    await pilot.press("enter")  # the saved card that is not the default: Mastercard 4444
    await wait_for(pilot, ConfirmModal)
    await pilot.press("y")
    await settle(pilot)
    offer = await wait_for(pilot, ConfirmModal)
    assert offer.title_text == "Make it the default card?"
    assert "Make Mastercard •••• 4444 the default card?" in offer.sentences
    return screen


async def test_after_paying_with_another_card_it_can_become_the_default(make_app, api):
    client = await api("demo")
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await offer_after_paying_with_the_other_card(pilot, app)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen
        assert "Mastercard •••• 4444 is now the default card." in said(app)
    assert [m.last4 for m in await client.payment_methods() if m.is_default] == ["4444"]


async def test_escape_keeps_the_default(make_app, api):
    client = await api("demo")
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await offer_after_paying_with_the_other_card(pilot, app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
    assert [m.last4 for m in await client.payment_methods() if m.is_default] == ["4242"]
