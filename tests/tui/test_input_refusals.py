"""No silent edits: a field keeps what was typed, or says why a key or a paste was refused."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from mktui.core.card_brands import a_card_of
from mktui.core.words import count
from mktui.tui.screens.payment_methods import AddCardModal, PaymentMethodsScreen
from mktui.tui.screens.subscribe import SubscribeScreen
from mktui.tui.screens.subscription import SubscriptionScreen
from mktui.tui.widgets.field import LabelledField

from .conftest import settle
from .keys import burst
from .records_helpers import open_area, wait_for


async def paste(pilot, text: str) -> None:
    """Paste ``text`` as a terminal does (one bracketed paste event)."""
    event = events.Paste(text)
    event.set_sender(pilot.app)
    pilot.app._driver.send_message(event)
    await pilot.pause()
    await pilot.pause()


def error_of(screen, field_id: str) -> str:
    return screen.query_one(f"#{field_id}", LabelledField).error or ""


async def _add_card_form(pilot):
    await open_area(pilot, "m", PaymentMethodsScreen)
    await pilot.press("a")
    modal = await wait_for(pilot, AddCardModal)
    await settle(pilot)
    return modal


async def test_1e9_in_devices_is_refused_not_read_as_19(make_app):
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        screen = await wait_for(pilot, SubscribeScreen)
        await settle(pilot)
        devices = screen.query_one("#sub-devices", Input)
        devices.focus()
        devices.value = ""
        await burst(pilot, list("1e9"))
        assert devices.value == "1e9"
        error = error_of(screen, "sub-devices-field")
        assert '"1e9"' in error and "whole number" in error
        await pilot.press("ctrl+n")  # Next is refused: nothing goes to payment
        await settle(pilot)
        assert app.screen is screen
        assert app.focused is devices


async def test_1e9_as_the_new_device_count_is_refused(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot, "u", SubscriptionScreen)
        await pilot.press("d")
        await pilot.pause()
        await burst(pilot, list("1_0"))
        field = screen.query_one("#subscription-new-devices", Input)
        assert field.value == "1_0"
        assert '"1_0"' in error_of(screen, "subscription-new-devices-field")


async def test_letters_in_the_card_number_are_kept_and_marked(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        modal = await _add_card_form(pilot)
        modal.query_one("#card-number", Input).focus()
        await burst(pilot, list("4242a"))
        assert modal.query_one("#card-number", Input).value == "4242a"
        assert "only digits" in error_of(modal, "card-number-field")
        modal.query_one("#card-cvc", Input).focus()
        await burst(pilot, list("1x"))
        assert modal.query_one("#card-cvc", Input).value == "1x"
        assert "only digits" in error_of(modal, "card-cvc-field")


async def test_an_over_long_paste_enters_nothing_and_says_so(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        modal = await _add_card_form(pilot)
        holder = modal.query_one("#card-holder", Input)
        holder.focus()
        await paste(pilot, "A" * 130)
        assert holder.value == ""
        error = error_of(modal, "card-holder-field")
        assert "Cardholder name" in error and "120" in error and "130" in error


async def test_a_key_past_the_limit_is_refused_in_words(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        modal = await _add_card_form(pilot)
        cvc = modal.query_one("#card-cvc", Input)
        cvc.focus()
        await burst(pilot, list("12345"))
        assert cvc.value == "1234"
        assert "at most 4 characters" in error_of(modal, "card-cvc-field")
        assert "5" not in error_of(modal, "card-cvc-field")  # a secret field never echoes


async def test_a_pasted_escape_or_several_lines_are_refused(make_app):
    app = make_app(None)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        email = screen.query_one("#signin-email", Input)
        email.focus()
        email.value = ""
        await paste(pilot, "me@x.test\x1b[201~rm -rf")
        assert email.value == ""
        assert "control character (Escape)" in error_of(screen, "signin-email-field")
        await paste(pilot, "me@x.test\nsecret")
        assert email.value == ""
        assert "2 lines" in error_of(screen, "signin-email-field")
        await paste(pilot, "me@x.test\n")  # one line and its line break: entered
        assert email.value == "me@x.test"
        assert error_of(screen, "signin-email-field") == ""  # the refusal went with the change


def test_counts_and_cards_read_as_words():
    assert count(1, "device") == "1 device"
    assert count(0, "device") == "0 devices"
    assert count(12, "device") == "12 devices"
    assert a_card_of("other") == "this card"
    assert a_card_of("nonsense") == "this card"
    assert a_card_of("amex") == "an American Express card"
    assert a_card_of("visa") == "a Visa card"
