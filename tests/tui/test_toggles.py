"""Checkboxes and radio buttons read their state in glyphs, with or without colour."""

from __future__ import annotations

from textual.widgets import RadioSet

from mktui.tui.widgets.toggles import GlyphCheckbox

from .conftest import screen_text, settle


async def test_the_sandbox_box_reads_x_when_ticked_and_blank_when_not(make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "[ ] Sandbox" in screen_text(app)
        assert "X" not in screen_text(app).split("Sandbox")[0].splitlines()[-1]
        app.screen.query_one("#signin-sandbox", GlyphCheckbox).focus()
        await pilot.press("space")
        await pilot.pause()
        assert "[x] Sandbox" in screen_text(app)


async def test_radios_read_the_chosen_one(make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        text = screen_text(app)
        assert text.count("(•)") == len(app.screen.query(RadioSet))
        assert "( )" in text
        currency = app.screen.query_one("#sub-currency", RadioSet)
        assert f"(•) {currency.pressed_button.label}" in text
