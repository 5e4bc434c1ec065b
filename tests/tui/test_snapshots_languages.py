"""SVG snapshots of the console in Portuguese, Spanish and French (issue #16).

Each language's longest label must fit at 80×24; regenerate with
``pytest tests/tui/test_snapshots_languages.py --snapshot-update`` and look at them.
"""

from __future__ import annotations

import pytest

from mktui.core import i18n

from .conftest import settle
from .test_snapshots import SIZES, steady
from .test_subscribe import add_card, type_into


@pytest.fixture
def speak():
    yield i18n.use
    i18n.use("en")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("account", ["annual", "demo"], ids=["active", "past_due"])
def test_financial_in_portuguese(snap_compare, make_app, speak, size, account):
    speak("pt_BR")
    assert snap_compare(make_app(account), terminal_size=size, run_before=steady)


@pytest.mark.parametrize("language", ["es", "fr"])
def test_financial_in_spanish_and_french(snap_compare, make_app, speak, language):
    speak(language)
    assert snap_compare(make_app("annual"), terminal_size=(80, 24), run_before=steady)


@pytest.mark.parametrize("size", SIZES)
def test_subscribe_with_preview_in_portuguese(snap_compare, make_app, speak, size):
    speak("pt_BR")

    async def fill(pilot):
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await type_into(pilot, "#sub-devices", "10")
        await type_into(pilot, "#sub-tax-id", "529.982.247-25")
        await steady(pilot)

    assert snap_compare(make_app("new"), terminal_size=size, run_before=fill)


@pytest.mark.parametrize("size", SIZES)
def test_payment_page_in_portuguese(snap_compare, make_app, client_factory, speak, size):
    speak("pt_BR")

    async def fill(pilot):
        client = client_factory()
        await client.sign_in("new@mkcontroller.test", "sandbox")
        await add_card(client)
        await client.aclose()
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await type_into(pilot, "#sub-devices", "10")
        await type_into(pilot, "#sub-tax-id", "529.982.247-25")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("down")  # "A new card": the card form opens
        await steady(pilot)

    assert snap_compare(make_app("new"), terminal_size=size, run_before=fill)
