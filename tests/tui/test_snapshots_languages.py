"""SVG snapshots of the console in Portuguese, Spanish and French (issue #16).

Each language's longest label must fit at 80×24; regenerate with
``pytest tests/tui/test_snapshots_languages.py --snapshot-update`` and look at them.
"""

from __future__ import annotations

import pytest

from .test_snapshots import (
    SIZES,
    overdue_invoice_opened,
    payment_page_with_a_new_card,
    steady,
    subscribe_filled,
)


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
    assert snap_compare(make_app("new"), terminal_size=size, run_before=subscribe_filled)


@pytest.mark.parametrize("size", SIZES)
def test_payment_page_in_portuguese(snap_compare, make_app, client_factory, speak, size):
    speak("pt_BR")
    fill = payment_page_with_a_new_card(client_factory)
    assert snap_compare(make_app("new"), terminal_size=size, run_before=fill)


async def invoices_shown(pilot) -> None:
    """Invoices (i), the list loaded: titles, status words, the footer's keys."""
    await steady(pilot)
    await pilot.press("i")
    await steady(pilot)


def test_invoices_in_portuguese(snap_compare, make_app, speak):
    speak("pt_BR")
    assert snap_compare(make_app("demo"), terminal_size=(80, 24), run_before=invoices_shown)


@pytest.mark.parametrize("language", ["pt_BR", "es", "fr"])
def test_an_opened_invoice_in_other_languages(snap_compare, make_app, speak, language):
    speak(language)
    assert snap_compare(make_app("demo"), terminal_size=(80, 24), run_before=overdue_invoice_opened)
