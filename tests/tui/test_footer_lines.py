"""The footer line at 80×24: Quit always there, and a dialog's own keys while a dialog is open."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette

from mktui.core.i18n import _
from mktui.tui.screens.dialogs import ConfirmModal
from mktui.tui.screens.invoices import InvoicesScreen
from mktui.tui.screens.subscription import SubscriptionScreen
from mktui.tui.widgets.key_hints import KeyHints

from .conftest import footer_line, settle
from .records_helpers import open_area, wait_for


@pytest.mark.parametrize("language", ["en", "pt_BR", "es", "fr"])
@pytest.mark.parametrize(("key", "screen_type"), [("u", SubscriptionScreen), ("i", InvoicesScreen)])
async def test_quit_and_the_palette_show_at_80_columns_in_every_language(
    make_app, speak, language, key, screen_type
):
    speak(language)
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_area(pilot, key, screen_type)
        line = footer_line(app)
        assert f"^q {_('Quit')}" in line, line
        assert line.rstrip().endswith(f"▏^p {_('palette')}"), line
        assert len(line.rstrip()) <= 80


async def test_a_dialog_shows_its_own_keys_not_the_ones_of_the_screen_below(make_app):
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_area(pilot, "u", SubscriptionScreen)
        assert "d Devices" in footer_line(app)
        await pilot.press("x")  # cancel the subscription: asks first
        dialog = await wait_for(pilot, ConfirmModal)
        await pilot.pause()
        line = footer_line(app)
        assert "d Devices" not in line and "Refresh" not in line, line
        descriptions = [b.binding.description for b in dialog.active_bindings.values()]
        assert [d for d in descriptions if f" {d} " in line], line  # the dialog's keys
        assert "^q Quit" in line and "▏^p palette" in line, line
        assert len(dialog.query(KeyHints)) == 1
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SubscriptionScreen)
        assert "d Devices" in footer_line(app)


async def test_the_command_palette_shows_close_and_quit_and_not_its_own_key(make_app, speak):
    speak("pt_BR")
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, CommandPalette)
        await pilot.pause()
        line = footer_line(app)
        assert "esc Fechar" in line and "^q Sair" in line, line
        assert "^p" not in line, line
        await pilot.press("escape")
        await settle(pilot)
        assert "^p paleta" in footer_line(app)


async def test_the_theme_picker_has_its_own_footer_line_too(make_app):
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.search_themes()  # the palette's "Theme" command
        await wait_for(pilot, CommandPalette)
        await pilot.pause()
        line = footer_line(app)
        assert "esc Close" in line and "^q Quit" in line and "Refresh" not in line, line
        await pilot.press("escape")
        await settle(pilot)
        assert "r Refresh" in footer_line(app)


@pytest.mark.parametrize(
    ("key", "form", "word", "not_word"),
    [("a", "AddContactModal", "Confirm", "Save"), ("e", "EditContactModal", "Save", "Confirm")],
)
async def test_a_contact_forms_ctrl_s_says_the_word_of_its_button(
    make_app, key, form, word, not_word
):
    from mktui.tui.screens import contacts

    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_area(pilot, "c", contacts.ContactsScreen)
        await pilot.press(key)
        await wait_for(pilot, getattr(contacts, form))
        await pilot.pause()
        line = footer_line(app)
        assert f"^s {word}" in line and not_word not in line, line


async def test_every_key_of_subscription_fits_at_80_columns_in_english(make_app):
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_area(pilot, "u", SubscriptionScreen)
        line = footer_line(app)
        for hint in ("r Refresh", "d Devices", "x Cancel subscription", "p Switch plan", "^q Quit"):
            assert hint in line, line
