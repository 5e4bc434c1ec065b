"""The footer line: the screen's keys, fitted to the width, clickable, following the bindings."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen

from mktui.tui.widgets.key_hints import KeyHints

from .conftest import footer_line, settle


class Keys(Screen):
    BINDINGS = [
        Binding("r", "note('refresh')", "Refresh"),
        Binding("a", "note('add')", "Add", tooltip="Save a new card"),
        Binding("d", "note('default')", "Make default"),
        Binding("x", "note('remove')", "Remove"),
        Binding("h", "note('hidden')", "Hidden", show=False),
        Binding("ctrl+y", "note('long')", "A rather long description of an action"),
    ]
    removable = True

    def compose(self) -> ComposeResult:
        yield KeyHints()

    def action_note(self, what: str) -> None:
        self.app.pressed.append(what)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if parameters == ("remove",):
            return True if self.removable else None  # None: shown, but disabled
        return True


class KeysApp(App):
    def __init__(self) -> None:
        super().__init__()
        self.pressed: list[str] = []

    def on_mount(self) -> None:
        self.push_screen(Keys())


async def test_every_shown_key_in_order_and_the_palette_on_the_right():
    app = KeysApp()
    async with app.run_test(size=(120, 5)) as pilot:
        await pilot.pause()
        line = footer_line(app)
        assert line.startswith(" r Refresh  a Add  d Make default  x Remove  ^y A rather long")
        assert "Hidden" not in line
        assert line.rstrip().endswith("▏^p palette")


async def test_narrow_terminals_tighten_then_leave_out_the_last_hints_whole():
    app = KeysApp()
    async with app.run_test(size=(80, 5)) as pilot:
        await pilot.pause()
        line = footer_line(app)
        assert line.startswith("r Refresh a Add d Make default x Remove")
        assert "long" not in line  # left out whole, not cut
        assert line.rstrip().endswith("▏^p palette")
        await pilot.resize_terminal(40, 5)
        await pilot.pause()
        line = footer_line(app)
        assert line.startswith("r Refresh a Add") and "▏^p palette" in line


async def test_a_click_presses_the_key_and_a_disabled_key_does_nothing():
    app = KeysApp()
    async with app.run_test(size=(120, 5)) as pilot:
        await pilot.pause()
        line = footer_line(app)
        await pilot.click(KeyHints, offset=(line.index("Add"), 0))
        await pilot.pause()
        assert app.pressed == ["add"]
        app.screen.removable = False
        app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.click(KeyHints, offset=(line.index("Remove"), 0))
        await pilot.pause()
        assert app.pressed == ["add"]


async def test_the_line_follows_the_bindings():
    class Toggle(Keys):
        offered = False

        def check_action(self, action, parameters):
            if parameters == ("add",):
                return self.offered
            return True

    app = KeysApp()
    async with app.run_test(size=(120, 5)) as pilot:
        app.switch_screen(Toggle())
        await pilot.pause()
        assert " Add " not in footer_line(app)
        app.screen.offered = True
        app.screen.refresh_bindings()
        await pilot.pause()
        assert " a Add " in footer_line(app)


async def test_hovering_a_key_shows_its_tooltip():
    app = KeysApp()
    async with app.run_test(size=(120, 5)) as pilot:
        await pilot.pause()
        hints = app.screen.query_one(KeyHints)
        line = footer_line(app)
        await pilot.hover(KeyHints, offset=(line.index("Add"), 0))
        await pilot.pause()
        assert hints.tooltip == "Save a new card"
        await pilot.hover(KeyHints, offset=(line.index("Refresh"), 0))
        await pilot.pause()
        assert hints.tooltip == "Refresh"  # no tooltip: its description, as the Footer
        await pilot.hover(KeyHints, offset=(line.index("▏") - 2, 0))
        await pilot.pause()
        assert hints.tooltip is None  # between the keys and the palette: nothing


async def test_a_cursor_move_in_invoices_does_not_redraw_the_footer(make_app, monkeypatch):
    """#12: a Down repaints the table and its detail line, never the unchanged key line."""
    from textual.widgets import DataTable

    from .test_invoice_actions import open_invoices

    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_invoices(pilot)
        table = screen.query_one(DataTable)
        table.focus()
        # From the overdue invoice to a paid one the keys change (pay → receipt):
        # that redraw is wanted. Between paid invoices they stay the same.
        table.move_cursor(row=1)
        await settle(pilot)
        assert {inv.status for inv in screen.invoices[1:5]} == {"paid"}
        hints = screen.query_one(KeyHints)
        before = footer_line(app)
        redraws: list[object] = []
        real = hints.refresh

        def counted(*args, **kwargs):
            redraws.append(args)
            return real(*args, **kwargs)

        monkeypatch.setattr(hints, "refresh", counted)
        bindings_changed: list[object] = []
        screen.bindings_updated_signal.subscribe(hints, bindings_changed.append)
        start = table.cursor_row
        for _ in range(3):
            await pilot.press("down")
            await pilot.pause()
        assert table.cursor_row == start + 3
        # Invoices asks for new bindings only when the row's keys differ (#12), so between
        # paid invoices nothing is announced; and were it announced, the footer, whose
        # keys are the same, would not redraw (KeyHints compares what it shows).
        assert bindings_changed == []
        assert redraws == []
        assert footer_line(app) == before
        table.move_cursor(row=0)  # back on the overdue invoice: its keys are drawn again
        await settle(pilot)
        assert len(redraws) == 1 and "Pay" in footer_line(app)


class QuitApp(KeysApp):
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]


async def test_quit_is_never_left_out_and_dimmed_keys_go_first():
    app = QuitApp()
    async with app.run_test(size=(80, 5)) as pilot:
        await pilot.pause()
        line = footer_line(app)
        assert line.startswith("r Refresh a Add d Make default x Remove")
        assert "^q Quit" in line and "long" not in line, line
        app.screen.removable = False  # x Remove dimmed: it does nothing now
        app.screen.refresh_bindings()
        await pilot.resize_terminal(56, 5)
        await pilot.pause()
        line = footer_line(app)
        # Remove, dimmed, is left out before Make default, though it comes after it.
        assert "Remove" not in line and "d Make default" in line, line
        assert "^q Quit" in line and "▏^p palette" in line, line
        await pilot.resize_terminal(30, 5)
        await pilot.pause()
        line = footer_line(app)
        assert "^q Quit" in line and "Refresh" not in line, line
