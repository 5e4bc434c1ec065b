"""A labelled input with its error underneath, in words."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Label, Static


class LabelledField(Vertical):
    """A label, one input widget and an inline error line.

    The form keeps its input when something is wrong: :meth:`set_error` only
    marks the field (class ``-invalid``) and says what to fix underneath.
    """

    DEFAULT_CSS = """
    LabelledField { height: auto; width: 1fr; margin: 0 1 1 0; }
    LabelledField > Input.-textual-compact { margin: 0 1; }
    LabelledField > RadioSet.-textual-compact { margin: 0 1; }
    LabelledField > .field--label { color: $text-muted; padding: 0 1; }
    LabelledField > .field--hint { color: $text-muted; padding: 0 1; height: auto; }
    LabelledField > .field--error { color: $error; padding: 0 1; height: auto; display: none; }
    LabelledField.-invalid > .field--error { display: block; }
    LabelledField.-invalid > Input { border: tall $error; }
    LabelledField.-invalid > Input.-textual-compact { border: none; background: $error 25%; }
    """

    def __init__(self, label: str, control: Widget, *, hint: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.label = label
        self.control = control
        self._hint = hint

    def compose(self) -> ComposeResult:
        yield Label(Content(self.label), classes="field--label")
        yield self.control
        yield Static("", classes="field--error")
        if self._hint:
            yield Static(Content(self._hint), classes="field--hint")

    @property
    def error(self) -> str | None:
        """The message shown under the field, if any."""
        return self._error if self.has_class("-invalid") else None

    _error: str = ""

    def set_error(self, message: str | None) -> None:
        """Mark the field invalid with ``message`` (a sentence), or clear it with ``None``."""
        self._error = message or ""
        self.set_class(bool(message), "-invalid")
        if self.is_mounted:
            self.query_one(".field--error", Static).update(Content(self._error))

    def set_hint(self, hint: str) -> None:
        """Replace the hint line (e.g. the detected card brand)."""
        self._hint = hint
        if self.is_mounted:
            hints = self.query(".field--hint")
            if hints:
                hints.first(Static).update(Content(hint))
                hints.first(Static).display = bool(hint)
            elif hint:
                self.mount(Static(Content(hint), classes="field--hint"))

    def on_mount(self) -> None:
        if self._error:
            self.query_one(".field--error", Static).update(Content(self._error))
