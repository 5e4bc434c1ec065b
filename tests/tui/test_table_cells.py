"""Cells of set width: drawn as their Text would be, the segments kept by text and width."""

from __future__ import annotations

from rich.console import Console

from mktui.tui.widgets import table_cells
from mktui.tui.widgets.table_cells import CLIPPED, RIGHT, SizedCell


def test_a_sized_cell_draws_as_its_text_and_keeps_the_segments():
    console = Console(width=40, color_system=None, legacy_windows=False)
    cell = SizedCell("R$ 1.290,00", RIGHT)
    options = console.options.update_width(14)
    first = list(cell.__rich_console__(console, options))
    assert first == list(console.render(cell.text, options))
    assert "".join(s.text for s in first).rstrip("\n") == "   R$ 1.290,00"
    # Another cell of the same text at the same width: the segments already made, not drawn again.
    kept = table_cells.drawn(console, options, "R$ 1.290,00", 0, RIGHT)
    assert table_cells.drawn(console, options, "R$ 1.290,00", 0, RIGHT) is kept
    # At another width, or with other options, it is drawn anew.
    narrow = console.options.update_width(6)
    assert (
        "".join(
            s.text for s in SizedCell("R$ 1.290,00", CLIPPED).__rich_console__(console, narrow)
        ).rstrip("\n")
        == "R$ 1.…"
    )
    assert table_cells.drawn(console, narrow, "R$ 1.290,00", 0, RIGHT) is not kept


def test_the_kept_segments_are_bounded(monkeypatch):
    console = Console(width=40, color_system=None, legacy_windows=False)
    monkeypatch.setattr(table_cells, "DRAWN_KEPT", 3)
    monkeypatch.setattr(table_cells, "_drawn", {})
    for n in range(10):
        table_cells.drawn(console, console.options, f"row {n}", 0, table_cells.LEFT)
    assert len(table_cells._drawn) <= 3
