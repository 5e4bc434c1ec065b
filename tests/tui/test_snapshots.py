"""SVG snapshots of each screen at 80×24 and 120×40, on the sandbox at a frozen date.

Regenerate after a deliberate change with ``pytest tests/tui/test_snapshots.py
--snapshot-update`` and look at the report before committing.
"""

from __future__ import annotations

import pytest

from .conftest import settle
from .test_invoice_actions import open_invoices, select
from .test_subscribe import add_card, type_into


async def steady(pilot) -> None:
    """Stop the text cursors blinking so a capture never lands between blinks."""
    from textual.widgets import Input

    await settle(pilot)
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
def test_sign_in(snap_compare, make_app, size):
    async def ready(pilot):
        await steady(pilot)

    assert snap_compare(make_app(None), terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    "account", ["annual", "new", "demo"], ids=["active", "inactive", "past_due"]
)
def test_financial(snap_compare, make_app, size, account):
    async def ready(pilot):
        await steady(pilot)

    assert snap_compare(make_app(account), terminal_size=size, run_before=ready)


async def subscribe_filled(pilot) -> None:
    """Subscribe opened from Financial with 10 devices and a valid CPF: the preview shows."""
    await settle(pilot)
    await pilot.press("s")
    await settle(pilot)
    await type_into(pilot, "#sub-devices", "10")
    await type_into(pilot, "#sub-tax-id", "529.982.247-25")
    await steady(pilot)


def payment_page_with_a_new_card(client_factory):
    """``run_before``: a saved card, Subscribe filled, Next, then "A new card" (its form open)."""

    async def fill(pilot):
        client = client_factory()
        await client.sign_in("new@mkcontroller.test", "sandbox")
        await add_card(client)
        await client.aclose()
        await subscribe_filled(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("down")  # "A new card": the card form opens
        await steady(pilot)

    return fill


@pytest.mark.parametrize("size", SIZES)
def test_subscribe_with_preview(snap_compare, make_app, size):
    assert snap_compare(make_app("new"), terminal_size=size, run_before=subscribe_filled)


@pytest.mark.parametrize("size", SIZES)
def test_payment_page(snap_compare, make_app, client_factory, size):
    fill = payment_page_with_a_new_card(client_factory)
    assert snap_compare(make_app("new"), terminal_size=size, run_before=fill)


@pytest.mark.parametrize("size", SIZES)
def test_subscription_area_with_a_change(snap_compare, make_app, size):
    async def fill(pilot):
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("1", "3")
        await steady(pilot)

    assert snap_compare(make_app("demo"), terminal_size=size, run_before=fill)


async def overdue_invoice_opened(pilot) -> None:
    """Invoices (i), the cursor on the overdue invoice, then Enter: the invoice opened."""
    await select(pilot, await open_invoices(pilot), "past_due")
    await pilot.press("enter")
    await steady(pilot)


def test_invoice_detail(snap_compare, make_app):
    assert snap_compare(make_app("demo"), terminal_size=(80, 24), run_before=overdue_invoice_opened)


def test_payment_declined(snap_compare, make_app):
    from mktui.tui.screens.dialogs import ConfirmModal

    async def decline(pilot):
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await type_into(pilot, "#sub-devices", "3")
        await type_into(pilot, "#sub-tax-id", "529.982.247-25")
        await pilot.press("ctrl+n")
        await settle(pilot)
        await type_into(pilot, "#card-holder", "Ana Souza")
        await type_into(pilot, "#card-number", "4000000000000002")
        await type_into(pilot, "#card-expiry", "08/29")
        await type_into(pilot, "#card-cvc", "123")
        await pilot.press("ctrl+y")
        for _ in range(20):
            if isinstance(pilot.app.screen, ConfirmModal):
                break
            await pilot.pause()
        await pilot.press("y")
        await steady(pilot)

    assert snap_compare(make_app("new"), terminal_size=(80, 24), run_before=decline)


@pytest.mark.parametrize("size", SIZES)
def test_pay_by_pix(snap_compare, make_app, monkeypatch, size):
    """The demo's overdue invoice by Pix: the QR code, the amount, the countdown, the code."""
    from mktui.sandbox import pix
    from mktui.tui.screens import pix_pay

    monkeypatch.setattr(pix, "new_txid", lambda: "MKSNAPSHOT0123456789")
    monkeypatch.setattr(pix_pay, "monotonic", lambda: 1000.0)  # the countdown stands still

    async def fill(pilot):
        await select(pilot, await open_invoices(pilot), "past_due")
        await pilot.press("x")
        await settle(pilot)
        pilot.app.screen.query_one("#pix-code").cursor_blink = False
        await pilot.pause()

    assert snap_compare(make_app("demo"), terminal_size=size, run_before=fill)


@pytest.mark.parametrize("checked", [False, True], ids=["unchecked", "checked"])
def test_sign_in_no_color_checkbox(snap_compare, make_app, monkeypatch, checked):
    """Without colour the Sandbox box still reads [x] or [ ]."""
    monkeypatch.setenv("NO_COLOR", "1")

    async def ready(pilot):
        if checked:
            from textual.widgets import Checkbox

            pilot.app.screen.query_one("#signin-sandbox", Checkbox).value = True
        await steady(pilot)

    assert snap_compare(make_app(None), terminal_size=(80, 24), run_before=ready)


def test_subscribe_no_color_radios(snap_compare, make_app, monkeypatch):
    """Without colour the chosen currency and plan read (•), the others ( )."""
    monkeypatch.setenv("NO_COLOR", "1")

    async def ready(pilot):
        await settle(pilot)
        await pilot.press("s")
        await steady(pilot)

    assert snap_compare(make_app("new"), terminal_size=(80, 24), run_before=ready)


async def await_modal(pilot, key: str) -> None:
    """Press ``key`` and wait for the modal a worker awaits (settle would wait on that worker)."""
    from textual.screen import ModalScreen

    await pilot.press(key)
    for _ in range(60):
        await pilot.pause()
        if isinstance(pilot.app.screen, ModalScreen):
            break
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_cancel_subscription_confirmation(snap_compare, make_app, size):
    async def fill(pilot):
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        await await_modal(pilot, "x")

    assert snap_compare(make_app("annual"), terminal_size=size, run_before=fill)


@pytest.mark.parametrize("size", SIZES)
def test_financial_while_a_cancellation_is_scheduled(snap_compare, make_app, client_factory, size):
    async def fill(pilot):
        from mktui.api.client import new_idempotency_key

        client = client_factory()
        await client.sign_in("annual@mkcontroller.test", "sandbox")
        await client.cancel_subscription(idempotency_key=new_idempotency_key())
        await client.aclose()
        await settle(pilot)
        await pilot.press("r")
        await steady(pilot)

    assert snap_compare(make_app("annual"), terminal_size=size, run_before=fill)


def test_payment_declined_no_color_with_pay_visible(
    snap_compare, make_app, client_factory, monkeypatch
):
    """A saved card, then a new card declined, at 80×24 without colour: the message and Pay show."""
    from mktui.tui.screens.dialogs import ConfirmModal

    monkeypatch.setenv("NO_COLOR", "1")

    async def decline(pilot):
        client = client_factory()
        await client.sign_in("new@mkcontroller.test", "sandbox")
        await add_card(client)
        await client.aclose()
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await type_into(pilot, "#sub-devices", "3")
        await type_into(pilot, "#sub-tax-id", "529.982.247-25")
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("down")  # "A new card"
        await type_into(pilot, "#card-holder", "Ana Souza")
        await type_into(pilot, "#card-number", "4000000000000002")
        await type_into(pilot, "#card-expiry", "08/29")
        await type_into(pilot, "#card-cvc", "123")
        await pilot.press("ctrl+y")
        for _ in range(20):
            if isinstance(pilot.app.screen, ConfirmModal):
                break
            await pilot.pause()
        await pilot.press("y")
        await steady(pilot)

    assert snap_compare(make_app("new"), terminal_size=(80, 24), run_before=decline)


@pytest.mark.parametrize("size", SIZES)
def test_plan_switch_price(snap_compare, make_app, size):
    async def fill(pilot):
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("p")
        await steady(pilot)

    assert snap_compare(make_app("demo"), terminal_size=size, run_before=fill)


@pytest.mark.parametrize("size", SIZES)
def test_plan_switch_confirmation(snap_compare, make_app, size):
    async def fill(pilot):
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        await await_modal(pilot, "enter")

    assert snap_compare(make_app("demo"), terminal_size=size, run_before=fill)


@pytest.mark.parametrize("size", SIZES)
def test_billing_details_with_a_bad_cpf(snap_compare, make_app, size):
    async def fill(pilot):
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        await type_into(pilot, "#billing-tax_id", "123.456.789-00")
        await steady(pilot)

    assert snap_compare(make_app("demo"), terminal_size=size, run_before=fill)


@pytest.mark.parametrize("size", SIZES)
def test_update_expiry_form(snap_compare, make_app, size):
    async def fill(pilot):
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await type_into(pilot, "#expiry-new", "10/26")
        await steady(pilot)

    assert snap_compare(make_app("demo"), terminal_size=size, run_before=fill)


@pytest.mark.parametrize("size", SIZES)
def test_edit_contact_form(snap_compare, make_app, size):
    async def fill(pilot):
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await type_into(pilot, "#contact-email", "contas@demo-networks.test")
        await pilot.press("enter")
        await steady(pilot)

    assert snap_compare(make_app("demo"), terminal_size=size, run_before=fill)


@pytest.mark.parametrize("size", SIZES)
def test_resume_confirmation(snap_compare, make_app, client_factory, size):
    async def fill(pilot):
        from mktui.api.client import new_idempotency_key

        client = client_factory()
        await client.sign_in("annual@mkcontroller.test", "sandbox")
        await client.cancel_subscription(idempotency_key=new_idempotency_key())
        await client.aclose()
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        await await_modal(pilot, "r")

    assert snap_compare(make_app("annual"), terminal_size=size, run_before=fill)
