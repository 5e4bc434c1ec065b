"""Paying is safe: one payment per intent, whatever the network or the price does."""

from __future__ import annotations

from mktui.tui.screens.dialogs import ConfirmModal
from mktui.tui.screens.financial import FinancialScreen

from .conftest import screen_text, settle
from .test_subscribe import add_card, go_to_payment, open_subscribe, pay_and_confirm, type_card


async def test_double_pressing_pay_creates_one_payment(make_app, api, gate):
    client = await api("new")
    await add_card(client)
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_subscribe(pilot, devices="2")
        payment = await go_to_payment(pilot)
        gate.open.clear()  # hold the charge in flight
        payment.action_pay()
        await pilot.pause()
        await pilot.press("y")
        for _ in range(50):
            if gate.subscribe_keys:
                break
            await pilot.pause()
        assert len(gate.subscribe_keys) == 1
        button = payment.query_one("#pay-submit")
        assert button.disabled and payment.busy
        # Pay again, every way a person can, while the first charge is in flight.
        await pilot.press("ctrl+y")
        await pilot.click("#pay-submit")
        payment.action_pay()
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmModal)
        gate.open.set()
        await settle(pilot)
        assert isinstance(app.screen, FinancialScreen), screen_text(app)

    assert len(gate.subscribe_keys) == 1
    invoices = (await client.invoices()).data
    assert len(invoices) == 1 and invoices[0].status == "paid"
    payments = [row for row in (await client.ledger()).data if row.kind == "payment"]
    assert len(payments) == 1


async def test_a_lost_answer_then_pay_again_reuses_the_key_and_charges_once(make_app, api, gate):
    client = await api("new")
    await add_card(client)
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_subscribe(pilot, devices="2")
        payment = await go_to_payment(pilot)
        gate.lose_answers = True
        await pay_and_confirm(pilot, payment)
        assert app.screen is payment  # the outcome is unknown: nothing is assumed
        # A retryable failure is a toast, not a modal.
        assert any(n.severity == "error" for n in app._notifications)
        assert not payment.query_one("#pay-submit").disabled
        first_keys = set(gate.subscribe_keys)
        assert len(first_keys) == 1  # the client's own retries carried the same key
        gate.lose_answers = False
        await pay_and_confirm(pilot, payment)  # the same intent: same card, same amount
        assert isinstance(app.screen, FinancialScreen), screen_text(app)

    assert set(gate.subscribe_keys) == first_keys
    assert len((await client.invoices()).data) == 1
    payments = [row for row in (await client.ledger()).data if row.kind == "payment"]
    assert len(payments) == 1


async def test_a_price_change_before_pay_shows_the_new_preview(make_app, api):
    from datetime import timedelta

    from .conftest import FROZEN_NOW

    client = await api("new")
    await add_card(client)
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_subscribe(pilot, devices="10")
        payment = await go_to_payment(pilot)
        assert payment.server.total.minor == 2150  # 10 × 12,90 × 5/30
        await client.set_clock(FROZEN_NOW + timedelta(days=1))  # a day passes before Pay
        await pay_and_confirm(pilot, payment)
        assert app.screen is payment
        assert payment.server.total.minor == 1720  # 10 × 12,90 × 4/30, shown again
        text = screen_text(app)
        assert "price changed" in text and "R$ 17,20" in text
        assert "Differs from the price computed here" in text
        assert (await client.account()).status == "inactive"  # nothing was charged
        await pay_and_confirm(pilot, payment)
        assert isinstance(app.screen, FinancialScreen), screen_text(app)

    paid = (await client.invoices(status="paid")).data
    assert len(paid) == 1 and paid[0].total == 1720


async def test_a_price_change_keeps_the_new_card_it_saved_for_the_next_pay(make_app, api):
    from datetime import timedelta

    from .conftest import FROZEN_NOW

    client = await api("new")
    old = await add_card(client, number="5555555555554444")  # the default so far
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_subscribe(pilot, devices="10")
        payment = await go_to_payment(pilot)
        await pilot.press("end")  # "A new card"
        await settle(pilot)
        await type_card(pilot, "4242 4242 4242 4242")
        await client.set_clock(FROZEN_NOW + timedelta(days=1))
        await pay_and_confirm(pilot, payment)
        await settle(pilot)
        assert "price changed" in screen_text(app)
        saved = {m.last4: m for m in await client.payment_methods()}
        assert saved["4444"].is_default and not saved["4242"].is_default  # not yet
        assert payment.chosen == saved["4242"].id  # Pay again uses it: nothing to retype
        await pay_and_confirm(pilot, payment)
        assert isinstance(app.screen, FinancialScreen), screen_text(app)

    saved = {m.last4: m.is_default for m in await client.payment_methods()}
    assert saved == {"4444": False, "4242": True}  # saved once; the card that paid is the default
    assert old.last4 == "4444"


async def test_back_removes_a_new_card_that_paid_nothing(make_app, api):
    from datetime import timedelta

    from .conftest import FROZEN_NOW

    client = await api("new")
    await add_card(client, number="5555555555554444")
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        subscribe = await open_subscribe(pilot, devices="10")
        payment = await go_to_payment(pilot)
        await pilot.press("end")
        await settle(pilot)
        await type_card(pilot, "4242 4242 4242 4242")
        await client.set_clock(FROZEN_NOW + timedelta(days=1))
        await pay_and_confirm(pilot, payment)
        await settle(pilot)
        assert len(await client.payment_methods()) == 2  # kept for the next Pay
        payment.action_back()
        await settle(pilot)
        assert app.screen is subscribe

    assert [m.last4 for m in await client.payment_methods()] == ["4444"]


async def test_a_refusal_of_another_field_is_shown_and_keeps_the_page(make_app, api, monkeypatch):
    from mktui.api.client import BillingClient
    from mktui.api.errors import ApiError, ErrorKind
    from mktui.tui.screens.dialogs import ErrorModal

    client = await api("new")
    await add_card(client)

    async def refuse(self, request, *, idempotency_key):
        raise ApiError(
            ErrorKind.VALIDATION, "The CNPJ is not registered [x].", code="invalid", field="tax_id"
        )

    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_subscribe(pilot, devices="2")
        payment = await go_to_payment(pilot)
        monkeypatch.setattr(BillingClient, "subscribe", refuse)
        await pay_and_confirm(pilot, payment)
        await settle(pilot)
        assert isinstance(app.screen, ErrorModal)
        assert "The CNPJ is not registered [x]." in screen_text(app)  # literal, not markup
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is payment and not payment.busy
    assert (await client.account()).status == "inactive"


async def test_an_idempotency_conflict_ends_the_intent_so_pay_again_can_succeed(
    make_app, api, monkeypatch
):
    from mktui.api.client import BillingClient
    from mktui.api.errors import ApiError, ErrorKind

    client = await api("new")
    await add_card(client)
    real = BillingClient.subscribe
    keys: list[str] = []

    async def conflict_once(self, request, *, idempotency_key):
        keys.append(idempotency_key)
        if len(keys) == 1:
            raise ApiError(
                ErrorKind.CONFLICT,
                "That Idempotency-Key was used with another request.",
                code="idempotency_conflict",
            )
        return await real(self, request, idempotency_key=idempotency_key)

    monkeypatch.setattr(BillingClient, "subscribe", conflict_once)
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_subscribe(pilot, devices="2")
        payment = await go_to_payment(pilot)
        await pay_and_confirm(pilot, payment)
        await settle(pilot)
        await pilot.press("escape")  # the error modal
        await settle(pilot)
        assert app.screen is payment
        await pay_and_confirm(pilot, payment)
        assert isinstance(app.screen, FinancialScreen), screen_text(app)
    assert len(keys) == 2 and keys[0] != keys[1]  # a fresh key after the conflict
    assert (await client.account()).status == "active"


async def test_back_keeps_a_new_card_whose_payment_outcome_is_unknown(make_app, api, gate):
    client = await api("new")
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        subscribe = await open_subscribe(pilot, devices="2")
        payment = await go_to_payment(pilot)
        await type_card(pilot, "4242 4242 4242 4242")
        gate.lose_answers = True  # the server subscribes, the answer never arrives
        await pay_and_confirm(pilot, payment)
        assert app.screen is payment
        gate.lose_answers = False
        payment.action_back()
        await settle(pilot)
        assert app.screen is subscribe

    assert (await client.account()).status == "active"  # it did pay…
    (kept,) = await client.payment_methods()  # …so the card that paid is not removed
    assert kept.last4 == "4242"


async def test_a_payment_that_ends_under_the_quit_question_leaves_the_page(make_app, api, gate):
    from mktui.tui.screens.dialogs import ConfirmModal

    client = await api("new")
    await add_card(client)
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_subscribe(pilot, devices="2")
        payment = await go_to_payment(pilot)
        gate.open.clear()  # the subscribe request waits at the server's door
        payment.action_pay()
        for _ in range(20):
            await pilot.pause()
            if isinstance(app.screen, ConfirmModal):
                break
        await pilot.press("y")
        for _ in range(5):
            await pilot.pause()
        assert payment.busy and gate.subscribe_keys  # on its way
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert (
            isinstance(app.screen, ConfirmModal) and app.screen.title_text == "Quit while paying?"
        )
        gate.open.set()
        await settle(pilot)
        assert isinstance(app.screen, FinancialScreen), screen_text(app)
        assert "ACTIVE" in screen_text(app) and app.is_running
    assert (await client.account()).status == "active"
