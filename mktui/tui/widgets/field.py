"""A labelled input with its error underneath, in words."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Label, Static

from mktui.tui.widgets.field_input import FieldInput


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
        if isinstance(control, FieldInput):
            control.field_name = label
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
        return self._shown() or None

    _error: str = ""
    _refusal: str = ""
    _refused_value: str | None = None

    def _shown(self) -> str:
        """A refusal while the field still holds what it held then; else the error."""
        if self._refusal and getattr(self.control, "value", None) == self._refused_value:
            return self._refusal
        return self._error

    def set_error(self, message: str | None) -> None:
        """Mark the field invalid with ``message`` (a sentence), or clear it with ``None``."""
        self._error = message or ""
        self._update()

    def point(self, message: str) -> None:
        """Mark the field with ``message`` and put the cursor in it: a refusal names this field.

        After any refusal (a local check or the server's 422 naming a field) the admin's
        next keys go to the field that needs them, not wherever focus happened to be.
        """
        self.set_error(message)
        if self.control.focusable:
            self.control.focus()

    def refuse(self, sentence: str) -> None:
        """Say why a key or paste was not let in; it shows until the field's text changes.

        Checks run as the text changes, and their answer for the text before the refusal
        can arrive after it: the refusal is not replaced until the text is different.
        """
        self._refusal = sentence
        self._refused_value = getattr(self.control, "value", None)
        self._update()

    def _update(self) -> None:
        shown = self._shown()
        self.set_class(bool(shown), "-invalid")
        if self.is_mounted:
            self.query_one(".field--error", Static).update(Content(shown))

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

    def on_field_input_refused(self, event: FieldInput.Refused) -> None:
        """A key or paste was refused: say why under the field (until the next edit)."""
        event.stop()
        self.refuse(event.sentence)

    def on_input_changed(self) -> None:
        """The text changed: a refusal about the text before goes (the event goes on up)."""
        if self._refusal:
            self._update()

    def on_mount(self) -> None:
        if self._shown():
            self.query_one(".field--error", Static).update(Content(self._shown()))
