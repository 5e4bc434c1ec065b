"""Keys arriving in bursts (a laggy SSH link) land in the field the admin meant.

Each round queues a whole form's worth of keys at once, Tabs included, before
the app handles the first; ``pilot.press`` would wait between keys and hide a
key routed to the field being left.
"""

from __future__ import annotations

from textual.widgets import Input

from mktui.tui.screens.contacts import AddContactModal, ContactsScreen
from mktui.tui.screens.payment_methods import AddCardModal, PaymentMethodsScreen

from .conftest import settle
from .keys import burst, keys_of
from .records_helpers import open_area, wait_for

ROUNDS = 50


def _clear(screen, *ids: str) -> None:
    for input_id in ids:
        screen.query_one(f"#{input_id}", Input).value = ""


async def _rounds(pilot, fields: dict[str, str]) -> list[dict[str, str]]:
    """Type ``fields`` (id → text, in focus order) as one burst per round; return misses."""
    screen = pilot.app.screen
    ids = list(fields)
    keys: list[str] = []
    for index, text in enumerate(fields.values()):
        keys.extend(keys_of(text))
        if index < len(fields) - 1:
            keys.append("tab")
    misses = []
    for _ in range(ROUNDS):
        _clear(screen, *ids)
        screen.query_one(f"#{ids[0]}", Input).focus()
        await pilot.pause()
        await burst(pilot, keys)
        got = {input_id: screen.query_one(f"#{input_id}", Input).value for input_id in ids}
        if "card-number" in got:  # leaving the field groups the digits as printed on the card
            got["card-number"] = got["card-number"].replace(" ", "")
        if got != fields:
            misses.append(got)
    return misses


async def test_sign_in_typed_in_bursts(make_app):
    app = make_app(None)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        misses = await _rounds(pilot, {"signin-email": "me@x.test", "signin-password": "pw123"})
        assert misses == []


async def test_the_card_form_typed_in_bursts(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_area(pilot, "m", PaymentMethodsScreen)
        await pilot.press("a")
        await wait_for(pilot, AddCardModal)
        await settle(pilot)
        misses = await _rounds(
            pilot,
            {
                "card-holder": "Ana Souza",
                "card-number": "5105105105105100",
                "card-expiry": "08/30",
                "card-cvc": "987",
            },
        )
        assert misses == []


async def test_add_contact_typed_in_bursts(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_area(pilot, "c", ContactsScreen)
        await pilot.press("a")
        await wait_for(pilot, AddContactModal)
        await settle(pilot)
        misses = await _rounds(
            pilot, {"contact-name": "Carla Dias", "contact-email": "carla@example.com"}
        )
        assert misses == []
