"""History, Contacts, Payment methods and Sign in in the admin's language, whole at 80×24.

Each area is opened in Brazilian Portuguese, Spanish and French: its column
titles, its keys (``active_bindings``) and its notes are translated, and the
footer line as drawn still holds every key the screen shows (a longer word must
not push a key off the edge).
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from mktui.tui.screens.contacts import ContactsScreen
from mktui.tui.screens.history import HistoryScreen
from mktui.tui.screens.payment_methods import AddCardModal, PaymentMethodsScreen

from .conftest import footer_line, screen_text, settle
from .keys import burst
from .records_helpers import open_area, wait_for

LANGUAGES = ("pt_BR", "es", "fr")

COLUMNS = {
    "history": {
        "pt_BR": ["Data", "Lançamento", "Valor", "Saldo após"],
        "es": ["Fecha", "Movimiento", "Importe", "Saldo después"],
        "fr": ["Date", "Écriture", "Montant", "Crédit après"],
    },
    "contacts": {
        "pt_BR": ["Nome", "E-mail"],
        "es": ["Nombre", "Correo"],
        "fr": ["Nom", "E-mail"],
    },
    "payment_methods": {
        "pt_BR": ["Cartão", "Validade", "Titular", "Padrão"],
        "es": ["Tarjeta", "Vence", "Titular", "Principal"],
        "fr": ["Carte", "Expire", "Titulaire", "Par défaut"],
    },
}
KEYS = {
    "history": {"pt_BR": "Tipo", "es": "Tipo", "fr": "Type"},
    "contacts": {"pt_BR": "Adicionar", "es": "Añadir", "fr": "Ajouter"},
    "payment_methods": {"pt_BR": "Remover", "es": "Quitar", "fr": "Retirer"},
}
WORDS = {
    # A word of the area's own text (a ledger kind, a note, the title).
    "history": {"pt_BR": "Crédito restante", "es": "Crédito restante", "fr": "Crédit restant"},
    "contacts": {
        "pt_BR": "Contatos financeiros",
        "es": "Contactos de facturación",
        "fr": "Contacts de facturation",
    },
    "payment_methods": {
        "pt_BR": "Cartões salvos",
        "es": "Tarjetas guardadas",
        "fr": "Cartes enregistrées",
    },
}
AREAS = {
    "history": ("h", HistoryScreen, "annual"),
    "contacts": ("c", ContactsScreen, "demo"),
    "payment_methods": ("m", PaymentMethodsScreen, "demo"),
}


def shown_keys(app) -> list[str]:
    """The descriptions of the keys the screen shows in its footer."""
    return [
        binding.description
        for _key, (_node, binding, _enabled, _tooltip) in app.screen.active_bindings.items()
        if binding.show and binding.description and binding.action != "command_palette"
    ]


def assert_footer_holds_every_key(app) -> None:
    line = footer_line(app)
    for description in shown_keys(app):
        assert description in line, f"{description!r} is pushed off the footer: {line!r}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("area", list(AREAS))
async def test_an_area_speaks_the_language_and_its_footer_holds_every_key(
    make_app, speak, area, language
):
    key, screen_type, account = AREAS[area]
    speak(language)
    app = make_app(account)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(pilot, key, screen_type)
        table = screen.table
        labels = [str(column.label.plain) for column in table.columns.values()]
        assert labels == COLUMNS[area][language]
        # Every column title whole on screen: the table is not wider than the area.
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert KEYS[area][language] in shown_keys(app)
        text = screen_text(app)
        assert WORDS[area][language] in text, text
        assert_footer_holds_every_key(app)


@pytest.mark.parametrize(
    ("language", "kind", "note", "chart"),
    [
        ("pt_BR", "crédito usado", "lançamentos", "jun 26–nov 26, até R$ 64,50/mês"),
        ("es", "crédito usado", "movimientos", "jun 26–nov 26, máx. R$ 64,50/mes"),
        ("fr", "crédit utilisé", "écritures", "juin 26–nov 26, max. R$ 64,50/mois"),
    ],
)
async def test_history_names_the_ledger_kinds_and_counts_in_the_language(
    make_app, speak, language, kind, note, chart
):
    speak(language)
    app = make_app("annual")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_area(pilot, "h", HistoryScreen)
        text = screen_text(app)
        # The kind whole in the Entry column (not cut to "uso de crédi…"), the chart's
        # caption whole beside the bars, the note in the language.
        assert f" {kind} " in text, text
        assert chart in text, text
        assert note in text, text
        assert "credit used" not in text and "entries" not in text


async def test_the_card_form_refuses_in_portuguese(make_app, speak):
    speak("pt_BR")
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_area(pilot, "m", PaymentMethodsScreen)
        await pilot.press("a")
        modal = await wait_for(pilot, AddCardModal)
        await settle(pilot)
        number = modal.query_one("#card-number", Input)
        number.focus()
        await burst(pilot, list("4242a"))
        assert number.value == "4242a"
        error = modal.query_one("#card-number-field").error or ""
        assert error == "O número do cartão tem só dígitos.", error
        text = screen_text(app)
        assert "Tornar este o cartão padrão" in text, text
        assert "Enter ou ctrl+s: Salvar · Esc: Cancelar" in text, text


@pytest.mark.parametrize(
    ("language", "title", "sandbox", "button", "error"),
    [
        (
            "pt_BR",
            "Entre no faturamento da MKController",
            "Sandbox: dados de demonstração, sem dinheiro real",
            "Entrar",
            "Digite sua senha.",
        ),
        (
            "es",
            "Inicie sesión en la facturación de MKController",
            "Sandbox: datos de demostración, sin dinero real",
            "Iniciar sesión",
            None,
        ),
        (
            "fr",
            "Connectez-vous à la facturation MKController",
            "Sandbox : données de démonstration, sans argent réel",
            "Se connecter",
            None,
        ),
    ],
)
async def test_sign_in_speaks_the_language(
    make_app, speak, language, title, sandbox, button, error
):
    speak(language)
    app = make_app(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert title in text, text
        assert sandbox in text, text  # the checkbox's label whole in the box
        assert button in shown_keys(app)
        assert_footer_holds_every_key(app)
        if error is not None:
            app.screen.query_one("#signin-email", Input).value = "admin@example.com"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen.query_one("#signin-password-field").error == error
