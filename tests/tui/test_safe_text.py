"""Server strings are shown literally and safely."""

from __future__ import annotations

from mktui.tui.widgets.text import literal, safe_text


def test_markup_is_kept_as_characters():
    assert safe_text("[bold]x[/") == "[bold]x[/"
    assert literal("[bold]x[/").plain == "[bold]x[/"


def test_controls_and_bidi_overrides_are_removed():
    assert safe_text("evil\x1b[31m name\x07") == "evil[31m name"
    assert safe_text("invoice\u202egpj.exe") == "invoicegpj.exe"
    assert safe_text("a\u2066b\u2069c\u200fd") == "abcd"


def test_newlines_and_runs_of_space_become_one_space():
    assert safe_text("Demo\nNetworks\t  Ltda") == "Demo Networks Ltda"


def test_long_text_is_cut_with_an_ellipsis():
    assert safe_text("x" * 20, limit=5) == "xxxx…"
    assert safe_text(None) == ""
