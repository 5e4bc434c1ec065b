"""The stylesheet keeps parsed rules while the theme's variables stay the same."""

from __future__ import annotations

from mktui.tui.stylesheet import SteadyStylesheet

from .conftest import settle

CSS = "Static { color: $primary; }"


def _primary_of(sheet: SteadyStylesheet):
    (rule,) = [r for r in sheet.rules if "Static" in r.selector_names]
    return rule.styles.color


def test_same_variables_keep_the_parsed_rules_and_new_sources_are_parsed():
    sheet = SteadyStylesheet(variables={"primary": "red"})
    sheet.add_source(CSS, read_from=("a.tcss", ""))
    rules = sheet.rules
    sheet.set_variables({"primary": "red"})
    sheet.reparse()
    assert sheet.rules[0] is rules[0]  # not parsed again
    sheet.add_source("Label { color: $primary; }", read_from=("b.tcss", ""))
    sheet.reparse()
    assert len(sheet.rules) == 2 and sheet.rules[0] is rules[0]


def test_new_variables_parse_everything_again():
    sheet = SteadyStylesheet(variables={"primary": "red"})
    sheet.add_source(CSS, read_from=("a.tcss", ""))
    red = _primary_of(sheet)
    sheet.set_variables({"primary": "blue"})
    sheet.reparse()
    blue = _primary_of(sheet)
    assert red != blue and blue.rgb == (0, 0, 255)


async def test_a_theme_change_still_restyles_the_console(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(app.stylesheet, SteadyStylesheet)
        bar = app.screen.query_one("#account-bar")
        before = bar.styles.background  # $panel
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await settle(pilot)
        assert bar.styles.background != before
