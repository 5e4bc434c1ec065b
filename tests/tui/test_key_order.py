"""Bound keys in a burst keep their place among the typed ones (mktui.tui.key_order).

A burst here is many key events queued through the driver at once, as a
terminal's single read delivers them (tests/tui/test_raw_bursts.py does it
through a real pseudo-terminal).
"""

from __future__ import annotations

from textual import events, on
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input

from mktui.tui.key_order import KeysInOrder

from .keys import burst


class _Form(App):
    """Two Inputs two containers deep; Enter in the first moves to the second."""

    def compose(self) -> ComposeResult:
        with Vertical(), Vertical():
            yield Input(id="first")
            yield Input(id="second")

    @on(Input.Submitted, "#first")
    def _next(self) -> None:
        self.query_one("#second", Input).focus()

    def values(self) -> tuple[str, str]:
        return self.query_one("#first", Input).value, self.query_one("#second", Input).value


class _OrderedForm(KeysInOrder, _Form):
    pass


async def test_textual_alone_still_lets_a_typed_key_overtake_a_bound_one():
    """When this fails, Textual keeps keys in order itself: retire mktui.tui.key_order."""
    app = _Form()
    async with app.run_test() as pilot:
        await burst(pilot, ["a", "b", "backspace", "c"])
        assert app.values() == ("ab", "")  # "c" went in before the Backspace ran: not "ac"


async def test_bound_keys_keep_their_place_in_a_burst():
    app = _OrderedForm()
    async with app.run_test() as pilot:
        rounds = [
            (["a", "b", "backspace", "c", "d"], ("acd", "")),
            (["a", "c", "left", "b", "right", "d"], ("abcd", "")),
            (["a", "home", "b", "end", "c"], ("bac", "")),
            (["o", "n", "e", "space", "t", "w", "o", "ctrl+w", "x"], ("one x", "")),
            (["o", "l", "d", "ctrl+u", "n", "e", "w"], ("new", "")),
            (["a", "enter", "b", "backspace", "c"], ("a", "c")),
            (["a", "tab", "b", "shift+tab", "end", "c"], ("ac", "b")),
        ]
        for keys, expected in rounds:
            for input_id in ("first", "second"):
                app.query_one(f"#{input_id}", Input).value = ""
            app.query_one("#first", Input).focus()
            await pilot.pause()
            await burst(pilot, keys)
            assert app.values() == expected, keys


async def test_a_paste_keeps_its_place_after_a_bound_key():
    app = _OrderedForm()
    async with app.run_test() as pilot:
        app.query_one("#first", Input).focus()
        await pilot.pause()
        await burst(pilot, ["a", "b", "backspace"])
        driver = app._driver
        paste = events.Paste("cd")
        paste.set_sender(app)
        driver.send_message(paste)
        await burst(pilot, ["e"])
        assert app.values() == ("acde", "")


class _Ask(ModalScreen[str]):
    """A dialog whose Enter closes it: the queues the key went through close with it."""

    def compose(self) -> ComposeResult:
        yield Input(id="answer")

    @on(Input.Submitted)
    def _answered(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)


async def _until(pilot, done, seconds: float = 5.0) -> None:
    """Pause until ``done()`` (the watchdog's 0.5 s can take longer on a loaded machine)."""
    for _ in range(int(seconds / 0.05)):
        if done():
            return
        await pilot.pause(0.05)


async def test_keys_after_one_that_closes_a_dialog_are_not_held_back():
    app = _OrderedForm()
    answers: list[str] = []
    async with app.run_test() as pilot:
        app.push_screen(_Ask(), callback=answers.append)
        await pilot.pause()
        await burst(pilot, ["y", "e", "s", "enter", "x", "y"])
        # At most the watchdog's wait (key_order.STALE_AFTER), later on a loaded machine.
        await _until(pilot, lambda: app.values() == ("xy", ""))
        assert answers == ["yes"]
        assert app.values() == ("xy", "")


async def test_a_key_whose_check_was_lost_holds_the_next_ones_only_briefly():
    app = _OrderedForm()
    async with app.run_test() as pilot:
        app.query_one("#first", Input).focus()
        app._on_its_way = object()  # as if its queue closed before the check behind it ran
        app._on_its_way_since = 0.0
        await burst(pilot, ["o", "k"])
        assert app.values() == ("", "")
        await _until(pilot, lambda: app.values() == ("ok", ""))  # the watchdog's round
        assert app.values() == ("ok", "")
