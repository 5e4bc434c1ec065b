"""Textual's stylesheet, without parsing every rule again when a screen first shows.

Textual calls ``App.refresh_css`` each time a mode's screen is first created
(twice for the first screen at launch, and again on each area's first visit),
and its ``reparse`` parses every source — our .tcss files and every widget's
default CSS — from scratch, even when nothing changed (about 6 ms each, on the
way to the first frame). Parsed rules depend only on the source text and the
theme's variables, and Textual's own parse cache is emptied whenever the
variables change: so while they stay the same, the cached rules are kept and
only sources added since are parsed; a theme change still parses everything.
"""

from __future__ import annotations

from textual.css.stylesheet import Stylesheet

from mktui.tui.textual_shim import grow_parse_cache


class SteadyStylesheet(Stylesheet):
    """A :class:`~textual.css.stylesheet.Stylesheet` whose ``reparse`` reuses unchanged rules.

    Unlike Textual's ``reparse`` (which parses into a fresh stylesheet), a source
    that failed to parse once is skipped afterwards rather than raising again:
    our sources are tested, and Textual reports the first failure.
    """

    def __init__(self, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        # The variables last set (Textual keeps its own copy privately).
        self._applied_variables = dict(variables or {})
        # One entry per source (each widget class's default CSS, each .tcss file): about 30
        # at launch, more as areas open. Textual's 64 would silently stop hitting beyond that.
        grow_parse_cache(self, 512)

    def set_variables(self, variables: dict[str, str]) -> None:
        """Set the CSS variables; the same values again keep what is already parsed."""
        if variables != self._applied_variables:
            super().set_variables(variables)  # empties the parse cache
            self._applied_variables = dict(variables)

    def reparse(self) -> None:
        """Parse what the cache does not hold: new sources, or all after new variables."""
        self.parse()
