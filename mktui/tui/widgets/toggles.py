"""A checkbox and a radio button whose state reads in glyphs, not only in colour.

Textual draws both as ``▐X▌`` / ``▐●▌`` and shows the state by colour alone, so
under NO_COLOR, a 16-colour TERM or to a colour-blind admin an unchecked box
looks checked. These draw ``[x]``/``[ ]`` and ``(•)``/``( )``: the same three
cells, with the state in the characters themselves.
"""

from __future__ import annotations

from typing import ClassVar

from textual.content import Content
from textual.widgets import Checkbox, RadioButton

_GLYPH_CSS = """
& > .toggle--button { background: transparent; color: $text-muted; }
&.-on > .toggle--button { background: transparent; color: $text-success; text-style: bold; }
&:ansi > .toggle--button { background: ansi_default; color: ansi_default; text-style: none; }
&:ansi.-on > .toggle--button { background: ansi_default; text-style: bold; }
"""


class _Glyphs:
    """Draws the button as one of two three-cell glyphs, by value."""

    GLYPHS: ClassVar[tuple[str, str]]
    """(off, on)."""

    def render(self) -> Content:
        """The glyph of the current state, then the label."""
        button = Content.styled(
            self.GLYPHS[bool(self.value)],  # type: ignore[attr-defined]
            self.get_visual_style("toggle--button"),  # type: ignore[attr-defined]
        )
        label = self.label.pad(1, 1).stylize_before(  # type: ignore[attr-defined]
            self.get_visual_style("toggle--label")  # type: ignore[attr-defined]
        )
        return Content.assemble(button, label)


class GlyphCheckbox(_Glyphs, Checkbox):
    """A checkbox drawn ``[x]`` when checked and ``[ ]`` when not."""

    GLYPHS = ("[ ]", "[x]")
    DEFAULT_CSS = "GlyphCheckbox {" + _GLYPH_CSS + "}"


class GlyphRadioButton(_Glyphs, RadioButton):
    """A radio button drawn ``(•)`` when chosen and ``( )`` when not."""

    GLYPHS = ("( )", "(•)")
    DEFAULT_CSS = "GlyphRadioButton {" + _GLYPH_CSS + "}"
