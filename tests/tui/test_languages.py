"""The console in the admin's language: areas, keys, badges, dialogs."""

from __future__ import annotations

import pytest

from tests.tui.conftest import settle


@pytest.mark.parametrize(
    ("language", "area", "key", "badge"),
    [
        ("pt_BR", "Faturas", "Atualizar", "EM ATRASO"),
        ("es", "Facturas", "Actualizar", "VENCIDA"),
        ("fr", "Factures", "Actualiser", "EN RETARD"),
        ("en", "Invoices", "Refresh", "PAST DUE"),
    ],
)
async def test_financial_speaks_the_chosen_language(make_app, speak, language, area, key, badge):
    speak(language)
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        descriptions = {b.binding.description for b in app.screen.active_bindings.values()}
        assert key in descriptions
        sidebar = app.screen.query_one("#sidebar")
        assert any(area in str(option.prompt) for option in sidebar.options)
        assert badge in str(app.screen.query_one("#bar-status").render())
