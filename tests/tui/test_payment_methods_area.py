"""Payment methods driven by keys: add a card, a typo, set default, remove (and the 409)."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Checkbox, Input

from mktui.api.models import NewPaymentMethod
from mktui.screens.dialogs import ConfirmModal, ErrorModal
from mktui.screens.payment_methods import AddCardModal, PaymentMethodsScreen, expiry_state
from mktui.widgets.field import LabelledField

from .conftest import screen_text, settle
from .records_helpers import cells, open_area, wait_for
from .test_subscribe import type_into

NEW_NUMBER = "5105105105105100"  # a Mastercard test number, valid by Luhn


def stored_text(sandbox_app) -> str:
    """Every value in every table of the sandbox's database, as one string."""
    parts: list[str] = []
    with sandbox_app.state.store.read() as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in conn.execute(f"SELECT * FROM {table}"):  # noqa: S608 - names from the schema
                parts.extend(str(value) for value in row)
    return "\n".join(parts)


async def fill_card(pilot, number: str, *, expiry="08/30", cvc="123", holder="Ana Souza"):
    await type_into(pilot, "#card-holder", holder)
    await type_into(pilot, "#card-number", number)
    await type_into(pilot, "#card-expiry", expiry)
    await type_into(pilot, "#card-cvc", cvc)


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


async def test_set_the_selected_card_as_default(make_app, api):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot, "m", PaymentMethodsScreen)
        assert cells(screen, 3) == ["default", ""]
        await pilot.press("down", "d")
        await settle(pilot)
        assert cells(screen, 3) == ["", "default"]
        assert screen.selected is not None and screen.selected.last4 == "4444"
    methods = await (await api("demo")).payment_methods()
    assert [m.last4 for m in methods if m.is_default] == ["4444"]


async def test_remove_asks_first_naming_the_card_and_cancel_keeps_it(make_app, api):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot, "m", PaymentMethodsScreen)
        await pilot.press("down", "x")
        confirm = await wait_for(pilot, ConfirmModal)
        assert "Mastercard •••• 4444" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and len(cells(screen, 0)) == 2
        assert confirm is not app.screen
        await pilot.press("delete")
        await wait_for(pilot, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen
        assert cells(screen, 0) == ["Visa •••• 4242"]
    assert [m.last4 for m in await (await api("demo")).payment_methods()] == ["4242"]


async def test_removing_the_default_card_with_open_invoices_says_what_to_do(make_app, api):
    app = make_app("demo")  # past due: its renewal invoice is open
    async with app.run_test(size=(100, 32)) as pilot:
        await open_area(pilot, "m", PaymentMethodsScreen)
        await pilot.press("x")
        await wait_for(pilot, ConfirmModal)
        assert "default card" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ErrorModal), screen_text(app)
        text = screen_text(app)
        assert "Visa •••• 4242 was not removed" in text
        assert "press d" in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PaymentMethodsScreen)
    assert [m.last4 for m in await (await api("demo")).payment_methods()] == ["4242", "4444"]


async def test_expired_and_expiring_cards_are_marked(make_app, api):
    client = await api("annual")
    for month, year in ((11, 2026), (12, 2029)):
        await client.add_payment_method(
            NewPaymentMethod(
                holder_name="Annual Telecom",
                number="4242424242424242",
                exp_month=month,
                exp_year=year,
                cvc="123",
            )
        )
    app = make_app("annual")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot, "m", PaymentMethodsScreen)
        assert cells(screen, 1) == ["12/2029", "11/2026 · expires this month", "12/2029"]
        assert "expiring" in screen_text(app)


@pytest.mark.parametrize(
    ("month", "year", "state"),
    [(10, 2026, "expired"), (11, 2026, "expires this month"), (12, 2026, ""), (1, 2025, "expired")],
)
def test_expiry_state(month, year, state):
    from mktui.api.models import PaymentMethod

    method = PaymentMethod(
        id="pm_1",
        brand="visa",
        last4="4242",
        exp_month=month,
        exp_year=year,
        holder_name="x",
        is_default=False,
    )
    assert expiry_state(method, date(2026, 11, 26)) == state


async def test_palette_and_bindings(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot, "m", PaymentMethodsScreen)
        names = [name for name, _, _ in screen.palette_commands()]
        assert names == [
            "payment methods: Add",
            "payment methods: Set default",
            "payment methods: Remove",
        ]
        for binding in PaymentMethodsScreen.BINDINGS:
            assert binding.id and binding.description
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"payment methods: add")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AddCardModal)


def test_snapshot_payment_methods(snap_compare, make_app):
    async def ready(pilot):
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)

    assert snap_compare(make_app("demo"), terminal_size=(80, 24), run_before=ready)


def test_snapshot_add_card_form(snap_compare, make_app):
    async def ready(pilot):
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("a")
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
