"""A table drawn line by line, for a long list that grows by pages (History's ledger).

Why not Textual's ``DataTable``: appending a page to it costs the rows already
there, not the page. Each ``add_row`` sets the cursor (a reactive) and bumps
``_update_count``, a key of every one of its render caches, so the rows on the
screen are drawn again though the new rows go below them; and on idle
``_update_dimensions`` walks every row (``_y_offsets``, the total height). At
5 000 rows a page of 200 cost History ~85 ms of the console's CPU
(docs/performance.md, "History pages").

:class:`LineTable` keeps its rows in a list, all of one height, so the row of
a line is a division. Appending grows ``virtual_size`` (the scrollbar moves)
and repaints only the lines on the screen that the new rows fill. A row is
drawn when it shows, from the cells kept, with DataTable's component classes
(``datatable--header``, ``--cursor``, ``--even-row``, ``--odd-row``) and its
way of padding and styling a cell, so the theme draws it the same.

It offers the part of DataTable's surface the record screens use: row_count,
add_column / add_row / clear, columns, rows, cursor_coordinate, move_cursor,
get_row_index, coordinate_to_cell_key, cell_padding, and the RowHighlighted and
RowSelected messages. Its cursor is a row cursor; every row has one height.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, ClassVar

from rich.console import RenderableType
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.reactive import Reactive
from textual.renderables.styled import Styled
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets.data_table import CellKey, Column, ColumnKey, RowKey

from mktui.core.i18n import N_

ROWS_DRAWN_KEPT = 256
"""How many drawn rows are kept (a screen shows a few dozen; moving the cursor redraws two)."""


class _RowMessage(Message):
    """A row of a :class:`LineTable`, with DataTable's names for what it carries."""

    def __init__(self, data_table: LineTable, cursor_row: int, row_key: RowKey) -> None:
        super().__init__()
        self.data_table = data_table
        self.cursor_row = cursor_row
        self.row_key = row_key

    @property
    def control(self) -> LineTable:
        return self.data_table


class LineTable(ScrollView, can_focus=True):
    """Rows of cells under a header line, a row cursor, zebra stripes; appending costs the rows added."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "datatable--header",
        "datatable--cursor",
        "datatable--even-row",
        "datatable--odd-row",
    }

    # DataTable's own rules for what this table draws, so a theme styles both alike.
    DEFAULT_CSS = """
    LineTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        &:focus {
            background-tint: $foreground 5%;
            & > .datatable--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .datatable--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .datatable--even-row {
            background: $surface-darken-1 40%;
        }
        & > .datatable--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .datatable--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .datatable--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .datatable--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", N_("Select"), id="table.select", show=False),
        Binding("up", "cursor_up", N_("Cursor up"), id="table.cursor-up", show=False),
        Binding("down", "cursor_down", N_("Cursor down"), id="table.cursor-down", show=False),
        Binding("pageup", "page_up", N_("Page up"), id="table.page-up", show=False),
        Binding("pagedown", "page_down", N_("Page down"), id="table.page-down", show=False),
        Binding("home,ctrl+home", "first_row", N_("First row"), id="table.first-row", show=False),
        Binding("end,ctrl+end", "last_row", N_("Last row"), id="table.last-row", show=False),
    ]

    class RowHighlighted(_RowMessage):
        """The cursor moved to a row (also the first row of a table just filled)."""

    class RowSelected(_RowMessage):
        """Enter on the cursor's row, or a click on it."""

    cursor_coordinate: Reactive[Coordinate] = Reactive(Coordinate(0, 0), repaint=False)
    """The cursor's row (its column is always 0: the whole row is highlighted)."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's name for it
        classes: str | None = None,
        cursor_type: str = "row",
        zebra_stripes: bool = True,
        cell_padding: int = 1,
    ) -> None:
        if cursor_type != "row":
            raise ValueError("LineTable has a row cursor only")
        super().__init__(name=name, id=id, classes=classes)
        self.zebra_stripes = zebra_stripes
        self.cell_padding = cell_padding
        """Blank cells each side of each cell (DataTable's)."""
        self.header_height = 1
        self.row_height = 1
        """Every row's height (set by the first row added)."""
        self.columns: dict[ColumnKey, Column] = {}
        self._keys: list[RowKey] = []
        self._cells: list[Sequence[object]] = []
        self._index: dict[RowKey, int] = {}
        self.hover_coordinate = Coordinate(0, 0)
        """Kept for DataTable's users (widgets.table_cursor): no hover is drawn."""
        self._drawn: dict[tuple[int, bool], list[Strip]] = {}
        """Rows drawn, by index and cursor, valid while :attr:`_drawn_for` holds."""
        self._drawn_for: tuple[object, ...] = ()

    # ------------------------------------------------------------------ DataTable's surface
    @property
    def row_count(self) -> int:
        return len(self._keys)

    @property
    def rows(self) -> dict[RowKey, int]:
        """Each row's key (its index as value): iterate it for the keys, in order."""
        return self._index

    @property
    def cursor_row(self) -> int:
        return self.cursor_coordinate.row

    def add_column(self, label: str | Text, *, width: int = 0, key: str | None = None) -> ColumnKey:
        """A column of ``width`` cells (a cell's text is never measured)."""
        text = Text(label) if isinstance(label, str) else label
        column_key = ColumnKey(key)
        self.columns[column_key] = Column(column_key, text, width, 0, False)
        self._widths_changed()
        return column_key

    def set_widths(self, widths: Sequence[int]) -> None:
        """Give the columns these widths, in order; the rows are drawn again only if one changed."""
        columns = list(self.columns.values())
        if [column.width for column in columns] == list(widths):
            return
        for column, width in zip(columns, widths, strict=True):
            column.width = width
        self._widths_changed()

    def add_row(self, *cells: object, key: str | None = None, height: int = 1) -> RowKey:
        """Add one row under the others (see :meth:`add_rows` for many)."""
        self.add_rows([(key, cells)], height=height)
        return self._keys[-1]

    def add_rows(
        self, rows: Iterable[tuple[str | None, Sequence[object]]], *, height: int = 1
    ) -> None:
        """Add ``rows`` (key, cells) under the others: the cost is theirs, not the table's.

        Lines on the screen are drawn again only where the new rows show.
        """
        if not self._keys:
            self.row_height = height
        elif height != self.row_height:
            raise ValueError("every row of a LineTable has one height")
        first = len(self._keys)
        for key, cells in rows:
            row_key = RowKey(key)
            if row_key in self._index:
                raise ValueError(f"a row with key {key!r} is already there")
            self._index[row_key] = len(self._keys)
            self._keys.append(row_key)
            self._cells.append(cells)
        added = len(self._keys) - first
        if not added:
            return
        self._resize_virtual()
        top = self._row_y(first) - int(self.scroll_y)
        if top < self.scrollable_content_region.height:
            self.refresh(Region(0, top, self.size.width, added * self.row_height))
        if first == 0:
            self.cursor_coordinate = Coordinate(0, 0)
            self.post_message(self.RowHighlighted(self, 0, self._keys[0]))

    def clear(self, columns: bool = False) -> LineTable:
        """Remove every row (and the columns, if ``columns``); the cursor goes to the top."""
        self._keys, self._cells, self._index = [], [], {}
        if columns:
            self.columns = {}
        self._drawn.clear()
        self.cursor_coordinate = Coordinate(0, 0)
        self.scroll_to(y=0, animate=False, immediate=True)
        self._resize_virtual()
        self.refresh()
        return self

    def get_row_index(self, row_key: str | RowKey) -> int:
        return self._index[RowKey(row_key) if isinstance(row_key, str) else row_key]

    def get_row_at(self, row_index: int) -> list[object]:
        return list(self._cells[row_index])

    def get_column_at(self, column_index: int) -> Iterator[object]:
        for cells in self._cells:
            yield cells[column_index]

    def coordinate_to_cell_key(self, coordinate: Coordinate) -> CellKey:
        columns = list(self.columns)
        return CellKey(self._keys[coordinate.row], columns[coordinate.column])

    def move_cursor(
        self,
        *,
        row: int | None = None,
        column: int | None = None,
        animate: bool = False,
        scroll: bool = True,
    ) -> None:
        """Move the cursor to ``row`` (``column`` is accepted and ignored: a row cursor)."""
        if row is not None:
            self.cursor_coordinate = Coordinate(row, 0)
        if scroll:
            self._scroll_cursor_into_view(animate=animate)

    # ------------------------------------------------------------------ the cursor
    def validate_cursor_coordinate(self, value: Coordinate) -> Coordinate:
        return Coordinate(max(0, min(value.row, self.row_count - 1)), 0)

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        if old == new or not self._keys:
            return
        self._refresh_row(old.row)
        self._refresh_row(new.row)
        self._scroll_cursor_into_view()
        self.post_message(self.RowHighlighted(self, new.row, self._keys[new.row]))

    def _scroll_cursor_into_view(self, animate: bool = False) -> None:
        if not self._keys:
            return
        region = Region(0, self._row_y(self.cursor_row), self.size.width, self.row_height)
        self.scroll_to_region(
            region, animate=animate, spacing=Spacing(self.header_height, 0, 0, 0), force=True
        )

    def action_cursor_up(self) -> None:
        self.cursor_coordinate = self.cursor_coordinate.up()

    def action_cursor_down(self) -> None:
        self.cursor_coordinate = self.cursor_coordinate.down()

    def action_first_row(self) -> None:
        self.cursor_coordinate = Coordinate(0, 0)

    def action_last_row(self) -> None:
        self.cursor_coordinate = Coordinate(self.row_count - 1, 0)

    def action_page_down(self) -> None:
        """A screenful down (as DataTable: the rows scroll by the height shown)."""
        height = self.scrollable_content_region.height - self.header_height
        self.scroll_relative(y=height, animate=False, force=True, immediate=True)
        self.cursor_coordinate = Coordinate(self.cursor_row + max(1, height // self.row_height), 0)

    def action_page_up(self) -> None:
        height = self.scrollable_content_region.height - self.header_height
        self.scroll_relative(y=-height, animate=False, force=True, immediate=True)
        self.cursor_coordinate = Coordinate(self.cursor_row - max(1, height // self.row_height), 0)

    def action_select_cursor(self) -> None:
        if self._keys:
            self.post_message(self.RowSelected(self, self.cursor_row, self._keys[self.cursor_row]))

    def _on_click(self, event: events.Click) -> None:
        if event.y < self.header_height:
            return
        row = (event.y - self.header_height + int(self.scroll_y)) // self.row_height
        if row >= self.row_count:
            return
        event.stop()
        if row == self.cursor_row:
            self.action_select_cursor()  # as DataTable: a click on the highlighted row selects it
        else:
            self.cursor_coordinate = Coordinate(row, 0)

    # ------------------------------------------------------------------ geometry
    def _row_y(self, row: int) -> int:
        """The virtual line where ``row`` starts (the header is line 0)."""
        return self.header_height + row * self.row_height

    def _table_width(self) -> int:
        return sum(column.get_render_width(self) for column in self.columns.values())  # type: ignore[arg-type]

    def _resize_virtual(self) -> None:
        size = Size(self._table_width(), self._row_y(self.row_count))
        if size != self.virtual_size:
            # Not ``self.virtual_size = size``: that reactive repaints the whole widget as
            # well as laying it out. A layout alone moves the scrollbar; lines that change
            # are refreshed by whoever changed them.
            self.set_reactive(LineTable.virtual_size, size)
            self.refresh(repaint=False, layout=True)

    def _widths_changed(self) -> None:
        self._drawn.clear()
        self._resize_virtual()
        self.refresh()

    def _refresh_row(self, row: int) -> None:
        self.refresh_lines(self._row_y(row), self.row_height)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._drawn.clear()  # a theme or focus change restyles every row

    # ------------------------------------------------------------------ drawing
    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base_style = self.rich_style
        state = (width, base_style, self.get_pseudo_class_state(), self.row_height, self.scroll_x)
        if state != self._drawn_for:
            self._drawn.clear()
            self._drawn_for = state
        if y < self.header_height:
            return self._drawn_row(-1, base_style)[y]
        line = y + int(self.scroll_y) - self.header_height
        row, line_in_row = divmod(line, self.row_height)
        if row >= self.row_count:
            return Strip.blank(width, base_style)
        return self._drawn_row(row, base_style)[line_in_row]

    def _drawn_row(self, row: int, base_style: Style) -> list[Strip]:
        """Each line of ``row`` (-1: the header), as DataTable draws it."""
        cursor = row == self.cursor_row and row >= 0
        key = (row, cursor)
        lines = self._drawn.get(key)
        if lines is not None:
            return lines
        if len(self._drawn) >= ROWS_DRAWN_KEPT:
            self._drawn.clear()
        if row < 0:
            height, cells = self.header_height, [column.label for column in self.columns.values()]
            row_style = self.get_component_styles("datatable--header").rich_style
        else:
            height, cells = self.row_height, self._cells[row]
            name = "datatable--odd-row" if row % 2 else "datatable--even-row"
            row_style = (
                self.get_component_styles(name).rich_style if self.zebra_stripes else base_style
            )
        cursor_style = self.get_component_rich_style("datatable--cursor") if cursor else Style()
        # DataTable lets the cursor's CSS colour win over a cell's own (its default priority).
        post_style = Style.from_color(color=cursor_style.color)
        console = self.app.console
        drawn_cells = []
        # The row and column as meta, as DataTable has them: segments of two cells stay apart.
        for index, (cell, column) in enumerate(zip(cells, self.columns.values(), strict=False)):
            options = self.app.console_options.update_dimensions(
                column.get_render_width(self), height
            )  # type: ignore[arg-type]
            if height == 1:
                options = options.update(no_wrap=True)
            drawn_cells.append(
                console.render_lines(
                    Styled(
                        Padding(_renderable(cell, height), (0, self.cell_padding)),
                        pre_style=row_style
                        + Style.from_meta({"row": row, "column": index})
                        + cursor_style,
                        post_style=post_style,
                    ),
                    options,
                )
            )
        extend = Segment(
            " " * max(0, self.size.width - self._table_width()),
            row_style
            + cursor_style
            + Style.from_meta({"row": row, "column": 0, "out_of_bounds": True}),
        )
        lines = [
            Strip([*(segment for cell in drawn_cells for segment in cell[line]), extend])
            .crop(int(self.scroll_x), int(self.scroll_x) + self.size.width)
            .adjust_cell_length(self.size.width, base_style)
            .simplify()
            for line in range(height)
        ]
        self._drawn[key] = lines
        return lines


def _renderable(cell: Any, height: int) -> RenderableType:
    """A cell as DataTable's default formatter makes it (text is never read as markup here)."""
    if isinstance(cell, str):
        return Text(cell, no_wrap=height == 1, end="")
    if hasattr(cell, "__rich_console__") or hasattr(cell, "__rich__"):
        return cell
    return Text(str(cell), no_wrap=height == 1, end="")
