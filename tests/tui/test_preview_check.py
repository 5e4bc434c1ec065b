"""A server preview that does not add up is refused with a sentence: never shown, never charged."""

from __future__ import annotations

import pytest

from mktui.sandbox import routes_account
from mktui.tui.screens.dialogs import ErrorModal
from mktui.tui.screens.subscribe import SubscribeScreen

from .conftest import screen_text, settle
from .test_subscribe import add_card, open_subscribe
from .test_subscription_area import invoice_count, open_area, type_total

SAYS = "The server's preview does not add up"


@pytest.fixture
def tampered(monkeypatch):
    """The sandbox answers previews whose total is one centavo more than its lines and credit."""
    real = routes_account.preview_view

    def off_by_one(quote):
        view = real(quote)
        return view | {"total": view["total"] + 1}

    monkeypatch.setattr(routes_account, "preview_view", off_by_one)


async def test_a_device_change_whose_preview_does_not_add_up_is_not_confirmed(
    make_app, api, sandbox_app, tampered
):
    client = await api("demo")
    before = invoice_count(sandbox_app, "demo@mkcontroller.test")
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot)
        await type_total(pilot, "13")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ErrorModal), screen_text(app)  # not the confirmation
        said = " ".join(screen_text(app).split())
        assert SAYS in said and "fetch the preview again" in said
        assert "R$ 6,46" not in said  # the server's wrong total is never shown
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen

    assert invoice_count(sandbox_app, "demo@mkcontroller.test") == before
    assert (await client.account()).device_quota == 10


async def test_a_subscription_whose_preview_does_not_add_up_never_reaches_the_payment_page(
    make_app, api, sandbox_app, tampered
):
    client = await api("new")
    await add_card(client)
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_subscribe(pilot, devices="5")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, ErrorModal), screen_text(app)  # not the payment page
        assert SAYS in " ".join(screen_text(app).split())
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and isinstance(screen, SubscribeScreen)

    assert (await client.account()).status == "inactive"
    assert (await client.invoices(limit=5)).data == []
