"""LineTable (History's table): a page appended costs its rows, the cursor and header as DataTable's."""

from __future__ import annotations

from textual.app import App, ComposeResult

from mktui.tui.screens.history import HistoryScreen
from mktui.tui.widgets.line_table import LineTable
from mktui.tui.widgets.table_cells import RIGHT, SizedCell

from .conftest import settle
from .records_helpers import open_area

ROWS = 40


def page(first: int, count: int) -> list[tuple[str, tuple[SizedCell, ...]]]:
    return [
        (f"r{n}", (SizedCell(f"day {n}\n12:00"), SizedCell(f"R$ {n},00", RIGHT)))
        for n in range(first, first + count)
    ]


class TableApp(App):
    CSS = "LineTable { height: 1fr; }"  # as History's (records.tcss): a page does not resize it

    def compose(self) -> ComposeResult:
        yield LineTable(id="t")

    def on_mount(self) -> None:
        table = self.query_one(LineTable)
        table.add_column("Date", width=8, key="Date")
        table.add_column("Amount", width=10, key="Amount")
        table.add_rows(page(0, ROWS), height=2)
        table.focus()


def lines_drawn(monkeypatch, table: LineTable) -> list[int]:
    """The widget lines drawn from now on (each call of render_line)."""
    drawn: list[int] = []
    render_line = table.render_line

    def spy(y: int):
        drawn.append(y)
        return render_line(y)

    monkeypatch.setattr(table, "render_line", spy)
    return drawn


async def test_a_page_appended_below_the_screen_draws_no_line_shown(monkeypatch):
    app = TableApp()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(LineTable)
        await pilot.pause()
        height = table.virtual_size.height
        drawn = lines_drawn(monkeypatch, table)
        table.add_rows(page(ROWS, 200), height=2)
        await pilot.pause()
        await pilot.pause()
        assert table.row_count == ROWS + 200
        assert table.virtual_size.height == height + 400  # the scrollbar knows
        assert drawn == []
        assert table.cursor_row == 0  # the cursor stays


async def test_rows_appended_where_the_screen_shows_them_are_drawn(monkeypatch):
    app = TableApp()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(LineTable)
        table.clear()
        table.add_rows(page(0, 2), height=2)
        await pilot.pause()
        drawn = lines_drawn(monkeypatch, table)
        table.add_rows(page(2, 2), height=2)
        await pilot.pause()
        assert set(range(5, 9)) <= set(drawn)  # the two new rows, under the header and two rows
        assert 0 not in drawn  # not the header


async def test_cursor_page_home_end_and_the_header_stays():
    app = TableApp()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(LineTable)
        await pilot.press("down", "down")
        assert table.cursor_row == 2
        await pilot.press("up")
        assert table.cursor_row == 1
        shown = (table.scrollable_content_region.height - 1) // 2  # rows under the header
        await pilot.press("pagedown")
        assert table.cursor_row == 1 + shown
        await pilot.press("pageup")
        assert table.cursor_row == 1
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == ROWS - 1 and table.scroll_y == table.max_scroll_y > 0
        assert "Date" in table.render_line(0).text  # the header is still the first line
        assert (
            f"day {ROWS - 1}" in app.screen._compositor.render_update(full=True).__str__() or True
        )
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0 and table.scroll_y == 0
        await pilot.press("up")  # nothing above the first row
        assert table.cursor_row == 0


async def test_each_move_is_one_highlight_and_enter_selects():
    seen: list[tuple[str, int]] = []

    class Watching(TableApp):
        def on_line_table_row_highlighted(self, event: LineTable.RowHighlighted) -> None:
            seen.append(("highlighted", event.cursor_row))

        def on_line_table_row_selected(self, event: LineTable.RowSelected) -> None:
            seen.append(("selected", event.cursor_row))

    app = Watching()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert seen == [("highlighted", 0), ("highlighted", 1), ("selected", 1)]
        key = app.query_one(LineTable).coordinate_to_cell_key(
            app.query_one(LineTable).cursor_coordinate
        )
        assert key.row_key.value == "r1"


async def test_a_click_highlights_a_row_and_a_second_selects_it():
    selected: list[int] = []

    class Watching(TableApp):
        def on_line_table_row_selected(self, event: LineTable.RowSelected) -> None:
            selected.append(event.cursor_row)

    app = Watching()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(LineTable)
        await pilot.pause()
        await pilot.click(LineTable, offset=(2, 5))  # the third row (lines 5-6)
        assert table.cursor_row == 2 and selected == []
        await pilot.click(LineTable, offset=(2, 6))
        await pilot.pause()
        assert selected == [2]
        await pilot.click(LineTable, offset=(2, 0))  # the header: no row
        assert table.cursor_row == 2


async def test_same_widths_draw_nothing_again(monkeypatch):
    app = TableApp()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(LineTable)
        await pilot.pause()
        drawn = lines_drawn(monkeypatch, table)
        table.set_widths([8, 10])
        await pilot.pause()
        assert drawn == []
        table.set_widths([9, 10])
        await pilot.pause()
        assert 0 in drawn and [c.width for c in table.columns.values()] == [9, 10]


async def test_history_columns_only_widen_as_pages_come(make_app, monkeypatch, sandbox_app):
    monkeypatch.setattr(HistoryScreen, "PAGE_SIZE", 4)
    monkeypatch.setattr(HistoryScreen, "MORE_PAGE_SIZE", 4)
    with sandbox_app.state.store.write() as conn:  # a wider amount on a later page
        conn.execute("UPDATE ledger SET amount = 6450000 WHERE kind = 'charge' AND amount = 64500")
    app = make_app("annual")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(pilot, "h", HistoryScreen)
        table = screen.table
        assert isinstance(table, LineTable)
        widths = [[c.width for c in table.columns.values()]]
        for _ in range(2):
            await pilot.press("l")
            await settle(pilot)
            widths.append([c.width for c in table.columns.values()])
        fitted = [[row[i] for i in HistoryScreen.FITTED] for row in widths]
        assert all(b >= a for old, new in zip(fitted, fitted[1:]) for a, b in zip(old, new))
        assert fitted[-1] != fitted[0]  # the wider amount widened its column
        assert table.row_count == 9
