"""A table's cursor moves in one frame: the rows and what follows the cursor, drawn together.

Two costs of a keyboard move in a plain ``DataTable`` that a screen showing a
detail line under the table would pay on every Down:

- ``DataTable.RowHighlighted`` reaches the screen through the message queues
  of the table's ancestors, after the table has already asked for its repaint:
  the screen draws the moved rows at once, then the detail line in a second
  frame a refresh period (1/60 s) or more later. A watcher of the table's
  ``cursor_coordinate`` runs in the same call as the move, so both widgets are
  dirty before the screen draws either.
- Every keyboard action hides the mouse's hover cursor by repainting the
  hover's row, which is the first row (0, 0) as long as the mouse never moved
  over the table: each Down repainted the first row. The hover coordinate is
  kept on the cursor instead (the hover is hidden after a key; the mouse moves
  it back where it points), so the row repainted is one the move repaints anyway.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.coordinate import Coordinate
from textual.dom import DOMNode
from textual.widgets import DataTable

from mktui.tui.widgets.line_table import LineTable


def follow_cursor(
    owner: DOMNode, table: DataTable | LineTable, moved: Callable[[int], None]
) -> None:
    """Call ``moved(row)`` in the same call as each cursor move of ``table``.

    ``owner`` (the screen) owns the watch: it ends when the screen closes. The
    first highlight of a table that was empty is not a move (the cursor stays
    at 0): the screen draws its detail after loading, as before.
    """

    def changed(old: Coordinate, new: Coordinate) -> None:
        if old == new:
            return  # each add_row sets the cursor again (always_update): that is no move
        # The hover row is repainted by the next key (to hide it): let that be this row.
        table.hover_coordinate = new
        moved(new.row)

    owner.watch(table, "cursor_coordinate", changed, init=False)
