"""Edits on the record areas: a card's new expiry, a contact's name or email (and a duplicate)."""

from __future__ import annotations

from textual.widgets import Input

from mktui.tui.screens.card_expiry import ExpiryModal
from mktui.tui.screens.contacts import ContactsScreen, EditContactModal
from mktui.tui.screens.payment_methods import PaymentMethodsScreen
from mktui.tui.widgets.field import LabelledField

from .conftest import screen_text, settle
from .records_helpers import cells, open_area, wait_for
from .test_subscribe import type_into


async def test_an_expiry_update_shows_on_the_card_list(make_app, api):
    client = await api("demo")
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot, "m", PaymentMethodsScreen)
        before = cells(screen, 1)
        await pilot.press("e")
        modal = await wait_for(pilot, ExpiryModal)
        assert "Visa •••• 4242" in screen_text(app)
        await type_into(pilot, "#expiry-new", "10/26")  # October 2026 has passed on 26 Nov
        field = modal.query_one("#expiry-new-field", LabelledField)
        assert field.error and "passed" in field.error
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is modal and modal.query_one("#expiry-new", Input).value == "10/26"
        await type_into(pilot, "#expiry-new", "06/32")
        assert field.error is None
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen, screen_text(app)
        assert cells(screen, 1)[0] == "06/2032" and cells(screen, 1)[1:] == before[1:]
        assert screen.selected is not None and screen.selected.last4 == "4242"
    card = next(m for m in await client.payment_methods() if m.last4 == "4242")
    assert (card.exp_month, card.exp_year) == (6, 2032)


async def test_a_contact_edit_saves_name_and_email(make_app, api):
    client = await api("demo")
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot, "c", ContactsScreen)
        await pilot.press("e")
        modal = await wait_for(pilot, EditContactModal)
        assert modal.query_one("#contact-name", Input).value == "Ana Souza"
        await type_into(pilot, "#contact-name", "Ana Lima")
        await type_into(pilot, "#contact-email", "ana.lima@demo-networks.test")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen, screen_text(app)
        assert cells(screen, 0)[0] == "Ana Lima"
    first = (await client.contacts())[0]
    assert (first.name, first.email) == ("Ana Lima", "ana.lima@demo-networks.test")


async def test_a_contact_edit_to_a_duplicate_email_is_refused_on_the_email_field(make_app, api):
    client = await api("demo")
    first, second = await client.contacts()
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_area(pilot, "c", ContactsScreen)
        await pilot.press("e")
        modal = await wait_for(pilot, EditContactModal)
        await type_into(pilot, "#contact-email", second.email)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is modal  # kept open with what was typed
        email = modal.query_one("#contact-email", Input)
        assert email.value == second.email and email.has_focus
        error = modal.query_one("#contact-email-field", LabelledField).error
        assert error == "That email is already another financial contact."  # the server's
    assert (await client.contacts())[0].email == first.email
