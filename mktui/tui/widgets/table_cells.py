"""Cells for DataTable columns whose width the screen sets, so a long list appends cheaply.

Two costs of a row that a page of a long list pays for every cell, though only
the rows on the screen are ever drawn:

- ``DataTable`` measures every cell of every new row (Rich's measure of a
  ``Text``, 60–100 µs a cell) to size its auto-width columns, whether or not a
  column has a width of its own. Textual's and Rich's measure skip a renderable
  without ``__rich_measure__``; a column whose width the screen sets (History
  sizes every column itself, from the text it shows) has no use for it.
- A ``rich.text.Text`` is built and sanitised as it is made. A :class:`SizedCell`
  keeps its plain text (already made safe by the screen) and the few options it
  is drawn with, and makes its ``Text`` when the table draws it.

And one cost of drawing them: ``DataTable`` keys its caches of drawn cells on a
count that every ``add_row`` bumps, so a page appended below the rows on the
screen draws those rows again though nothing in them changed (wrapping and
justifying each cell's ``Text``: ~0.3 ms a cell, ~10 ms a page of History).
:func:`drawn` keeps the segments of the last texts drawn, by their text and the
width they were drawn at: the table's own caches still miss, but what it asks
of a cell is then a copy of segments already made (amounts, kinds and
descriptions also repeat from row to row).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

from rich.console import Console, ConsoleOptions
from rich.segment import Segment
from rich.text import Span, Text

LEFT: Mapping[str, Any] = MappingProxyType({})
"""Drawn as a plain ``Text``: left-aligned, wrapped to the column."""
RIGHT: Mapping[str, Any] = MappingProxyType({"justify": "right"})
"""Right-aligned (amounts)."""
CLIPPED: Mapping[str, Any] = MappingProxyType({"no_wrap": True, "overflow": "ellipsis"})
"""Each line on one line, cut with an ellipsis where the column ends."""


def styled_text(plain: str, bold: int, options: Mapping[str, Any]) -> Text:
    """``plain`` as a cell's ``Text``: its first ``bold`` characters bold, with ``options``."""
    spans = [Span(0, bold, "bold")] if bold else None
    return Text(plain, spans=spans, **options)


DRAWN_KEPT = 512
"""How many drawn texts :func:`drawn` keeps (a screen shows a few dozen cells; ~0.5 MiB)."""

_drawn: dict[tuple[object, ...], tuple[Segment, ...]] = {}


def drawn(
    console: Console,
    options: ConsoleOptions,
    plain: str,
    bold: int,
    text_options: Mapping[str, Any],
) -> tuple[Segment, ...]:
    """The segments of ``Text(plain, …)`` drawn at ``options``' width, made once and kept.

    Only what a ``Text``'s drawing depends on is in the key (its text, bold
    prefix and options, the width, wrapping, overflow and justification asked):
    styles from the table (cursor, zebra) are applied around these segments.
    """
    key = (
        plain,
        bold,
        tuple(text_options.items()),
        options.max_width,
        options.no_wrap,
        options.overflow,
        options.justify,
        options.height,
        console.encoding,
    )
    segments = _drawn.get(key)
    if segments is None:
        if len(_drawn) >= DRAWN_KEPT:
            _drawn.clear()  # cheaper than tracking use, and refilled by the next frame
        text = styled_text(plain, bold, text_options)
        segments = _drawn[key] = tuple(console.render(text, options))
    return segments


class SizedCell:
    """A cell for a column of set width: its ``Text`` made when drawn, never measured.

    ``plain`` is shown literally (never read as markup); ``bold`` makes its
    first ``bold`` characters bold; ``options`` are ``Text``'s (:data:`LEFT`,
    :data:`RIGHT`, :data:`CLIPPED`). In a column that sizes itself to its
    contents it would count as one cell wide: use it only where the screen
    gives the column its width.
    """

    __slots__ = ("bold", "options", "plain")

    def __init__(self, plain: str, options: Mapping[str, Any] = LEFT, *, bold: int = 0) -> None:
        self.plain = plain
        self.options = options
        self.bold = bold

    @property
    def text(self) -> Text:
        """The cell as drawn."""
        return styled_text(self.plain, self.bold, self.options)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        yield from drawn(console, options, self.plain, self.bold, self.options)

    def __str__(self) -> str:
        return self.plain

    def __repr__(self) -> str:
        return f"SizedCell({self.plain!r})"
