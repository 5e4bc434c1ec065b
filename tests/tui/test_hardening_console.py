"""The console's side of issue 11: the quote is sent and honoured, card numbers never shown or
sent from name fields, sign-out ends the session on the server."""

from __future__ import annotations

from datetime import datetime

import pytest
from textual.widgets import Input

from mktui.api.auth import TokenHolder
from mktui.api.errors import SessionExpired
from mktui.tui.screens.contacts import AddContactModal, ContactsScreen
from mktui.tui.screens.invoice_detail import InvoiceDetailModal
from mktui.tui.screens.payment_methods import AddCardModal, PaymentMethodsScreen
from mktui.tui.widgets.field import LabelledField

from .conftest import screen_text, settle
from .records_helpers import NEW_NUMBER, fill_card, open_area, wait_for
from .test_invoice_actions import open_invoices, select
from .test_subscribe import go_to_payment, open_subscribe, pay_and_confirm
from .test_subscription_area import open_area as open_subscription
from .test_subscription_area import review, type_total

CARD_IN_TEXT = "4000 0566 5566 5556"


async def test_an_annual_change_previewed_before_midnight_and_confirmed_after_is_refused(
    make_app, api
):
    """The defect: the card total (0) stayed the same, the credit drawn did not."""
    client = await api("annual")
    await client.set_clock(datetime.fromisoformat("2026-11-26T23:59:59-03:00"))
    before = await client.account()
    app = make_app("annual")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_subscription(pilot)
        await type_total(pilot, str(before.device_quota + 2))
        await review(pilot)  # the server's preview is on screen, the confirmation asks
        await client.set_clock(datetime.fromisoformat("2026-11-27T00:00:01-03:00"))
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen
        status = screen.status_text
        assert "The price changed" in status and "Nothing was charged" in status
    after = await client.account()
    assert (after.device_quota, after.credit_balance) == (
        before.device_quota,
        before.credit_balance,
    )


async def test_subscribe_sends_the_previews_quote(make_app, api, monkeypatch):
    from mktui.api.client import BillingClient

    sent = []
    real = BillingClient.subscribe

    async def spy(self, request, *, idempotency_key):
        sent.append(request)
        return await real(self, request, idempotency_key=idempotency_key)

    monkeypatch.setattr(BillingClient, "subscribe", spy)
    client = await api("new")
    from .test_subscribe import add_card

    await add_card(client)
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_subscribe(pilot, devices="5")
        payment = await go_to_payment(pilot)
        quote = payment.server.quote
        await pay_and_confirm(pilot, payment)
    assert quote and quote.startswith("q1_")
    assert [r.expected_quote for r in sent] == [quote]
    assert (await client.account()).status == "active"


async def test_invoice_detail_masks_a_card_number_in_the_last_failure(make_app, sandbox_app):
    with sandbox_app.state.store.write() as conn:
        conn.execute(
            "UPDATE invoices SET failure_message = ? WHERE status = 'past_due'",
            ("Card 4242424242424242 was refused by the issuer.",),
        )
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_invoices(pilot)
        await select(pilot, screen, "past_due")
        await pilot.press("enter")
        await wait_for(pilot, InvoiceDetailModal)
        text = screen_text(app)
        assert "Last failure" in text
        assert "•••• 4242 was refused" in text
        assert "4242424242424242" not in text.replace(" ", "")


async def test_a_card_number_as_holder_name_is_marked_and_never_sent(make_app, api):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_area(pilot, "m", PaymentMethodsScreen)
        await pilot.press("a")
        modal = await wait_for(pilot, AddCardModal)
        await fill_card(pilot, NEW_NUMBER, holder=CARD_IN_TEXT)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is modal
        error = modal.query_one("#card-holder-field", LabelledField).error
        assert error and "card number" in error
        assert modal.query_one("#card-holder", Input).value == CARD_IN_TEXT  # kept, to fix
    assert [m.last4 for m in await (await api("demo")).payment_methods()] == ["4242", "4444"]


async def test_a_card_number_as_contact_name_is_marked_as_typed_and_never_sent(make_app, api):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_area(pilot, "c", ContactsScreen)
        await pilot.press("a")
        modal = await wait_for(pilot, AddContactModal)
        from .test_subscribe import type_into

        await type_into(pilot, "#contact-name", CARD_IN_TEXT)
        await settle(pilot)
        error = modal.query_one("#contact-name-field", LabelledField).error
        assert error and "card number" in error  # as typed, before any Save
        await type_into(pilot, "#contact-email", "x@example.com")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is modal
    assert len(await (await api("demo")).contacts()) == 2


async def test_sign_out_ends_the_session_on_the_server(make_app, client_factory):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        refresh = app.session.client.tokens.refresh_token
        assert refresh is not None
        await app.sign_out()
        await settle(pilot)
    other = client_factory(tokens=TokenHolder(refresh_token=refresh))
    async with other:
        with pytest.raises(SessionExpired):
            await other.refresh()
