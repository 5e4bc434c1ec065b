"""Adding a card from the Payment methods area: what is stored, typos, refusals, lost answers."""

from __future__ import annotations

from textual.widgets import Checkbox, Input

from mktui.tui.screens.payment_methods import AddCardModal, PaymentMethodsScreen
from mktui.tui.widgets.field import LabelledField

from .conftest import screen_text, settle
from .records_helpers import NEW_NUMBER, fill_card, open_area, stored_text, wait_for
from .test_subscribe import type_into


async def test_add_a_card_lists_brand_and_last4_and_the_sandbox_keeps_no_number(
    make_app, sandbox_app, api
):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot, "m", PaymentMethodsScreen)
        await pilot.press("a")
        await settle(pilot)
        modal = await wait_for(pilot, AddCardModal)
        await fill_card(pilot, NEW_NUMBER, cvc="987")
        modal.query_one("#add-card-default", Checkbox).focus()
        await pilot.press("space")  # make it the default
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen, screen_text(app)
        assert "Mastercard •••• 5100" in screen_text(app)
        assert screen.selected is not None and screen.selected.last4 == "5100"
    methods = await (await api("demo")).payment_methods()
    added = next(m for m in methods if m.last4 == "5100")
    assert added.is_default and added.brand == "mastercard" and added.holder_name == "Ana Souza"
    kept = stored_text(sandbox_app)
    assert NEW_NUMBER not in kept and NEW_NUMBER[:12] not in kept
    with sandbox_app.state.store.read() as conn:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(payment_methods)")}
    assert not columns & {"number", "cvc", "pan"}


async def test_a_luhn_typo_marks_the_number_keeps_the_form_and_stores_nothing(make_app, api):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_area(pilot, "m", PaymentMethodsScreen)
        await pilot.press("a")
        modal = await wait_for(pilot, AddCardModal)
        await fill_card(pilot, "4242424242424241")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is modal  # still open, nothing sent
        field = modal.query_one("#card-number-field", LabelledField)
        assert field.error and "typo" in field.error
        assert modal.query_one("#card-holder", Input).value == "Ana Souza"
        assert modal.query_one("#card-expiry", Input).value == "08/30"
        assert modal.query_one("#card-number", Input).value.replace(" ", "") == "4242424242424241"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PaymentMethodsScreen)
    assert [m.last4 for m in await (await api("demo")).payment_methods()] == ["4242", "4444"]


async def test_an_expired_card_marks_the_expiry(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_area(pilot, "m", PaymentMethodsScreen)
        await pilot.press("a")
        modal = await wait_for(pilot, AddCardModal)
        await fill_card(pilot, NEW_NUMBER, expiry="10/26")  # the clock is 26 Nov 2026
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is modal
        assert "expired" in (modal.query_one("#card-expiry-field", LabelledField).error or "")


def test_snapshot_add_card_form(snap_compare, make_app):
    async def ready(pilot):
        # Waits for each screen rather than a fixed settle: on a loaded machine "a"
        # could arrive before Payment methods was up (seen once in CI).
        await open_area(pilot, "m", PaymentMethodsScreen)
        await pilot.press("a")
        await wait_for(pilot, AddCardModal)
        await settle(pilot)
        await fill_card(pilot, "4242424242424241")
        await settle(pilot)

    assert snap_compare(make_app("demo"), terminal_size=(80, 24), run_before=ready)


async def test_a_server_refusal_marks_the_field_and_the_number_and_cvc_are_cleared(
    make_app, monkeypatch
):
    from mktui.api.client import BillingClient
    from mktui.api.errors import ApiError, ErrorKind

    sent = []

    async def refuse(self, card, *, idempotency_key=None):
        sent.append((card.number.get_secret_value(), card.holder_name))
        raise ApiError(
            ErrorKind.VALIDATION,
            "The card number is not valid.",
            code="invalid_number",
            field="number",
            status=422,
        )

    monkeypatch.setattr(BillingClient, "add_payment_method", refuse)
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_area(pilot, "m", PaymentMethodsScreen)
        await pilot.press("a")
        modal = await wait_for(pilot, AddCardModal)
        await fill_card(pilot, NEW_NUMBER)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert sent == [(NEW_NUMBER, "Ana Souza")]
        assert app.screen is modal
        assert modal.query_one("#card-number-field", LabelledField).error == (
            "The card number is not valid."
        )
        assert modal.query_one("#card-number", Input).value == ""
        assert modal.query_one("#card-cvc", Input).value == ""
        assert modal.query_one("#card-holder", Input).value == "Ana Souza"
        assert modal.query_one("#card-expiry", Input).value == "08/30"


async def test_save_again_after_a_lost_answer_sends_the_same_key_and_saves_one_card(
    make_app, monkeypatch, api
):
    from mktui.api.client import BillingClient
    from mktui.api.errors import ApiError, ErrorKind

    real = BillingClient.add_payment_method
    keys: list[str | None] = []

    async def lose_first_answer(self, card, *, idempotency_key=None):
        keys.append(idempotency_key)
        method = await real(self, card, idempotency_key=idempotency_key)
        if len(keys) == 1:  # saved, but the answer never arrived
            raise ApiError(ErrorKind.UNAVAILABLE, "The billing service did not answer.")
        return method

    monkeypatch.setattr(BillingClient, "add_payment_method", lose_first_answer)
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot, "m", PaymentMethodsScreen)
        await pilot.press("a")
        modal = await wait_for(pilot, AddCardModal)
        await fill_card(pilot, NEW_NUMBER)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is modal
        assert "again" in (modal.query_one("#card-number-field", LabelledField).error or "")
        assert modal.query_one("#card-number", Input).value == ""
        await type_into(pilot, "#card-number", NEW_NUMBER)
        await type_into(pilot, "#card-cvc", "123")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen, screen_text(app)
    assert len(keys) == 2 and keys[0] and keys[0] == keys[1]
    last4s = [m.last4 for m in await (await api("demo")).payment_methods()]
    assert last4s == ["4242", "4444", "5100"]


async def test_the_expiry_reads_mm_yy_once_left(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_area(pilot, "m", PaymentMethodsScreen)
        await pilot.press("a")
        modal = await wait_for(pilot, AddCardModal)
        await type_into(pilot, "#card-expiry", "1230")
        await pilot.press("tab")
        await pilot.pause()
        assert modal.query_one("#card-expiry", Input).value == "12/30"
        await type_into(pilot, "#card-expiry", "13/30")  # wrong: left as typed, and marked
        await pilot.press("tab")
        await pilot.pause()
        assert modal.query_one("#card-expiry", Input).value == "13/30"
        assert modal.query_one("#card-expiry-field", LabelledField).error
