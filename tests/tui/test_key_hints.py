"""The footer line: the screen's keys, fitted to the width, clickable, following the bindings."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen

from mktui.tui.widgets.key_hints import KeyHints

from .conftest import screen_text


class Keys(Screen):
    BINDINGS = [
        Binding("r", "note('refresh')", "Refresh"),
        Binding("a", "note('add')", "Add"),
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


def _footer(app: App) -> str:
    return screen_text(app).rstrip("\n").splitlines()[-1]


async def test_every_shown_key_in_order_and_the_palette_on_the_right():
    app = KeysApp()
    async with app.run_test(size=(120, 5)) as pilot:
        await pilot.pause()
        line = _footer(app)
        assert line.startswith(" r Refresh  a Add  d Make default  x Remove  ^y A rather long")
        assert "Hidden" not in line
        assert line.rstrip().endswith("▏^p palette")


async def test_narrow_terminals_tighten_then_leave_out_the_last_hints_whole():
    app = KeysApp()
    async with app.run_test(size=(80, 5)) as pilot:
        await pilot.pause()
        line = _footer(app)
        assert line.startswith("r Refresh a Add d Make default x Remove")
        assert "long" not in line  # left out whole, not cut
        assert line.rstrip().endswith("▏^p palette")
        await pilot.resize_terminal(40, 5)
        await pilot.pause()
        line = _footer(app)
        assert line.startswith("r Refresh a Add") and "▏^p palette" in line


async def test_a_click_presses_the_key_and_a_disabled_key_does_nothing():
    app = KeysApp()
    async with app.run_test(size=(120, 5)) as pilot:
        await pilot.pause()
        line = _footer(app)
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
        assert " Add " not in _footer(app)
        app.screen.offered = True
        app.screen.refresh_bindings()
        await pilot.pause()
        assert " a Add " in _footer(app)
