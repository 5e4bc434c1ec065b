"""The footer: the keys the screen offers now, on one line, with the palette's key on the right.

Textual's ``Footer`` builds a widget per key and rebuilds them all whenever the
bindings change (each focus move, each refresh of the bindings): about 40 ms
of a console start, and a rebuild on every Tab. This draws the same line as
one widget and only re-renders it, and only when the keys it shows change (a
cursor move in a table refreshes the bindings but changes no key: the line is
not redrawn). At 80 columns it tightens the spacing, then leaves out whole
hints rather than cutting one in half — the dimmed ones first, then the last
ones, Quit only when nothing else is left to leave out: every key is also in
the command palette, whose key always shows. Hovering a key shows its binding's tooltip, as Textual's Footer
does (and the palette's Keys panel lists them too).

In a dialog or the command palette the line lists that modal screen's keys and
the app's priority keys (Ctrl+Q, and Ctrl+P outside the palette), which work
there: Textual leaves them out of a modal's active bindings, and does not
repaint the screen below, whose footer would go on offering keys that do
nothing while the dialog is open.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.command import CommandPalette
from textual.widget import Widget

from mktui.tui.textual_shim import priority_bindings


@dataclass(frozen=True)
class Hint:
    """One key as shown: what to press, what it does, and whether it works right now."""

    key: str
    display: str
    description: str
    enabled: bool = True
    tooltip: str = ""
    kept: bool = False
    """Never left out for want of room (the app's priority keys: Ctrl+Q)."""


class KeyHints(Widget, can_focus=False):
    """``r Refresh  ^q Quit                     ▏^p palette`` — the current screen's keys."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-hints--key", "key-hints--description", "key-hints--palette-rule"}
    DEFAULT_CSS = """
    KeyHints {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .key-hints--key { color: $footer-key-foreground; text-style: bold; }
        .key-hints--description { color: $footer-description-foreground; }
        .key-hints--palette-rule { color: $foreground 20%; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self._spans: list[tuple[int, int, Hint]] = []
        self._shown: tuple[list[Hint], Hint | None] | None = None
        """The hints last drawn: a change of bindings that leaves them alike draws nothing."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: object) -> None:
        # Compared after the screen's refresh, as Textual's Footer does: the
        # bindings may change while the screen is still being built.
        self.call_after_refresh(self._redraw_if_changed)

    def _redraw_if_changed(self) -> None:
        # Textual refreshes the bindings on every focus move and every cursor move
        # of a DataTable; only a change of what the line shows is worth a redraw.
        if self.is_attached and self.hints() != self._shown:
            self.refresh()

    def hints(self) -> tuple[list[Hint], Hint | None]:
        """The screen's shown keys (one per action, in order) and the palette's key."""
        app = self.app
        screen = self.screen
        rows = [
            (key, node, binding, enabled, tooltip)
            for key, (node, binding, enabled, tooltip) in screen.active_bindings.items()
        ]
        if screen.is_modal:
            # A modal's active bindings stop at the modal; the app's priority keys work there.
            taken = {row[0] for row in rows}
            rows += [
                (key, app, binding, True, "")
                for key, binding in priority_bindings(app)
                if key not in taken
            ]
        in_palette = isinstance(screen, CommandPalette)
        palette: Hint | None = None
        hints: list[Hint] = []
        actions: set[str] = set()
        for key, node, binding, enabled, tooltip in rows:
            hint = Hint(
                key,
                app.get_key_display(binding),
                binding.description,
                enabled,
                tooltip or binding.tooltip or binding.description,
                kept=node is app and binding.priority,
            )
            if app.ENABLE_COMMAND_PALETTE and key == app.COMMAND_PALETTE_BINDING:
                palette = None if in_palette else hint
            elif binding.show and binding.action not in actions:
                actions.add(binding.action)
                hints.append(hint)
        return hints, palette

    def render(self) -> Text:
        self._shown = self.hints()
        hints, palette = self._shown
        key_style = self.get_component_rich_style("key-hints--key", partial=True)
        text_style = self.get_component_rich_style("key-hints--description", partial=True)
        rule_style = self.get_component_rich_style("key-hints--palette-rule", partial=True)
        width = self.size.width
        right = Text()
        if palette is not None:
            right.append("▏", rule_style)
            right.append(palette.display, key_style)
            right.append(f" {palette.description} ", text_style)
        room = width - right.cell_len - 1
        # Roomy (" r Refresh "), then tight ("r Refresh"), then as many hints as fit.
        for roomy in (True, False):
            shown = _fit(hints, room, roomy)
            if len(shown) == len(hints):
                break
        line = Text(no_wrap=True, overflow="crop", end="")
        self._spans = []
        for hint in shown:
            dim = Style(dim=not hint.enabled)
            key, description, gap = _parts(hint, roomy)
            start = line.cell_len
            line.append(key, key_style + dim)
            line.append(description, text_style + dim)
            self._spans.append((start, line.cell_len, hint))
            line.append(gap)
        if palette is not None:
            padding = max(width - line.cell_len - right.cell_len, 1)
            line.append(" " * padding)
            self._spans.append((line.cell_len, line.cell_len + right.cell_len, palette))
            line.append_text(right)
        return line

    def _hint_at(self, x: int) -> Hint | None:
        return next((hint for start, end, hint in self._spans if start <= x < end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """Hovering a key shows what it does: its binding's tooltip (or its description)."""
        hint = self._hint_at(event.x)
        tooltip = hint.tooltip if hint is not None else None
        if tooltip != self.tooltip:
            self.tooltip = tooltip

    def on_leave(self, event: events.Leave) -> None:
        self.tooltip = None

    def on_click(self, event: events.Click) -> None:
        """A click on a key presses it (a disabled one rings the bell)."""
        hint = self._hint_at(event.x)
        if hint is None:
            return
        if hint.enabled:
            self.app.simulate_key(hint.key)
        else:
            self.app.bell()


def _parts(hint: Hint, roomy: bool) -> tuple[str, str, str]:
    """The key, the description and the gap after them, as drawn."""
    if roomy:
        return f" {hint.display} ", f"{hint.description} ", ""
    return hint.display, f" {hint.description}", " "


def _fit(hints: list[Hint], room: int, roomy: bool) -> list[Hint]:
    """The hints that fit in ``room`` cells, in their order.

    Left out first: the dimmed ones (they do nothing now), last first; then the
    last ones; a kept hint (Quit) only when nothing else is left to leave out.
    """
    sizes = {id(hint): sum(cell_len(part) for part in _parts(hint, roomy)) for hint in hints}
    shown = list(hints)
    used = sum(sizes.values())
    dimmed = [hint for hint in reversed(hints) if not hint.enabled and not hint.kept]
    others = [hint for hint in reversed(hints) if hint.enabled and not hint.kept]
    kept = [hint for hint in reversed(hints) if hint.kept]
    for hint in dimmed + others + kept:
        if used <= room:
            break
        shown.remove(hint)
        used -= sizes[id(hint)]
    return shown
