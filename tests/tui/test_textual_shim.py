"""The Textual internals mktui relies on (mktui.tui.textual_shim) still exist and behave so.

Each test fails by name when a Textual upgrade changes what the shim uses:
then change the shim (or adopt the public API asked for in docs/upstream.md).
"""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.cache import LRUCache
from textual.command import CommandList, CommandPalette
from textual.css.stylesheet import Stylesheet
from textual.screen import Screen
from textual.widgets import Static

from mktui.tui.textual_shim import (
    FatalErrorHook,
    NoMatchesInWords,
    draw_only_what_an_update_shows,
    forget_render_caches,
    grow_parse_cache,
    priority_bindings,
    start_in_mode,
    translate_bindings,
)


class _First(Screen):
    def compose(self) -> ComposeResult:
        yield Static("first")


class _Second(Screen):
    def compose(self) -> ComposeResult:
        yield Static("second")


class _TwoModes(App):
    MODES = {"first": _First, "second": _Second}

    def __init__(self, mode: str) -> None:
        start_in_mode(self, mode)
        super().__init__()


@pytest.mark.parametrize("mode, screen_type", [("first", _First), ("second", _Second)])
async def test_the_mode_set_before_init_is_the_first_and_only_screen(mode, screen_type):
    app = _TwoModes(mode)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.current_mode == mode
        assert isinstance(app.screen, screen_type)
        assert [type(s) for s in app.get_screen_stack(mode)] == [screen_type]
        # No blank default screen was mounted first.
        with pytest.raises(KeyError):
            app.get_screen_stack("_default")
        assert not any(s.id == "_default" for s in app.query("Screen"))
    # The class is not changed: another instance starts elsewhere.
    assert _TwoModes.DEFAULT_MODE == App.DEFAULT_MODE


class _Crashes(FatalErrorHook, App):
    BINDINGS = [("x", "fail"), ("y", "fail_rich")]

    def __init__(self) -> None:
        super().__init__()
        self.reports: list[BaseException | None] = []

    def compose(self) -> ComposeResult:
        yield Static("x")

    def report_crash(self) -> None:
        import sys

        self.reports.append(sys.exc_info()[1])
        self.exit(return_code=1)

    def action_fail(self) -> None:
        raise LookupError("from a key")

    def action_fail_rich(self) -> None:
        raise _RichError("rendered by itself")


class _RichError(Exception):
    def __rich__(self) -> str:
        return "a rich error"


async def test_an_unhandled_exception_reaches_the_hook_with_the_exception_being_handled():
    assert callable(App._fatal_error)  # the method the hook overrides
    app = _Crashes()
    with pytest.raises(LookupError):
        async with app.run_test() as pilot:
            await pilot.press("x")
            await pilot.pause()
    assert len(app.reports) == 1 and isinstance(app.reports[0], LookupError)
    assert app.return_code == 1


async def test_a_worker_failure_reaches_the_hook_with_the_workers_exception():
    app = _Crashes()

    async def fail() -> None:
        raise KeyError("in a worker")

    with pytest.raises(Exception):  # noqa: B017 - Textual wraps it in WorkerFailed
        async with app.run_test() as pilot:
            app.run_worker(fail(), exit_on_error=True)
            await pilot.pause()
            await pilot.pause()
    assert len(app.reports) == 1 and isinstance(app.reports[0], KeyError)


async def test_an_exception_with_its_own_rendering_does_not_reach_the_hook():
    # Textual panics with the exception's __rich__ itself: no frames, no locals.
    app = _Crashes()
    with pytest.raises(_RichError):
        async with app.run_test() as pilot:
            await pilot.press("y")
            await pilot.pause()
    assert app.reports == []


def test_the_parse_cache_is_an_lru_cache_that_parse_consults_and_set_variables_empties():
    sheet = Stylesheet(variables={"primary": "red"})
    cache = sheet._parse_cache
    assert isinstance(cache, LRUCache) and cache.maxsize == 64
    grow_parse_cache(sheet, 512)
    assert sheet._parse_cache is cache and cache.maxsize == 512
    sheet.add_source("Static { color: $primary; }", read_from=("a.tcss", ""))
    sheet.parse()
    assert len(cache) == 1
    first = sheet.rules[0]
    sheet.parse()
    assert sheet.rules[0] is first  # served from the cache, not parsed again
    sheet.set_variables({"primary": "blue"})
    assert len(cache) == 0


class _Keys(Screen):
    BINDINGS = [Binding("r", "refresh_all", "Refresh", tooltip="Load again", id="k.refresh")]

    def compose(self) -> ComposeResult:
        yield Static("keys")


class _KeysApp(App):
    def on_mount(self) -> None:
        self.push_screen(_Keys())


async def test_translated_bindings_change_one_screen_and_feed_what_the_footer_reads():
    app = _KeysApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = app.screen
        translate_bindings(screen, lambda text: text.upper() if text else text)
        shown = [b.binding for b in screen.active_bindings.values() if b.binding.id == "k.refresh"]
        assert [(b.description, b.tooltip) for b in shown] == [("REFRESH", "LOAD AGAIN")]
        # The class and any other instance keep the declared text.
        assert _Keys.BINDINGS[0].description == "Refresh"
        other = _Keys()
        assert [b.description for b in other._bindings.key_to_bindings["r"]] == ["Refresh"]
        # A keymap applied afterwards keeps the translation (it rebinds by id).
        app.set_keymap({"k.refresh": "f5"})
        await pilot.pause()
        rebound = [
            b.binding for b in screen.active_bindings.values() if b.binding.id == "k.refresh"
        ]
        assert [(b.key, b.description) for b in rebound] == [("f5", "REFRESH")]


class _QuitApp(App):
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="q.quit", priority=True)]


async def test_priority_bindings_are_the_apps_with_its_keymap_and_words():
    app = _QuitApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        translate_bindings(app, lambda text: text.upper() if text else text)
        found = {key: binding for key, binding in priority_bindings(app) if binding.id == "q.quit"}
        assert list(found) == ["ctrl+q"] and found["ctrl+q"].description == "QUIT"
        assert all(binding.priority for _key, binding in priority_bindings(app))
        app.set_keymap({"q.quit": "f10"})
        await pilot.pause()
        assert [k for k, b in priority_bindings(app) if b.id == "q.quit"] == ["f10"]


async def test_forget_render_caches_empties_the_two_caches_that_hold_finished_apps():
    from textual._styles_cache import StylesCache
    from textual.filter import ANSIToTruecolor

    app = _QuitApp()
    async with app.run_test() as pilot:
        await pilot.pause()
    caches = (StylesCache.get_inner_outer, ANSIToTruecolor.truecolor_style)
    assert all(hasattr(cache, "cache_clear") for cache in caches)  # still lru_caches
    assert StylesCache.get_inner_outer.cache_info().currsize > 0  # filled by drawing
    forget_render_caches()
    assert [cache.cache_info().currsize for cache in caches] == [0, 0]


class _Palette(NoMatchesInWords, CommandPalette):
    def no_matches_text(self) -> str:
        return "NOTHING HERE"


class _PaletteApp(App):
    def on_mount(self) -> None:
        self.push_screen(_Palette())


async def test_no_matches_in_words_replaces_textuals_no_matches_line():
    # The internals the override uses are still those of Textual's own countdown.
    for name in ("_stop_no_matches_countdown", "_NO_MATCHES", "_NO_MATCHES_COUNTDOWN"):
        assert hasattr(CommandPalette, name), name
    app = _PaletteApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press(*"zzqqxx")
        await pilot.pause(CommandPalette._NO_MATCHES_COUNTDOWN)
        command_list = app.screen.query_one(CommandList)
        for _ in range(100):  # the line comes after the countdown, later on a loaded machine
            if command_list.option_count:
                break
            await pilot.pause(0.05)
        prompts = [
            str(command_list.get_option_at_index(i).prompt.renderable)
            for i in range(command_list.option_count)
        ]
        assert prompts == ["NOTHING HERE"]
        assert command_list.get_option_at_index(0).id == CommandPalette._NO_MATCHES


class _Area(App):
    """A screen like an area: a bar on top, a sidebar, a table, a detail line, a footer line."""

    CSS = "Horizontal { height: 1fr; } #side { width: 12; } DataTable { height: 1fr; }"

    def compose(self) -> ComposeResult:
        from textual.containers import Horizontal, Vertical
        from textual.widgets import DataTable

        yield Static("the account bar", id="bar")
        with Horizontal():
            yield Static("f Financial\ni Invoices", id="side")
            with Vertical():
                yield DataTable(cursor_type="row")
                yield Static("detail", id="detail")
        yield Static("the footer", id="footer")

    def on_mount(self) -> None:
        from textual.widgets import DataTable

        table = self.query_one(DataTable)
        table.add_columns("Number", "Total")
        for n in range(40):
            table.add_row(f"MK-{n:06}", f"R$ {n},00")
        table.focus()


def test_textuals_get_renders_is_the_code_the_shim_copies():
    """An upgrade that changes Compositor._get_renders fails here: compare it with the shim's."""
    import hashlib
    import inspect

    from textual._compositor import Compositor

    draw_only_what_an_update_shows()
    original = Compositor._get_renders.textual
    source = inspect.getsource(original)
    digest = hashlib.sha256(source.encode()).hexdigest()[:16]
    assert digest == "8ac93299aa5d3bef", (
        f"Textual's _get_renders changed ({digest}): read the shim again"
    )


async def test_a_partial_update_draws_only_the_widgets_it_shows_and_the_same_lines():
    from textual._compositor import Compositor
    from textual.geometry import Region
    from textual.widgets import DataTable

    draw_only_what_an_update_shows()
    draw_only_what_an_update_shows()  # installing twice keeps one layer
    shim = Compositor._get_renders
    original = shim.textual
    assert not getattr(original, "_mktui", False)
    app = _Area()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("down", "down")
        await pilot.pause()
        compositor = app.screen._compositor
        table = app.query_one(DataTable).region
        # What a Down changes: two rows of the table and the detail line.
        detail = app.query_one("#detail").region
        crop = Region.from_union([Region(table.x, table.y + 2, table.width, 2), detail])
        drawn_by_textual = [region for region, _, _ in original(compositor, crop)]
        drawn_now = [region for region, _, _ in shim(compositor, crop)]
        for name in ("#bar", "#side", "#footer"):
            region = app.query_one(name).region
            assert region in drawn_by_textual  # what Textual drew for nothing
            assert region not in drawn_now
        assert set(drawn_now) <= set(drawn_by_textual)
        # The lines the update writes are the same either way.
        lines = set(range(crop.y, crop.bottom))
        try:
            Compositor._get_renders = original
            before = compositor._render_chops(crop, lines.__contains__)
        finally:
            Compositor._get_renders = shim
        after = compositor._render_chops(crop, lines.__contains__)
        for y in lines:
            for cut, strip in before[y].items():
                if crop.x <= cut < crop.right:
                    assert after[y][cut] == strip, (y, cut)
        # A full update (its crop is the screen) draws every widget Textual draws.
        screen = app.screen.region
        assert [r for r, _, _ in shim(compositor, screen)] == [
            r for r, _, _ in original(compositor, screen)
        ]
