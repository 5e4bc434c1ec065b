"""After any refusal the cursor is in the field it names; the payment page starts where typing goes.

One test per form screen: a local check and, where the server checks too, a 422
naming a field, each leaving focus on that field with its message under it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from textual.widgets import Input, OptionList

from mktui.tui.screens.contacts import AddContactModal, ContactsScreen
from mktui.tui.screens.payment import PaymentScreen
from mktui.tui.screens.payment_methods import AddCardModal, PaymentMethodsScreen
from mktui.tui.screens.storage_choice import StorageChoiceModal
from mktui.tui.screens.subscription import SubscriptionScreen
from mktui.tui.widgets.field import LabelledField

from .conftest import screen_text, settle
from .records_helpers import NEW_NUMBER, fill_card, open_area, wait_for
from .test_credentials import URL, console
from .test_subscribe import (
    VALID_CPF,
    add_card,
    go_to_payment,
    open_subscribe,
    pay_and_confirm,
    type_card,
    type_into,
)


def _field_of(widget) -> LabelledField:
    parent = widget.parent
    assert isinstance(parent, LabelledField)
    return parent


async def test_payment_page_with_no_card_opens_on_the_cardholder_name(make_app):
    app = make_app("new")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_subscribe(pilot, devices="3")
        payment = await go_to_payment(pilot)
        assert app.focused is payment.query_one("#card-holder", Input)
        assert not payment.query_one("#pay-hint").display  # one choice: no list hint
        await pilot.press(*"Ana")
        assert payment.query_one("#card-holder", Input).value == "Ana"


async def test_payment_page_with_saved_cards_opens_on_the_list_with_a_hint(make_app, api):
    client = await api("new")
    await add_card(client)
    app = make_app("new")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_subscribe(pilot, devices="3")
        payment = await go_to_payment(pilot)
        assert app.focused is payment.query_one("#pay-methods", OptionList)
        assert payment.query_one("#pay-hint").display
        text = screen_text(app)
        assert "choose how to pay" in text and "A new card" in text


async def test_payment_server_refusal_focuses_the_card_field_it_names(make_app, api):
    client = await api("new")
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_subscribe(pilot, devices="3")
        payment = await go_to_payment(pilot)
        # Valid here (November), expired by the time the server checks it (December): a 422
        # naming exp_month, which the form shows under Expiry.
        await type_card(pilot, "4242424242424242", expiry="11/26")
        await client.set_clock(datetime(2026, 12, 2, 12, 0, tzinfo=UTC))
        payment.query_one("#card-holder").focus()
        await pay_and_confirm(pilot, payment)
        await settle(pilot)
        assert isinstance(app.screen, PaymentScreen), screen_text(app)
        expiry = payment.query_one("#card-expiry", Input)
        assert "expired" in (_field_of(expiry).error or "")
        assert app.focused is expiry
        assert expiry.value == "11/26"  # what was typed stays


class Refuse(httpx.AsyncBaseTransport):
    """Answers one method and path with a 422 naming ``field``; everything else goes through."""

    def __init__(self, inner, method: str, path: str, field: str, message: str) -> None:
        self.inner, self.method, self.path = inner, method, path
        self.body = {"error": {"code": "validation_error", "message": message, "field": field}}
        self.refused = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == self.method and request.url.path == self.path:
            self.refused += 1
            return httpx.Response(422, json=self.body, request=request)
        return await self.inner.handle_async_request(request)


def refuse(gate, method: str, path: str, field: str, message: str) -> Refuse:
    """Make the sandbox refuse ``method path`` with a 422 naming ``field`` (for this test)."""
    gate.inner = Refuse(gate.inner, method, path, field, message)
    return gate.inner


async def test_subscribe_refusals_focus_devices_and_the_tax_id(make_app, gate):
    app = make_app("new")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_subscribe(pilot, devices="", tax_id="123")
        screen.query_one("#sub-next").focus()
        await pilot.press("ctrl+n")  # local: no devices (the first bad field)
        assert app.focused is screen.query_one("#sub-devices", Input)
        await type_into(pilot, "#sub-devices", "4")
        await pilot.press("ctrl+n")  # local: the CPF is incomplete
        assert app.focused is screen.query_one("#sub-tax-id", Input)
        await type_into(pilot, "#sub-tax-id", VALID_CPF)
        refused = refuse(
            gate, "POST", "/v1/subscription/preview", "tax_id", "This CPF is not registered."
        )
        screen.query_one("#sub-devices").focus()
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert refused.refused == 1
        tax = screen.query_one("#sub-tax-id", Input)
        assert (_field_of(tax).error or "").startswith("This CPF is not registered.")
        assert app.focused is tax and tax.value == VALID_CPF


async def test_add_card_refusals_focus_the_field(make_app, gate):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_area(pilot, "m", PaymentMethodsScreen)
        await pilot.press("a")
        modal = await wait_for(pilot, AddCardModal)
        await fill_card(pilot, NEW_NUMBER, expiry="13/30")
        modal.query_one("#card-holder").focus()
        await pilot.press("ctrl+s")  # local: month 13
        await settle(pilot)
        assert app.focused is modal.query_one("#card-expiry", Input)
        await type_into(pilot, "#card-expiry", "08/30")
        refuse(gate, "POST", "/v1/payment-methods", "cvc", "The security code is wrong.")
        modal.query_one("#card-holder").focus()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is modal
        cvc = modal.query_one("#card-cvc", Input)
        assert (_field_of(cvc).error or "").startswith("The security code is wrong.")
        assert app.focused is cvc


async def test_add_contact_refusals_focus_the_field(make_app, gate):
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_area(pilot, "c", ContactsScreen)
        await pilot.press("a")
        modal = await wait_for(pilot, AddContactModal)
        await type_into(pilot, "#contact-email", "nobody@example.com")
        await pilot.press("ctrl+s")  # local: no name
        await settle(pilot)
        assert app.focused is modal.query_one("#contact-name", Input)
        await type_into(pilot, "#contact-name", "Carla Dias")
        refuse(gate, "POST", "/v1/financial-contacts", "name", "That name is too long here.")
        modal.query_one("#contact-email").focus()
        await pilot.press("ctrl+s")
        await settle(pilot)
        name = modal.query_one("#contact-name", Input)
        assert (_field_of(name).error or "").startswith("That name is too long here.")
        assert app.focused is name and name.value == "Carla Dias"


async def test_sign_in_server_refusal_focuses_the_field(make_app, gate):
    app = make_app(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.click("#signin-sandbox")
        await type_into(pilot, "#signin-email", "demo@mkcontroller.test")
        await type_into(pilot, "#signin-password", "sandbox")
        refuse(gate, "POST", "/v1/auth/token", "email", "That email is not an account here.")
        await pilot.press("enter")
        await settle(pilot)
        email = app.screen.query_one("#signin-email", Input)
        assert (_field_of(email).error or "").startswith("That email is not an account here.")
        assert app.focused is email


async def test_devices_change_server_refusal_focuses_the_number(make_app, gate):
    app = make_app("annual")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot, "u", SubscriptionScreen)
        await pilot.press("d")
        await settle(pilot)
        await type_into(pilot, "#subscription-new-devices", "7")
        refuse(gate, "POST", "/v1/subscription/preview", "devices", "Too many devices for now.")
        screen.query_one("#sidebar").focus()
        screen.action_review()
        await settle(pilot)
        devices = screen.query_one("#subscription-new-devices", Input)
        assert (_field_of(devices).error or "").startswith("Too many devices for now.")
        assert app.focused is devices


async def test_storage_choice_without_a_passphrase_focuses_it(gate):
    app = console(gate)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_into(pilot, "#signin-url", URL)
        await type_into(pilot, "#signin-email", "annual@mkcontroller.test")
        await type_into(pilot, "#signin-password", "sandbox")
        await pilot.press("enter")
        modal = await wait_for(pilot, StorageChoiceModal)
        await pilot.press("enter")  # the encrypted file (first): the passphrase field
        modal.query_one("#storage-keep").focus()
        await pilot.press("enter")  # Keep with no passphrase
        await pilot.pause()
        passphrase = modal.query_one("#storage-passphrase", Input)
        assert "passphrase" in (_field_of(passphrase).error or "")
        assert app.focused is passphrase
        await pilot.press("escape")


async def test_a_decline_at_80x24_keeps_pay_and_a_new_card_in_view(make_app, api):
    client = await api("new")
    await add_card(client)
    app = make_app("new")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_subscribe(pilot, devices="3")
        payment = await go_to_payment(pilot)
        assert "A new card" in screen_text(app)  # without scrolling
        await pilot.press("down")
        await type_card(pilot, "4000000000000002")
        await pay_and_confirm(pilot, payment)
        await settle(pilot)
        text = screen_text(app)
        words = " ".join(text.replace("▏", " ").split())
        assert "declined" in words and "Nothing was charged" in words
        assert "Pay R$ 6,45" in text  # the button, still on screen under the message
        assert payment.query_one("#pay-submit").region.bottom <= 23
        assert app.focused is payment.query_one("#card-number", Input)


async def test_an_area_key_on_the_payment_page_says_why_it_stays(make_app, api):
    client = await api("new")
    await add_card(client)
    app = make_app("new")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_subscribe(pilot, devices="3")
        payment = await go_to_payment(pilot)
        assert app.focused is payment.query_one("#pay-methods", OptionList)
        await pilot.press("i")
        await pilot.pause()
        assert app.screen is payment
        said = " ".join(str(n.message) for n in app._notifications)
        assert "payment step of Subscribe" in said and "Invoices (i)" in said
