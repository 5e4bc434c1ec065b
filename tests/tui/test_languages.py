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


def _dialog_text(app) -> tuple[str, str]:
    title = app.screen.query_one(".dialog--title")
    body = app.screen.query_one(".dialog--body")
    return str(title.render()), str(body.render())


@pytest.mark.parametrize(
    ("language", "not_found", "defect_title", "defect_start", "try_again"),
    [
        (
            "pt_BR",
            "Não encontrado",
            "Algo deu errado",
            "O mktui encontrou um problema inesperado (RuntimeError).",
            "Tente de novo",
        ),
        (
            "es",
            "No encontrado",
            "Algo salió mal",
            "mktui encontró un problema inesperado (RuntimeError).",
            "Inténtelo de nuevo",
        ),
        (
            "fr",
            "Introuvable",
            "Un problème est survenu",
            "mktui a rencontré un problème inattendu (RuntimeError).",
            "Réessayez",
        ),
    ],
)
async def test_error_dialogs_speak_the_language_and_the_servers_message_stays_as_sent(
    make_app, speak, language, not_found, defect_title, defect_start, try_again
):
    from mktui.api.errors import ApiError, ErrorKind

    speak(language)
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.report_error(ApiError(ErrorKind.NOT_FOUND, "The server's own words."))
        await pilot.pause()
        assert _dialog_text(app) == (not_found, "The server's own words.")
        await pilot.press("escape")
        app.report_error(RuntimeError("typed text"))
        await pilot.pause()
        title, body = _dialog_text(app)
        assert title == defect_title
        assert body.startswith(defect_start) and "typed text" not in body
        await pilot.press("escape")
        app.report_error(ApiError(ErrorKind.UNAVAILABLE, "Gateway timeout."))
        await pilot.pause()
        said = [(n.title, n.message) for n in app._notifications]
        assert (try_again, "Gateway timeout.") in said


@pytest.mark.parametrize(
    ("language", "placeholder", "nothing"),
    [
        ("pt_BR", "Buscar comandos…", "Nenhum resultado"),
        ("es", "Buscar comandos…", "Sin resultados"),
        ("fr", "Rechercher une commande…", "Aucun résultat"),
    ],
)
async def test_the_command_palette_speaks_the_language(
    make_app, speak, language, placeholder, nothing
):
    from textual.command import CommandInput, CommandList, CommandPalette

    speak(language)
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.query_one(CommandInput).placeholder == placeholder
        await pilot.press(*"zzqqxx")
        await pilot.pause(CommandPalette._NO_MATCHES_COUNTDOWN)
        commands = app.screen.query_one(CommandList)
        for _ in range(100):  # the line comes after the countdown, later on a loaded machine
            if commands.option_count == 1:
                break
            await pilot.pause(0.05)
        assert commands.option_count == 1
        assert str(commands.get_option_at_index(0).prompt.renderable) == nothing


@pytest.mark.parametrize(
    ("language", "counted"),
    [("pt_BR", "25 lançamentos"), ("es", "25 movimientos"), ("fr", "25 écritures")],
)
async def test_the_history_export_counts_its_entries_in_the_language(
    make_app, speak, monkeypatch, tmp_path, language, counted
):
    from mktui.config import downloads
    from mktui.tui.screens.history import HistoryScreen
    from tests.tui.conftest import screen_text
    from tests.tui.records_helpers import open_area

    monkeypatch.setattr(downloads, "default_download_dir", lambda: tmp_path)
    speak(language)
    app = make_app("demo")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_area(pilot, "h", HistoryScreen)
        await pilot.press("e")
        await settle(pilot)
        text = screen_text(app)
        assert counted in text and "entries" not in text
